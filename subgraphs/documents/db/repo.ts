/**
 * Read access for the documents subgraph. Every document read goes through the `public_documents`
 * view, so secret documents can never be returned. Functions take arrays of keys so loaders can batch.
 */
import type { Queryable } from '../../../kit/db';
import { agencies, agencySubtree } from '../../../kit/catalogue';
import type { AgencyNumberingRow, AssignmentRow, DocumentRow, RecipientRow, StatsRow } from './rows';
import { agencyNumbering, documentRecipients, documents, processingAssignments } from './tables';

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
  typeof v[1] === 'string' &&
  /^\d{4}-\d{2}-\d{2}$/.test(v[1]) &&
  Number.isSafeInteger(v[2]);

export interface DocumentQuery {
  filter: DocumentFilter;
  /** Accent-folded search text (LIKE-escaped); absent = plain listing. */
  fold?: string;
  exact?: string;
  after: DocumentKey | null;
  limit: number;
}

/** WHERE conditions of a document filter; `params` is appended to. */
function filterConditions(f: DocumentFilter, params: unknown[]): string[] {
  const where: string[] = [];
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
function afterWithinRank(after: DocumentKey | null, rank: 0 | 1, params: unknown[]): string | null {
  if (!after || after[0] < rank) return after ? 'false' : null;
  if (after[0] > rank) return null; // every row of a lower rank comes after the cursor
  params.push(after[1], after[2]);
  return `(d.issued_date, d.id) < ($${params.length - 1}::date, $${params.length}::bigint)`;
}

const where = (conditions: (string | null)[]): string => {
  const c = conditions.filter((x): x is string => x !== null);
  return c.length ? `WHERE ${c.join(' AND ')}` : '';
};

/**
 * A page of documents, newest first. With search text, documents whose exact-accent key matches
 * (rank 1) come before those that match only when folded (rank 0): two branches, each read in
 * date order and cut at the page size, so a common phrase never sorts all of its matches.
 */
export async function findDocuments(db: Queryable, q: DocumentQuery): Promise<DocumentRow[]> {
  const params: unknown[] = [];
  const filters = filterConditions(q.filter, params);
  if (q.fold === undefined) {
    const after = afterWithinRank(q.after, 0, params);
    params.push(q.limit);
    return db.query<DocumentRow>(
      `SELECT ${DOCUMENT_COLUMNS}, 0 AS rank FROM public_documents d ${where([...filters, after])}
       ORDER BY d.issued_date DESC, d.id DESC LIMIT $${params.length}`,
      params,
    );
  }
  params.push(q.fold, q.exact);
  const fold = `'%' || $${params.length - 1} || '%'`;
  const exact = `'%' || $${params.length} || '%'`;
  const exactWhere = where([
    ...filters,
    `d.exact_key LIKE ${exact} ESCAPE '\\'`,
    afterWithinRank(q.after, 1, params),
  ]);
  const foldWhere = where([
    ...filters,
    `d.search_key LIKE ${fold} ESCAPE '\\'`,
    `d.exact_key NOT LIKE ${exact} ESCAPE '\\'`,
    afterWithinRank(q.after, 0, params),
  ]);
  params.push(q.limit);
  const limit = `$${params.length}`;
  return db.query<DocumentRow>(
    `SELECT * FROM (
       (SELECT ${DOCUMENT_COLUMNS}, 1 AS rank FROM public_documents d ${exactWhere}
        ORDER BY d.issued_date DESC, d.id DESC LIMIT ${limit})
       UNION ALL
       (SELECT ${DOCUMENT_COLUMNS}, 0 AS rank FROM public_documents d ${foldWhere}
        ORDER BY d.issued_date DESC, d.id DESC LIMIT ${limit})
     ) x ORDER BY rank DESC, "issuedDate" DESC, id DESC LIMIT ${limit}`,
    params,
  );
}

/** One query for the same page of documents of many agencies (Agency.documents on a list of agencies). */
export async function findDocumentsForAgencies(
  db: Queryable,
  codes: readonly string[],
  q: DocumentQuery,
): Promise<DocumentRow[]> {
  const params: unknown[] = [codes];
  const filters = filterConditions({ ...q.filter, agencyCode: null }, params);
  const after = afterWithinRank(q.after, 0, params);
  params.push(q.limit);
  return db.query<DocumentRow>(
    `SELECT x.* FROM unnest($1::text[]) AS a(code)
     CROSS JOIN LATERAL (
       SELECT ${DOCUMENT_COLUMNS}, 0 AS rank FROM public_documents d
       ${where(['d.agency_code = a.code', ...filters, after])}
       ORDER BY d.issued_date DESC, d.id DESC LIMIT $${params.length}
     ) x`,
    params,
  );
}

export const documentsByIds = (db: Queryable, ids: readonly number[]): Promise<DocumentRow[]> =>
  db.query<DocumentRow>(`SELECT ${DOCUMENT_COLUMNS} FROM public_documents d WHERE d.id = ANY($1::bigint[])`, [
    ids,
  ]);

/** The document an agency issued with this number/symbol in this year (its outgoing record first). */
export async function documentByNumber(
  db: Queryable,
  agencyCode: string,
  year: number,
  numberSymbol: string,
): Promise<DocumentRow | null> {
  const rows = await db.query<DocumentRow>(
    `SELECT ${DOCUMENT_COLUMNS} FROM public_documents d
     WHERE d.year = $2 AND d.number_symbol = $3
       AND ((d.direction = 'OUTGOING' AND d.agency_code = $1) OR (d.direction = 'INCOMING' AND d.issuer_code = $1))
     ORDER BY (d.direction = 'OUTGOING') DESC, d.id LIMIT 1`,
    [agencyCode, year, numberSymbol],
  );
  return rows[0] ?? null;
}

export const recipientsByDocumentIds = (db: Queryable, ids: readonly number[]): Promise<RecipientRow[]> =>
  db.query<RecipientRow>(
    `SELECT ${documentRecipients.select('r')} FROM document_recipients r
     WHERE r.document_id = ANY($1::bigint[]) ORDER BY r.document_id, r.position`,
    [ids],
  );

const ASSIGNMENT_COLUMNS = processingAssignments.select('a');

export const assignmentsByDocumentIds = (db: Queryable, ids: readonly number[]): Promise<AssignmentRow[]> =>
  db.query<AssignmentRow>(
    `SELECT ${ASSIGNMENT_COLUMNS} FROM processing_assignments a WHERE a.document_id = ANY($1::bigint[])
     ORDER BY a.document_id, a.id`,
    [ids],
  );

export const assignmentsByIds = (db: Queryable, ids: readonly number[]): Promise<AssignmentRow[]> =>
  db.query<AssignmentRow>(
    `SELECT ${ASSIGNMENT_COLUMNS} FROM processing_assignments a
     WHERE a.id = ANY($1::bigint[]) AND EXISTS (SELECT 1 FROM public_documents d WHERE d.id = a.document_id)`,
    [ids],
  );

export interface StatsQuery {
  from: string;
  to: string;
  includeSubordinates: boolean;
}

/**
 * Document KPIs per agency (optionally with every agency under it, past and present — the catalogue's
 * subtree), one query for many agencies.
 */
export async function documentStats(
  db: Queryable,
  codes: readonly string[],
  q: StatsQuery,
): Promise<StatsRow[]> {
  return db.query<StatsRow>(
    `WITH scope(root, code) AS (
       SELECT r.code, r.code FROM unnest($1::text[]) AS r(code) WHERE NOT $4::boolean
       UNION ALL
       SELECT r.code, t.code FROM unnest($1::text[]) AS r(code)
       CROSS JOIN LATERAL ${agencySubtree('r.code')} AS t(code) WHERE $4::boolean
     ),
     counts AS (
       SELECT s.root AS agency_code,
         count(*) FILTER (WHERE d.direction = 'OUTGOING') AS outgoing_total,
         count(*) FILTER (WHERE d.direction = 'OUTGOING' AND d.electronic) AS outgoing_electronic,
         count(*) FILTER (WHERE d.electronic) AS electronic_total,
         count(*) FILTER (WHERE d.electronic AND d.digitally_signed) AS digitally_signed,
         count(*) FILTER (WHERE d.direction = 'INCOMING') AS incoming_total,
         count(*) FILTER (WHERE d.direction = 'INCOMING' AND d.status <> 'DA_VAO_SO') AS incoming_assigned,
         count(*) FILTER (WHERE d.direction = 'INCOMING' AND d.status <> 'DA_VAO_SO'
           AND d.due_date < LEAST($3::date, CURRENT_DATE)
           AND (d.completed_at IS NULL OR d.completed_at::date > LEAST($3::date, CURRENT_DATE))) AS incoming_overdue
       FROM scope s JOIN public_documents d ON d.agency_code = s.code
       WHERE d.issued_date BETWEEN $2::date AND $3::date
       GROUP BY s.root
     )
     SELECT r.code AS "agencyCode",
       coalesce(c.outgoing_total, 0) AS "outgoingTotal",
       coalesce(c.outgoing_electronic, 0) AS "outgoingElectronic",
       round(c.outgoing_electronic::numeric / nullif(c.outgoing_total, 0), 4) AS "electronicRatio",
       coalesce(c.electronic_total, 0) AS "electronicTotal",
       coalesce(c.digitally_signed, 0) AS "digitallySigned",
       round(c.digitally_signed::numeric / nullif(c.electronic_total, 0), 4) AS "digitallySignedRatio",
       coalesce(c.incoming_total, 0) AS "incomingTotal",
       coalesce(c.incoming_assigned, 0) AS "incomingAssigned",
       coalesce(c.incoming_overdue, 0) AS "incomingOverdue",
       round(c.incoming_overdue::numeric / nullif(c.incoming_assigned, 0), 4) AS "overdueRatio"
     FROM unnest($1::text[]) AS r(code) LEFT JOIN counts c ON c.agency_code = r.code`,
    [codes, q.from, q.to, q.includeSubordinates],
  );
}

/** The catalogue agencies with how each numbers what it issues (documents' agency_numbering). */
export const agenciesForNumbering = (
  db: Queryable,
  codes: readonly string[],
): Promise<AgencyNumberingRow[]> =>
  db.query<AgencyNumberingRow>(
    `SELECT ${agencies.select('a')}, ${agencyNumbering.select('n')}
     FROM agencies a JOIN agency_numbering n ON n.agency_code = a.code WHERE a.code = ANY($1::text[])`,
    [codes],
  );
