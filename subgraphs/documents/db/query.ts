/**
 * Document queries shared by listing and search: the select list, filters, the keyset cursor. Every
 * document read goes through the `public_documents` view, so secret documents can never be returned.
 */
import { cursorPart, rowCondition } from '../../../kit';
import type { RowScope } from '../../../kit';
import { documents } from './tables';

/**
 * The documents a caller may read (kit/runtime/access.ts): issued (outgoing) documents are published, so
 * everyone reads them; the incoming register only officials (and partners with `documents:read`) of
 * the registering agency or above, analysts and admins. Null when every document is readable.
 */
export function visibleCondition(scope: RowScope, params: unknown[]): string | null {
  const own = rowCondition(scope, { agency: 'd.agency_code' }, params);
  return own === null ? null : `(d.direction = 'OUTGOING' OR ${own})`;
}

/** Whether a caller with `scope` may read document `d` (the same rule, in memory). */
export function isVisible(scope: RowScope, d: { direction: string; agencyCode: string }): boolean {
  if (d.direction === 'OUTGOING' || scope.kind === 'all') return true;
  return scope.kind === 'agencies' && scope.codes.includes(d.agencyCode);
}

/** The select list of a document read from `public_documents d`, aliased to the row's camelCase names. */
export const DOCUMENT_COLUMNS = documents.select('d');

export interface DocumentFilter {
  direction?: string | null;
  agencyCode?: string | null;
  /** A Decree 30 code, or null for công văn; undefined = any type. */
  typeCode?: string | null;
  issuedFrom?: string | null;
  issuedTo?: string | null;
  electronic?: boolean | null;
  urgency?: string | null;
}

/** Keyset position in (rank DESC, issued_date DESC, id DESC) order. */
export type DocumentKey = [rank: number, issuedDate: string, id: number];
export const isDocumentKey = (v: unknown): v is DocumentKey =>
  Array.isArray(v) &&
  v.length === 3 &&
  (v[0] === 0 || v[0] === 1) &&
  cursorPart.date(v[1]) &&
  cursorPart.id(v[2]);

export interface DocumentQuery {
  filter: DocumentFilter;
  /** The rows the caller may read. */
  scope: RowScope;
  /** Accent-folded search text (LIKE-escaped); absent = plain listing. */
  fold?: string;
  exact?: string;
  after: DocumentKey | null;
  limit: number;
}

/** WHERE conditions of a document filter, within what `scope` may read; `params` is appended to. */
export function filterConditions(f: DocumentFilter, scope: RowScope, params: unknown[]): string[] {
  const where: string[] = [];
  const visible = visibleCondition(scope, params);
  if (visible) where.push(visible);
  const add = (sqlFor: (p: string) => string, v: unknown): void => {
    params.push(v);
    where.push(sqlFor(`$${params.length}`));
  };
  if (f.direction) add((p) => `d.direction = ${p}`, f.direction);
  if (f.agencyCode) add((p) => `d.agency_code = ${p}`, f.agencyCode);
  if (f.typeCode === null) where.push(`d.type_code IS NULL`);
  else if (f.typeCode !== undefined) add((p) => `d.type_code = ${p}`, f.typeCode);
  if (f.issuedFrom) add((p) => `d.issued_date >= ${p}::date`, f.issuedFrom);
  if (f.issuedTo) add((p) => `d.issued_date <= ${p}::date`, f.issuedTo);
  if (f.electronic != null) add((p) => `d.electronic = ${p}`, f.electronic);
  if (f.urgency) add((p) => `d.urgency = ${p}`, f.urgency);
  return where;
}

/** Keyset condition for rows after `after` within one rank, or null when that rank lies wholly before. */
export function afterWithinRank(after: DocumentKey | null, rank: 0 | 1, params: unknown[]): string | null {
  if (!after || after[0] < rank) return after ? 'false' : null;
  if (after[0] > rank) return null; // every row of a lower rank comes after the cursor
  params.push(after[1], after[2]);
  return `(d.issued_date, d.id) < ($${params.length - 1}::date, $${params.length}::bigint)`;
}

export const where = (conditions: (string | null)[]): string => {
  const c = conditions.filter((x): x is string => x !== null);
  return c.length ? `WHERE ${c.join(' AND ')}` : '';
};
