/**
 * Cursor connections (Relay style) with a hard page-size cap. Cursors are opaque base64url JSON of the
 * keyset position; a cursor that does not decode to a well-formed position — each part checked as
 * strictly as the column it is compared with (`cursorPart`) — is BAD_USER_INPUT "after: is not a valid
 * cursor", never a database error (a tampered `["2026-02-30…", 1]` reached PostgreSQL as 22008). A
 * well-formed position is only a place to start from: rows are still filtered by the caller's access.
 */
import { isIsoDate } from '../reference/calendar';
import { badInput } from './errors';
import { MAX_YEAR, MIN_YEAR } from './scalars';

const INT4_MAX = 2_147_483_647;
const INSTANT = /^(\d{4}-\d{2}-\d{2})[T ]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)$/;
const inYears = (date: string): boolean => {
  const y = Number(date.slice(0, 4));
  return isIsoDate(date) && y >= MIN_YEAR && y <= MAX_YEAR;
};

/** Checks of keyset cursor parts, as strict as the PostgreSQL columns they are compared with. */
export const cursorPart = {
  /** An `int` column (32-bit). */
  int: (v: unknown): v is number => Number.isInteger(v) && Math.abs(v as number) <= INT4_MAX,
  /** An offset into a list (the connectors' legacy paging): a non-negative 32-bit integer. */
  offset: (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= INT4_MAX,
  /** A `bigint` id: a positive safe integer. */
  id: (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0,
  /** A `date`: a real calendar date within the Date scalar's years. */
  date: (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && inYears(v),
  /** A `timestamptz` as the key encodes it (ISO-8601 with a zone): a real date and time of day. */
  instant: (v: unknown): v is string => {
    const m = typeof v === 'string' ? INSTANT.exec(v) : null;
    return m !== null && inYears(m[1]!);
  },
  /** A `text` key of at most `max` characters. */
  text:
    (max = 200) =>
    (v: unknown): v is string =>
      typeof v === 'string' && v.length <= max,
};

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
