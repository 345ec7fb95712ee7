/**
 * Resolvers generated from a connector spec (spec.ts): no resolver is written per field. Per request
 * (the loaders the kit creates for each request), every GET is made once per URL, and a field with a
 * batch endpoint collects the keys of all the entities of one query into one call per `batchMax` keys
 * (DataLoader). The legacy paging (page number + size, total) becomes the graph's cursor connections.
 */
import DataLoader from 'dataloader';
import { AppError, ErrorCode } from '../runtime/errors';
import type { RequestContext } from '../runtime/context';
import { cursorPart, encodeCursor, pageWindow } from '../runtime/pagination';
import { badGateway, getJson, isMissing } from './http';
import type { Source } from './http';
import { applySelection, valueAt } from './selection';
import type { ConnectSpec, ConnectorSpec, SourceSpec } from './spec';
import { expand } from './template';
import type { Vars } from './template';

/** What a connector subgraph keeps per request. */
export interface ConnectorLoaders {
  readonly connectors: {
    /** One GET per source and URL within a request. */
    readonly gets: Map<string, Promise<unknown>>;
    /** One batch loader per batched field. */
    readonly batches: Map<string, DataLoader<string, unknown>>;
  };
}

export const createConnectorLoaders = (): ConnectorLoaders => ({
  connectors: { gets: new Map(), batches: new Map() },
});

type Ctx = RequestContext<ConnectorLoaders>;

/** The source as configured now: its `$env` placeholders filled from the process environment. */
function configured(spec: SourceSpec, env: NodeJS.ProcessEnv): Source {
  try {
    const vars: Vars = { env };
    const headers = Object.fromEntries(
      spec.headers.map((h) => {
        const i = h.indexOf(':');
        return [h.slice(0, i).trim(), expand(h.slice(i + 1).trim(), vars, false)];
      }),
    );
    return {
      name: spec.name,
      baseURL: expand(spec.baseURL, vars, false),
      headers,
      timeoutMs: spec.timeoutMs,
    };
  } catch (err) {
    throw new AppError(
      ErrorCode.SERVICE_UNAVAILABLE,
      `The existing system "${spec.name}" is not configured (${(err as Error).message})`,
    );
  }
}

function get(ctx: Ctx, source: Source, url: string): Promise<unknown> {
  const key = `${source.name} ${url}`;
  let p = ctx.loaders.connectors.gets.get(key);
  if (!p) {
    p = getJson(source, url);
    ctx.loaders.connectors.gets.set(key, p);
  }
  return p;
}

async function readable(ctx: Ctx, c: ConnectSpec, value: unknown): Promise<boolean> {
  if (!c.rowAgency || value === null || typeof value !== 'object') return true;
  const agencyCode = (value as Record<string, unknown>)[c.rowAgency];
  return ctx.access.canRead({ agencyCode: typeof agencyCode === 'string' ? agencyCode : null });
}

async function guard(ctx: Ctx, c: ConnectSpec, value: unknown): Promise<unknown> {
  if (Array.isArray(value)) {
    const keep = await Promise.all(value.map((v) => readable(ctx, c, v)));
    return value.filter((_, i) => keep[i]);
  }
  if (c.rowAgency && value !== null && typeof value === 'object') {
    const agencyCode = (value as Record<string, unknown>)[c.rowAgency];
    await ctx.access.requireRead(
      { agencyCode: typeof agencyCode === 'string' ? agencyCode : null },
      `${c.type}.${c.field}`,
    );
  }
  return value;
}

function batchLoader(ctx: Ctx, c: ConnectSpec, source: Source): DataLoader<string, unknown> {
  const id = `${c.type}.${c.field}`;
  let l = ctx.loaders.connectors.batches.get(id);
  if (l) return l;
  const b = c.batch!;
  l = new DataLoader<string, unknown>(
    async (keys) => {
      const json = await get(ctx, source, expand(b.get, { batch: { [b.keyField]: keys } }));
      if (isMissing(json)) return keys.map(() => null);
      const items = valueAt(json, b.items);
      if (!Array.isArray(items)) throw badGateway(source, `no list at "${b.items}"`);
      const byKey = new Map(items.map((it) => [String(valueAt(it, b.itemKey)), it as unknown]));
      return keys.map((k) => byKey.get(k) ?? null);
    },
    { maxBatchSize: b.max },
  );
  ctx.loaders.connectors.batches.set(id, l);
  return l;
}

async function paged(ctx: Ctx, c: ConnectSpec, source: Source, vars: Vars, args: Record<string, unknown>) {
  const p = c.paging!;
  const window = pageWindow(args as { first?: number; after?: string }, ctx.maxPageSize, cursorPart.offset);
  const offset = window.after ?? 0;
  const firstPage = Math.floor(offset / p.pageSize);
  const lastPage = Math.floor((offset + Math.max(window.size, 1) - 1) / p.pageSize);
  const pages = await Promise.all(
    Array.from({ length: lastPage - firstPage + 1 }, (_, i) =>
      get(ctx, source, expand(c.get, { ...vars, page: { number: firstPage + i + 1, size: p.pageSize } })),
    ),
  );
  const total = isMissing(pages[0]) ? 0 : Number(valueAt(pages[0], p.total));
  if (!Number.isSafeInteger(total) || total < 0) throw badGateway(source, `no count at "${p.total}"`);
  const rows: unknown[] = [];
  for (const page of pages) {
    if (isMissing(page)) break;
    const items = valueAt(page, p.items);
    if (!Array.isArray(items)) throw badGateway(source, `no list at "${p.items}"`);
    rows.push(...items);
  }
  const start = offset - firstPage * p.pageSize;
  const nodes = (await guard(
    ctx,
    c,
    applySelection(c.selection, rows.slice(start, start + window.size)),
  )) as unknown[];
  const edges = nodes.map((node, i) => ({ cursor: encodeCursor(offset + i + 1), node }));
  return {
    edges,
    nodes,
    totalCount: total,
    pageInfo: { hasNextPage: offset + window.size < total, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

function fieldResolver(c: ConnectSpec, sourceSpec: SourceSpec) {
  return async (parent: Record<string, unknown> | undefined, args: Record<string, unknown>, ctx: Ctx) => {
    const source = configured(sourceSpec, process.env);
    const vars: Vars = { args, this: parent ?? {} };
    if (c.paging) return paged(ctx, c, source, vars, args);
    let raw: unknown;
    if (c.batch && parent && parent[c.batch.keyField] != null)
      raw = await batchLoader(ctx, c, source).load(String(parent[c.batch.keyField]));
    else raw = await get(ctx, source, expand(c.get, vars));
    if (isMissing(raw) || raw === null) return null;
    return guard(ctx, c, applySelection(c.selection, raw));
  };
}

/** The resolver map of a connector spec: every `@connect` field, and `__resolveReference` of each entity. */
export function connectorResolvers(spec: ConnectorSpec): Record<string, Record<string, unknown>> {
  const map: Record<string, Record<string, unknown>> = {};
  for (const type of spec.entities) map[type] = { __resolveReference: (ref: object) => ref };
  for (const c of spec.connects)
    (map[c.type] ??= {})[c.field] = fieldResolver(c, spec.sources.get(c.source)!);
  return map;
}
