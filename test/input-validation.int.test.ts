/**
 * Generated input validation (issue 14, "Input validation that names the argument"): every argument
 * of every field and mutation of the supergraph (schema/supergraph.graphql, input objects recursed,
 * lists at item 0) gets the malformed values of its type (test/support/inputCases.ts) through the
 * gateway, in variables and as literals. Each must be refused naming the argument's path in
 * `extensions.field`, the message `<path>: <reason>` with the real reason; BAD_USER_INPUT, except a
 * literal graphql-js's own types refuse at validation (GRAPHQL_VALIDATION_FAILED); never
 * INTERNAL_SERVER_ERROR. Mutations write nothing: the subgraphs' rows and audit-logged mutations are
 * counted before and after. A new field or argument is covered without editing this file; a new type
 * with arguments needs a route in ROUTES (the test says so).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildASTSchema, parse } from 'graphql';
import type { GraphQLField } from 'graphql';
import { ROOT } from '../schema/registry';
import { BASE, callerOf, discoverKeys, ROUTES } from './support/inputFixtures';
import { startFederatedStack } from './support/subgraphs';
import type { FederatedStack } from './support/subgraphs';
import {
  badValuesOf,
  fieldsWithArguments,
  leaves,
  literal,
  printPath,
  sampleOf,
  setAt,
  tamperedCursors,
} from './support/inputCases';
import type { BadValue, Leaf } from './support/inputCases';

jest.setTimeout(120_000);

const schema = buildASTSchema(parse(readFileSync(path.join(ROOT, 'schema/supergraph.graphql'), 'utf8')), {
  assumeValidSDL: true,
});

let stack: FederatedStack;

beforeAll(async () => {
  stack = await startFederatedStack({
    scale: 0.02,
    gatewayEnv: { GATEWAY_RATE_LIMIT_PER_IP: '0', GATEWAY_RATE_LIMIT_PER_SUBJECT: '0' },
  });
  await discoverKeys(stack);
}, 180_000);

afterAll(async () => stack?.close());

interface Case {
  leaf: Leaf;
  bad: BadValue;
  path: string;
}

function casesOf(field: GraphQLField<unknown, unknown>, realCursor: string | null): Case[] {
  return leaves(field.args).flatMap((leaf) => {
    const name = String(leaf.path.at(-1));
    const bad = badValuesOf(leaf.typeName, name, leaf.enumType);
    if (leaf.path.length === 1 && name === 'after') bad.push(...tamperedCursors(realCursor));
    return bad.map((b) => ({ leaf, bad: b, path: printPath(leaf.path) }));
  });
}

/** The selection under a field: `__typename` for an object type, nothing for a leaf. */
function selectionOf(field: GraphQLField<unknown, unknown>): string {
  const type = schema.getType(String(field.type).replace(/[[\]!]/g, ''));
  return type && 'getFields' in type ? ' { __typename }' : '';
}

/**
 * An operation calling the field (through its type's route) with the baseline arguments, samples for
 * the other required ones and `change` applied, in variables or as literals.
 */
function operation(
  coordinate: string,
  field: GraphQLField<unknown, unknown>,
  change: (args: Record<string, unknown>) => void,
  form: 'variables' | 'literals',
  selection = selectionOf(field),
) {
  const [typeName] = coordinate.split('.') as [string];
  const [open, close] = ROUTES[typeName]!();
  const args: Record<string, unknown> = { ...(BASE[coordinate]?.() ?? {}) };
  for (const a of field.args)
    if (!(a.name in args) && String(a.type).endsWith('!')) args[a.name] = sampleOf(a.type);
  change(args);
  const defs = field.args.filter((a) => a.name in args);
  const call = (inner: string) => `${typeName === 'Mutation' ? 'mutation' : 'query'}${inner}`;
  if (form === 'variables') {
    const vars = defs.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
    const use = defs.map((a) => `${a.name}: $${a.name}`).join(', ');
    return {
      query: call(`(${vars}) { ${open} ${field.name}(${use})${selection} ${close} }`),
      variables: args,
    };
  }
  const use = defs.map((a) => `${a.name}: ${literal(args[a.name], a.type)}`).join(', ');
  return { query: call(` { ${open} ${field.name}(${use})${selection} ${close} }`), variables: {} };
}

/** The case's bad value at its leaf, the other arguments valid. */
function caseOperation(
  coordinate: string,
  field: GraphQLField<unknown, unknown>,
  c: Case,
  form: 'variables' | 'literals',
) {
  const [argName, ...rest] = c.leaf.path as [string, ...(string | number)[]];
  const argDef = field.args.find((a) => a.name === argName)!;
  return operation(
    coordinate,
    field,
    (args) => (args[argName] = setAt(args[argName], argDef.type, rest, c.bad.value)),
    form,
  );
}

/** A real cursor of the connection (its first row's), to tamper with; null when it has no row. */
async function realCursorOf(
  coordinate: string,
  field: GraphQLField<unknown, unknown>,
): Promise<string | null> {
  if (!field.args.some((a) => a.name === 'after')) return null;
  const op = operation(
    coordinate,
    field,
    (args) => (args.first = 1),
    'variables',
    ' { pageInfo { endCursor } }',
  );
  const r = await stack.gql(op.query, op.variables, callerOf(coordinate));
  expect(r.errors).toBeUndefined();
  const value = (function find(v: any): string | null {
    if (!v || typeof v !== 'object') return null;
    if ('endCursor' in v) return v.endCursor;
    for (const x of Object.values(v)) {
      const found = find(x);
      if (found !== null) return found;
    }
    return null;
  })(r.data);
  return value;
}

/** What is wrong with the answer to a case, or null when it is the refusal the case expects. */
function verdict(r: any, c: Case, form: 'variables' | 'literals'): string | null {
  const errors: any[] = r.errors ?? [];
  if (c.bad.mayAnswer && !errors.length) return null;
  const brief = JSON.stringify(
    errors.map((e) => [e.extensions?.code, e.extensions?.field, String(e.message).slice(0, 120)]),
  );
  if (errors.some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR')) return `internal error ${brief}`;
  const e = errors.find((x) => x.extensions?.field === c.path);
  if (!e) return `no error names ${c.path}: ${brief}`;
  const code = form === 'literals' && c.bad.typeError ? 'GRAPHQL_VALIDATION_FAILED' : 'BAD_USER_INPUT';
  if (e.extensions.code !== code) return `${e.extensions.code} instead of ${code}: ${brief}`;
  const prefix = `${c.path}: `;
  if (!e.message.startsWith(prefix) || !c.bad.reason.test(e.message.slice(prefix.length)))
    return `message ${JSON.stringify(e.message.slice(0, 200))} does not give the reason ${c.bad.reason}`;
  return null;
}

/** Rows of every table of every subgraph, and the mutations its audit log recorded. */
async function written(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [name, sub] of stack.subgraphs) {
    const tables = await sub.db.query<{ t: string }>(
      `SELECT format('%I.%I', table_schema, table_name) AS t FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    const counts = await sub.db.query<{ t: string; n: number }>(
      tables
        .map(
          (x) =>
            `SELECT '${x.t}' AS t, count(*)::int AS n FROM ${x.t}${x.t.endsWith('audit_log') ? ` WHERE kind = 'mutation'` : ''}`,
        )
        .join(' UNION ALL '),
    );
    out[name] = Object.fromEntries(counts.map((x) => [x.t, x.n]));
  }
  return out;
}

// Subscription fields are not served over HTTP POST (400 SUBSCRIPTIONS_NOT_SUPPORTED, docs/subscriptions.md):
// their operations are validated at subscribe time over graphql-ws/graphql-sse
// (test/subscriptions-protocol.services.test.ts), not by this walk.
const FIELDS = fieldsWithArguments(schema).filter(([c]) => !c.startsWith('Subscription.'));

test('the walk covers every field with arguments, each reachable by a route', () => {
  expect(FIELDS.length).toBeGreaterThan(50);
  expect(FIELDS.map(([c]) => c.split('.')[0]).filter((t) => !ROUTES[t!])).toEqual([]);
});

test.each(FIELDS.map(([c, f]) => [c, f] as const))(
  '%s: malformed arguments are refused naming the argument',
  async (coordinate, field) => {
    const before = coordinate.startsWith('Mutation.') ? await written() : null;
    const failures: string[] = [];
    for (const c of casesOf(field, await realCursorOf(coordinate, field))) {
      for (const form of ['variables', 'literals'] as const) {
        const op = caseOperation(coordinate, field, c, form);
        const r = await stack.gql(op.query, op.variables, callerOf(coordinate));
        const wrong = verdict(r, c, form);
        if (wrong) failures.push(`${c.path} = ${c.bad.label} (${form}): ${wrong}`);
      }
    }
    expect(failures).toEqual([]);
    if (before) expect(await written()).toEqual(before);
  },
);
