/**
 * Read access for the documents subgraph. Every document read goes through the `public_documents`
 * view, so secret documents can never be returned. Functions take arrays of keys so loaders can batch.
 */
import type { Queryable } from '../../../kit/db';
import type {
  AgencyRow,
  AssignmentRow,
  DocumentRow,
  RecipientRow,
  StatsRow,
  SuccessionRow,
  UnitRow,
} from './rows';

export const DOCUMENT_COLUMNS = `d.id, d.direction, d.agency_code, d.issuer_code, d.issuer_name, d.number, d.number_year,
  d.type_code, d.organ_symbol, d.unit_symbol, d.number_symbol, d.year, d.subject, d.issued_date, d.issued_place,
  d.signer_official_id, d.signer_name, d.signer_position, d.signer_competence, d.urgency, d.electronic,
  d.digitally_signed, d.register_book, d.page_count, d.copies, d.arrival_number, d.received_at, d.due_date,
  d.status, d.completed_at`;

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
  /** Search text as syllables (kit/text `foldKey` / `exactKey`); absent = plain listing. */
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
 * Syllable-phrase match (migration 010): the key's syllables as a stored, GIN-indexed 'simple' tsvector
 * (split at spaces only, positions kept) against the query's syllables as a phrase (`a <-> b`), so
 * `hoa` matches the syllable `hoa` but never `hoach`.
 */
const phraseMatch = (tsv: string, param: string): string => `${tsv} @@ phraseto_tsquery('simple', ${param})`;

/** How many of the newest candidate rows a search branch checks before it asks the index. */
const SEARCH_WINDOW = 1000;

/**
 * Two CTEs, `<name>_recent` and `<name>`, reading the first `limit` rows of one rank in date order.
 * A phrase's matches may be frequent (a common phrase: walking the date index finds a page at once,
 * while the text index would fetch and sort all of them) or rare (only the text index is fast), and the
 * planner estimates a phrase as if its syllables were independent, so it underestimates common phrases
 * and reads all of their matches. So: check the newest SEARCH_WINDOW candidates first; only if they hold
 * less than a page, run the branch as the planner sees fit. `count(*) … < limit` is a one-time filter:
 * when false, that part is not executed at all. (Forcing the text index there would price every plan
 * above PostgreSQL's JIT threshold, and compiling costs ~100 ms per query.)
 */
function searchBranch(name: string, rank: 0 | 1, base: string[], match: string[], limit: string): string {
  const order = 'ORDER BY d.issued_date DESC, d.id DESC';
  return `${name}_recent AS MATERIALIZED (
      SELECT ${DOCUMENT_COLUMNS}, ${rank} AS rank FROM (
        SELECT * FROM public_documents d ${where(base)} ${order} LIMIT ${SEARCH_WINDOW}
      ) d ${where(match)} ${order} LIMIT ${limit}),
    ${name} AS MATERIALIZED (
      SELECT * FROM ${name}_recent WHERE (SELECT count(*) FROM ${name}_recent) >= ${limit}
      UNION ALL
      (SELECT ${DOCUMENT_COLUMNS}, ${rank} AS rank FROM public_documents d
       ${where([...base, ...match, `(SELECT count(*) FROM ${name}_recent) < ${limit}`])}
       ${order} LIMIT ${limit}))`;
}

/**
 * A page of documents, newest first. With search text, documents whose exact-accent key matches
 * (rank 1) come before those that match only when folded (rank 0): two branches, each read in
 * date order and cut at the page size, so a common phrase never sorts all of its matches. The folded
 * branch is only read when the exact matches do not fill the page.
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
  params.push(q.fold, q.exact, q.limit);
  const n = params.length;
  const fold = phraseMatch('d.search_tsv', `$${n - 2}`);
  const exact = phraseMatch('d.exact_tsv', `$${n - 1}`);
  const limit = `$${n}`;
  const exactAfter = afterWithinRank(q.after, 1, params);
  // Past the exact rank (a cursor in the folded rank), the exact branch is left out rather than
  // filtered by `false`, which the planner would still price (and then JIT-compile).
  const exactBranch =
    exactAfter === 'false'
      ? `exact_page AS (SELECT ${DOCUMENT_COLUMNS}, 1 AS rank FROM public_documents d LIMIT 0)`
      : searchBranch('exact_page', 1, exactAfter ? [...filters, exactAfter] : filters, [exact], limit);
  const foldAfter = afterWithinRank(q.after, 0, params);
  const foldBase = [
    ...filters,
    `(SELECT count(*) FROM exact_page) < ${limit}`,
    ...(foldAfter ? [foldAfter] : []),
  ];
  return db.query<DocumentRow>(
    `WITH ${exactBranch},
     ${searchBranch('fold_page', 0, foldBase, [fold, `NOT (${exact})`], limit)}
     SELECT * FROM exact_page UNION ALL SELECT * FROM fold_page
     ORDER BY rank DESC, issued_date DESC, id DESC LIMIT ${limit}`,
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
    `SELECT document_id, position, agency_code, name FROM document_recipients
     WHERE document_id = ANY($1::bigint[]) ORDER BY document_id, position`,
    [ids],
  );

const ASSIGNMENT_COLUMNS = `id, document_id, assignee_official_id, assignee_name, role, state, assigned_at, due_date,
  completed_at, note`;

export const assignmentsByDocumentIds = (db: Queryable, ids: readonly number[]): Promise<AssignmentRow[]> =>
  db.query<AssignmentRow>(
    `SELECT ${ASSIGNMENT_COLUMNS} FROM processing_assignments WHERE document_id = ANY($1::bigint[])
     ORDER BY document_id, id`,
    [ids],
  );

export const assignmentsByIds = (db: Queryable, ids: readonly number[]): Promise<AssignmentRow[]> =>
  db.query<AssignmentRow>(
    `SELECT ${ASSIGNMENT_COLUMNS} FROM processing_assignments a
     WHERE a.id = ANY($1::bigint[]) AND EXISTS (SELECT 1 FROM public_documents d WHERE d.id = a.document_id)`,
    [ids],
  );

const AGENCY_COLUMNS =
  'code, name, level, parent_code, unit_id, valid_from, valid_to, symbol, numbering_policy';

export const agenciesByCodes = (db: Queryable, codes: readonly string[]): Promise<AgencyRow[]> =>
  db.query<AgencyRow>(`SELECT ${AGENCY_COLUMNS} FROM agencies WHERE code = ANY($1::text[])`, [codes]);

const validOn = (alias: string, p: string): string =>
  `(${p}::date IS NULL OR (${alias}.valid_from <= ${p}::date AND (${alias}.valid_to IS NULL OR ${alias}.valid_to >= ${p}::date)))`;

export const agenciesByParents = (
  db: Queryable,
  parents: readonly string[],
  asOf: string | null,
): Promise<AgencyRow[]> =>
  db.query<AgencyRow>(
    `SELECT ${AGENCY_COLUMNS} FROM agencies a WHERE a.parent_code = ANY($1::text[]) AND ${validOn('a', '$2')}
     ORDER BY a.code`,
    [parents, asOf],
  );

export const agenciesByUnits = (db: Queryable, unitIds: readonly string[]): Promise<AgencyRow[]> =>
  db.query<AgencyRow>(
    `SELECT ${AGENCY_COLUMNS} FROM agencies WHERE unit_id = ANY($1::text[]) AND level <> 'DEPARTMENT' ORDER BY code`,
    [unitIds],
  );

export async function listAgencies(
  db: Queryable,
  opts: {
    level?: string | null;
    parentCode?: string | null;
    asOf?: string | null;
    after: string | null;
    limit: number;
  },
): Promise<AgencyRow[]> {
  return db.query<AgencyRow>(
    `SELECT ${AGENCY_COLUMNS} FROM agencies a
     WHERE ($1::text IS NULL OR a.level = $1) AND ($2::text IS NULL OR a.parent_code = $2)
       AND ${validOn('a', '$3')} AND ($4::text IS NULL OR a.code > $4)
     ORDER BY a.code LIMIT $5`,
    [opts.level ?? null, opts.parentCode ?? null, opts.asOf ?? null, opts.after, opts.limit],
  );
}

const UNIT_COLUMNS = 'id, code, name, type, level, parent_id, valid_from, valid_to, legal_basis';
const unitColumnsOf = (alias: string): string =>
  UNIT_COLUMNS.split(', ')
    .map((c) => `${alias}.${c}`)
    .join(', ');

/**
 * The unit each agency governed on a date, for (agency, date) pairs — one query for all of them.
 * Returns the pair key `<agency>|<date>` with the unit.
 */
export const unitsGovernedOn = (
  db: Queryable,
  keys: readonly string[],
): Promise<(UnitRow & { pair: string })[]> =>
  db.query(
    `SELECT k.code || '|' || k.d AS pair, ${unitColumnsOf('u')}
     FROM unnest($1::text[], $2::date[]) AS k(code, d)
     JOIN agency_units au ON au.agency_code = k.code AND au.valid_from <= k.d AND (au.valid_to IS NULL OR au.valid_to >= k.d)
     JOIN admin_units u ON u.id = au.unit_id`,
    [keys.map((k) => k.split('|')[0]), keys.map((k) => k.split('|')[1])],
  );

export const unitsByIds = (db: Queryable, ids: readonly string[]): Promise<UnitRow[]> =>
  db.query<UnitRow>(`SELECT ${UNIT_COLUMNS} FROM admin_units WHERE id = ANY($1::text[])`, [ids]);

export const unitsByParents = (
  db: Queryable,
  parents: readonly string[],
  asOf: string | null,
): Promise<UnitRow[]> =>
  db.query<UnitRow>(
    `SELECT ${UNIT_COLUMNS} FROM admin_units u WHERE u.parent_id = ANY($1::text[]) AND ${validOn('u', '$2')}
     ORDER BY u.code`,
    [parents, asOf],
  );

export async function unitByCode(db: Queryable, code: string, asOf: string): Promise<UnitRow | null> {
  const rows = await db.query<UnitRow>(
    `SELECT ${UNIT_COLUMNS} FROM admin_units u WHERE u.code = $1 AND ${validOn('u', '$2')}`,
    [code, asOf],
  );
  return rows[0] ?? null;
}

export const listUnits = (
  db: Queryable,
  opts: { level?: number | null; parentId?: string | null; asOf: string },
): Promise<UnitRow[]> =>
  db.query<UnitRow>(
    `SELECT ${UNIT_COLUMNS} FROM admin_units u
     WHERE ($1::int IS NULL OR u.level = $1) AND ($2::text IS NULL OR u.parent_id = $2) AND ${validOn('u', '$3')}
     ORDER BY u.level, u.code LIMIT 5000`,
    [opts.level ?? null, opts.parentId ?? null, opts.asOf],
  );

export const successionsFrom = (db: Queryable, ids: readonly string[]): Promise<SuccessionRow[]> =>
  db.query<SuccessionRow>(
    `SELECT from_id, to_id, effective_date, kind FROM admin_unit_successions WHERE from_id = ANY($1::text[])
     ORDER BY from_id, to_id`,
    [ids],
  );

export const successionsTo = (db: Queryable, ids: readonly string[]): Promise<SuccessionRow[]> =>
  db.query<SuccessionRow>(
    `SELECT from_id, to_id, effective_date, kind FROM admin_unit_successions WHERE to_id = ANY($1::text[])
     ORDER BY to_id, from_id`,
    [ids],
  );

/**
 * The units covering each given unit on `asOf`, following successions transitively (one query for
 * all of them). Returns (start id, covering unit) pairs.
 */
export const currentUnits = (
  db: Queryable,
  ids: readonly string[],
  asOf: string,
): Promise<(UnitRow & { start_id: string })[]> =>
  db.query(
    `WITH RECURSIVE chain(start_id, id, depth) AS (
       SELECT id, id, 0 FROM admin_units WHERE id = ANY($1::text[])
       UNION
       SELECT c.start_id, s.to_id, c.depth + 1 FROM chain c
       JOIN admin_unit_successions s ON s.from_id = c.id
       WHERE s.effective_date <= $2::date AND c.depth < 10
     )
     SELECT DISTINCT c.start_id, ${unitColumnsOf('u')}
     FROM chain c JOIN admin_units u ON u.id = c.id
     WHERE u.valid_from <= $2::date AND (u.valid_to IS NULL OR u.valid_to >= $2::date)
     ORDER BY c.start_id, u.code`,
    [ids, asOf],
  );

export interface StatsQuery {
  from: string;
  to: string;
  includeSubordinates: boolean;
}

/** Document KPIs per agency (optionally with its subtree), one query for many agencies. */
export async function documentStats(
  db: Queryable,
  codes: readonly string[],
  q: StatsQuery,
): Promise<StatsRow[]> {
  return db.query<StatsRow>(
    `WITH RECURSIVE scope(root, code) AS (
       SELECT code, code FROM agencies WHERE code = ANY($1::text[])
       UNION
       SELECT s.root, a.code FROM scope s JOIN agencies a ON a.parent_code = s.code WHERE $4::boolean
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
     SELECT r.code AS agency_code,
       coalesce(c.outgoing_total, 0) AS outgoing_total,
       coalesce(c.outgoing_electronic, 0) AS outgoing_electronic,
       round(c.outgoing_electronic::numeric / nullif(c.outgoing_total, 0), 4) AS electronic_ratio,
       coalesce(c.electronic_total, 0) AS electronic_total,
       coalesce(c.digitally_signed, 0) AS digitally_signed,
       round(c.digitally_signed::numeric / nullif(c.electronic_total, 0), 4) AS digitally_signed_ratio,
       coalesce(c.incoming_total, 0) AS incoming_total,
       coalesce(c.incoming_assigned, 0) AS incoming_assigned,
       coalesce(c.incoming_overdue, 0) AS incoming_overdue,
       round(c.incoming_overdue::numeric / nullif(c.incoming_assigned, 0), 4) AS overdue_ratio
     FROM unnest($1::text[]) AS r(code) LEFT JOIN counts c ON c.agency_code = r.code`,
    [codes, q.from, q.to, q.includeSubordinates],
  );
}
