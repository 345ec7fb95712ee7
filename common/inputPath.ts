/**
 * Which argument a request error is about. graphql-js reports a value it cannot coerce in terms of the
 * document — the variable (`Variable "$i" got invalid value … at "i.receivedAt"`) or the literal's AST
 * node — never in terms of the argument a client reads in the schema. This finds the argument's path
 * from the error's node: `input.receivedAt`, `period.from`, `filter.direction`, `input.results[0].area`
 * (arguments and input fields joined by dots, list items by `[index]`), the form `extensions.field`
 * takes everywhere (docs/input-validation.md). Shared by the gateway (errors.ts) and the subgraph kit
 * (kit/runtime/server.ts): the gateway refuses the built-in types' values, the subgraphs their own scalars'.
 */
import { GraphQLError, Kind, parse, visit } from 'graphql';
import type { ASTNode, DocumentNode, Source, ValueNode } from 'graphql';

/** A value error of a request, named by the argument path: what `extensions.field` and the message say. */
export interface InputError {
  /** Path of the argument or input field, e.g. `input.receivedAt`. */
  field: string;
  /** graphql-js's reason without the variable's prefix, e.g. `Int cannot represent …: 99999999999`. */
  reason: string;
  /** The value came in a variable (coercion, BAD_USER_INPUT) rather than the document's text (validation). */
  variable: boolean;
}

const VARIABLE_MESSAGE =
  /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)" (?:got invalid value |of required type |of non-null type )/;
const PATH_CHARS = String.raw`((?:\.[_A-Za-z][_0-9A-Za-z]*|\[\d+\])*)`;

/** Each argument value of the document (fields' and directives' arguments) with its argument name. */
function argumentValues(doc: DocumentNode): [string, ValueNode][] {
  const found: [string, ValueNode][] = [];
  visit(doc, {
    Argument(node) {
      found.push([node.name.value, node.value]);
    },
  });
  return found;
}

/** The path of the first value under `value` (itself included) that `match` accepts, from `path`. */
function pathIn(value: ValueNode, path: string, match: (v: ValueNode) => boolean): string | undefined {
  if (match(value)) return path;
  if (value.kind === Kind.OBJECT) {
    for (const f of value.fields) {
      const p = pathIn(f.value, `${path}.${f.name.value}`, match);
      if (p !== undefined) return p;
    }
  } else if (value.kind === Kind.LIST) {
    for (const [i, v] of value.values.entries()) {
      const p = pathIn(v, `${path}[${i}]`, match);
      if (p !== undefined) return p;
    }
  }
  return undefined;
}

function argumentPath(doc: DocumentNode, match: (v: ValueNode) => boolean): string | undefined {
  for (const [name, value] of argumentValues(doc)) {
    const p = pathIn(value, name, match);
    if (p !== undefined) return p;
  }
  return undefined;
}

/** The document a node was parsed from, parsed again (only on an error; the node itself has no parent links). */
function documentOf(node: ASTNode): DocumentNode | undefined {
  const source: Source | undefined = node.loc?.source;
  if (!source) return undefined;
  try {
    return parse(source);
  } catch {
    return undefined;
  }
}

/** The GraphQLError graphql-js raised for a request value: the error itself or the one it wraps. */
function unwrap(error: unknown): GraphQLError | undefined {
  for (let e = error; e instanceof GraphQLError; e = e.originalError) {
    if (e.nodes?.length) return e;
  }
  return undefined;
}

/**
 * The argument path and reason of a request error about an input value — a variable graphql-js could
 * not coerce, or a literal that failed validation — or undefined for any other error.
 */
export function inputErrorOf(error: unknown): InputError | undefined {
  const e = unwrap(error);
  const node = e?.nodes?.[0];
  if (!e || !node?.loc) return undefined;
  const doc = documentOf(node);
  if (!doc) return undefined;
  if (node.kind === Kind.VARIABLE_DEFINITION) {
    const name = node.variable.name.value;
    const head = VARIABLE_MESSAGE.exec(e.message);
    if (head?.[1] !== name) return undefined;
    // `… at "i.receivedAt"; reason`: the last such marker (a value's text has its quotes escaped).
    const at = [...e.message.matchAll(new RegExp(` at "${name}${PATH_CHARS}"; `, 'g'))].at(-1);
    const used = argumentPath(doc, (v) => v.kind === Kind.VARIABLE && v.name.value === name);
    if (used === undefined) return undefined;
    // The coercion error graphql-js wrapped holds the reason alone ("not provided" has none).
    const reason = e.originalError instanceof Error ? e.originalError.message : e.message;
    return { field: used + (at?.[1] ?? ''), reason, variable: true };
  }
  const start = node.loc.start;
  const target = node.kind === Kind.OBJECT_FIELD ? node.value : node;
  if (!('kind' in target) || !isValueKind(target.kind)) return undefined;
  const at = argumentPath(
    doc,
    (v) => v.kind === target.kind && v.loc?.start === (target.loc?.start ?? start),
  );
  if (at === undefined) return undefined;
  // `Field "PeriodInput.to" of required type "Date!" was not provided.`: the missing field's path.
  const missing = /^Field "[_A-Za-z][_0-9A-Za-z]*\.([_A-Za-z][_0-9A-Za-z]*)" of required type /.exec(
    e.message,
  );
  return { field: missing ? `${at}.${missing[1]}` : at, reason: e.message, variable: false };
}

const VALUE_KINDS: ReadonlySet<string> = new Set([
  Kind.VARIABLE,
  Kind.INT,
  Kind.FLOAT,
  Kind.STRING,
  Kind.BOOLEAN,
  Kind.NULL,
  Kind.ENUM,
  Kind.LIST,
  Kind.OBJECT,
]);

function isValueKind(kind: string): boolean {
  return VALUE_KINDS.has(kind);
}
