/**
 * What a connector subgraph's SDL declares, read once from its AST: the sources (`@source` on the
 * schema) and, per field, how it is fetched (`@connect`). Every mistake stops start-up with a message
 * naming the field: an unknown source, a template variable the field cannot have, a selection that does
 * not parse, a batch without its key.
 */
import { Kind, parse } from 'graphql';
import type { ConstDirectiveNode, ConstValueNode, DocumentNode, FieldDefinitionNode } from 'graphql';
import { parseSelection } from './selection';
import type { Selection } from './selection';
import { templateVariables } from './template';

export interface SourceSpec {
  readonly name: string;
  /** Template over `$env` only, e.g. `{$env.MOTCUA_URL}`. */
  readonly baseURL: string;
  /** `Name: value` templates over `$env` only: credentials never appear in the SDL. */
  readonly headers: readonly string[];
  readonly timeoutMs: number;
}

export interface BatchSpec {
  /** URL template with one `{$batch.<keyField>}` (the keys, comma-joined). */
  readonly get: string;
  /** The key field of the entity (`code`). */
  readonly keyField: string;
  /** Path of the list in the answer (`duLieu`). */
  readonly items: string;
  /** Field of each list element that holds the key (`maHoSo`). */
  readonly itemKey: string;
  /** The most keys per call. */
  readonly max: number;
}

export interface PagingSpec {
  /** Path of the page's list in the answer (`duLieu`). */
  readonly items: string;
  /** Path of the total count (`tongSo`). */
  readonly total: string;
  /** The legacy page size the connector asks for (`{$page.size}`). */
  readonly pageSize: number;
}

export interface ConnectSpec {
  readonly type: string;
  readonly field: string;
  readonly source: string;
  readonly get: string;
  readonly selection: Selection;
  readonly batch: BatchSpec | null;
  readonly paging: PagingSpec | null;
  /** A selected field holding the record's agency: only callers who may read that agency's records get it. */
  readonly rowAgency: string | null;
}

export interface ConnectorSpec {
  readonly sources: ReadonlyMap<string, SourceSpec>;
  readonly connects: readonly ConnectSpec[];
  /** Object types with `@key`: their `__resolveReference` returns the key as `$this`. */
  readonly entities: readonly string[];
}

function constValue(v: ConstValueNode): unknown {
  switch (v.kind) {
    case Kind.STRING:
    case Kind.ENUM:
      return v.value;
    case Kind.INT:
      return Number(v.value);
    case Kind.BOOLEAN:
      return v.value;
    case Kind.LIST:
      return v.values.map(constValue);
    default:
      return null;
  }
}

function args(d: ConstDirectiveNode): Record<string, unknown> {
  return Object.fromEntries((d.arguments ?? []).map((a) => [a.name.value, constValue(a.value)]));
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function sourceOf(d: ConstDirectiveNode): SourceSpec {
  const a = args(d);
  const name = str(a.name);
  const baseURL = str(a.baseURL);
  if (!name || !baseURL) throw new Error('@source needs name and baseURL');
  const headers = (Array.isArray(a.headers) ? a.headers : []).map(String);
  for (const t of [baseURL, ...headers])
    for (const [scope] of templateVariables(t))
      if (scope !== 'env') throw new Error(`@source(name: "${name}"): "${t}" may use $env only`);
  for (const h of headers)
    if (!/^[A-Za-z0-9-]+:\s*\S/.test(h) || templateVariables(h).length === 0)
      throw new Error(
        `@source(name: "${name}"): header "${h}" must be "Name: {$env.VARIABLE}" (no credentials in the SDL)`,
      );
  const timeoutMs = typeof a.timeoutMs === 'number' ? a.timeoutMs : 2000;
  return { name, baseURL, headers, timeoutMs };
}

function connectOf(
  type: string,
  field: FieldDefinitionNode,
  d: ConstDirectiveNode,
  sources: ReadonlyMap<string, SourceSpec>,
  keyFields: readonly string[],
): ConnectSpec {
  const where = `${type}.${field.name.value}`;
  const a = args(d);
  const source = str(a.source);
  const get = str(a.get);
  const selectionText = str(a.selection);
  if (!source || !sources.has(source))
    throw new Error(`${where}: @connect names no declared @source "${source}"`);
  if (!get || !get.startsWith('/'))
    throw new Error(`${where}: @connect get must be a path starting with "/"`);
  if (!selectionText) throw new Error(`${where}: @connect needs a selection`);
  let selection: Selection;
  try {
    selection = parseSelection(selectionText);
  } catch (err) {
    throw new Error(`${where}: ${(err as Error).message}`);
  }
  const argNames = new Set((field.arguments ?? []).map((x) => x.name.value));
  const paging =
    str(a.items) !== null
      ? {
          items: str(a.items)!,
          total: str(a.total) ?? '',
          pageSize: typeof a.pageSize === 'number' ? a.pageSize : 50,
        }
      : null;
  if (paging && (!paging.total || !argNames.has('first') || !argNames.has('after')))
    throw new Error(`${where}: a paged @connect needs total: and the arguments first and after`);
  const check = (template: string, allowed: string[]) => {
    for (const [scope, name] of templateVariables(template)) {
      if (!allowed.includes(scope)) throw new Error(`${where}: "${template}" cannot use $${scope}`);
      if (scope === 'args' && !argNames.has(name)) throw new Error(`${where}: no argument "${name}"`);
      if ((scope === 'this' || scope === 'batch') && !keyFields.includes(name))
        throw new Error(`${where}: $${scope}.${name} is not a key field of ${type}`);
      if (scope === 'page' && name !== 'number' && name !== 'size')
        throw new Error(`${where}: $page has number and size only`);
    }
  };
  check(get, paging ? ['args', 'this', 'page'] : ['args', 'this']);
  let batch: BatchSpec | null = null;
  if (str(a.batch)) {
    const vars = templateVariables(str(a.batch)!);
    check(str(a.batch)!, ['batch']);
    if (vars.length !== 1 || !str(a.batchItems) || !str(a.batchKey))
      throw new Error(`${where}: batch needs one {$batch.<key>} and batchItems and batchKey`);
    batch = {
      get: str(a.batch)!,
      keyField: vars[0]![1],
      items: str(a.batchItems)!,
      itemKey: str(a.batchKey)!,
      max: typeof a.batchMax === 'number' ? a.batchMax : 100,
    };
  }
  return {
    type,
    field: field.name.value,
    source,
    get,
    selection,
    batch,
    paging,
    rowAgency: str(a.rowAgency),
  };
}

const keyFieldsOf = (directives: readonly ConstDirectiveNode[] | undefined): string[] =>
  (directives ?? [])
    .filter((d) => d.name.value === 'key')
    .flatMap((d) => String(args(d).fields ?? '').split(/\s+/))
    .filter(Boolean);

/** The connectors an SDL declares. */
export function readConnectorSpec(sdl: string | DocumentNode): ConnectorSpec {
  const doc = typeof sdl === 'string' ? parse(sdl) : sdl;
  const sources = new Map<string, SourceSpec>();
  for (const def of doc.definitions)
    if (def.kind === Kind.SCHEMA_DEFINITION || def.kind === Kind.SCHEMA_EXTENSION)
      for (const d of def.directives ?? [])
        if (d.name.value === 'source') {
          const s = sourceOf(d);
          if (sources.has(s.name)) throw new Error(`@source "${s.name}" is declared twice`);
          sources.set(s.name, s);
        }
  const connects: ConnectSpec[] = [];
  const entities: string[] = [];
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const keys = keyFieldsOf(def.directives);
    if (keys.length) entities.push(def.name.value);
    for (const f of def.fields ?? [])
      for (const d of f.directives ?? [])
        if (d.name.value === 'connect') connects.push(connectOf(def.name.value, f, d, sources, keys));
  }
  return { sources, connects, entities };
}
