/**
 * Cursor connections (Relay style) with a hard page-size cap. Cursors are opaque base64url JSON of the
 * keyset position; a cursor that does not decode is BAD_USER_INPUT naming the argument.
 */
import { badInput } from './errors';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface PageWindow<K> {
  /** Rows to fetch: the page size plus one, to learn whether another page follows. */
  fetch: number;
  size: number;
  after: K | null;
}

export const DEFAULT_PAGE_SIZE = 20;

export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor<K>(cursor: string, isKey: (v: unknown) => v is K, arg = 'after'): K {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (isKey(v)) return v;
  } catch {
    /* fall through */
  }
  throw badInput(arg, 'is not a valid cursor');
}

export function pageWindow<K>(
  args: PageArgs,
  maxPageSize: number,
  isKey: (v: unknown) => v is K,
): PageWindow<K> {
  const size = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0) throw badInput('first', 'must be a non-negative integer');
  if (size > maxPageSize) throw badInput('first', `must be at most ${maxPageSize}`);
  return { size, fetch: size + 1, after: args.after ? decodeCursor(args.after, isKey) : null };
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export function toConnection<T, K>(rows: T[], window: PageWindow<K>, keyOf: (row: T) => K): Connection<T> {
  const nodes = rows.slice(0, window.size);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    nodes,
    pageInfo: { hasNextPage: rows.length > window.size, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
