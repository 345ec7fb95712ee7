/**
 * Reads of documents and what hangs off them (recipients, assignments, attachments, traces), through `public_documents`
 * only. Functions take arrays of keys so loaders can batch.
 */
import type { Queryable, RowScope } from '../../../kit';
import { afterWithinRank, DOCUMENT_COLUMNS, filterConditions, visibleCondition, where } from './query';
import type { DocumentQuery } from './query';
import type { AssignmentRow, AttachmentRow, DocumentRow, RecipientRow, TraceRow } from './rows';
import { documentAttachments, documentRecipients, documentTraces, processingAssignments } from './tables';

/** One query for the same page of documents of many agencies (Agency.documents on a list of agencies). */
export async function findDocumentsForAgencies(
  db: Queryable,
  codes: readonly string[],
  q: DocumentQuery,
): Promise<DocumentRow[]> {
  const params: unknown[] = [codes];
  const filters = filterConditions({ ...q.filter, agencyCode: null }, q.scope, params);
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

/**
 * The latest `limit` public documents each official signed that the caller may read, newest issue date
 * first, each document once: its outgoing copy and the incoming register copies of its recipients are
 * one document (same issuer, year and number/symbol), shown as the outgoing copy when the caller may
 * read it, else as the first register copy it may read.
 */
export function documentsSignedBy(
  db: Queryable,
  ids: readonly string[],
  q: { limit: number; scope: RowScope },
): Promise<DocumentRow[]> {
  const params: unknown[] = [ids, q.limit];
  const visible = visibleCondition(q.scope, params);
  return db.query<DocumentRow>(
    `SELECT ${DOCUMENT_COLUMNS} FROM unnest($1::text[]) AS o(id)
     CROSS JOIN LATERAL (SELECT * FROM (
         SELECT DISTINCT ON (coalesce(d.issuer_code, d.issuer_name), d.year, d.number_symbol) d.*
         FROM public_documents d WHERE d.signer_official_id = o.id
         ${visible ? `AND ${visible}` : ''}
         ORDER BY coalesce(d.issuer_code, d.issuer_name), d.year, d.number_symbol,
           (d.direction = 'OUTGOING') DESC, d.id) d
       ORDER BY d.issued_date DESC, d.id DESC LIMIT $2) d
     ORDER BY d.signer_official_id, d.issued_date DESC, d.id DESC`,
    params,
  );
}

export const attachmentsByDocumentIds = (db: Queryable, ids: readonly number[]): Promise<AttachmentRow[]> =>
  db.query<AttachmentRow>(
    `SELECT ${documentAttachments.select('a')} FROM document_attachments a
     WHERE a.document_id = ANY($1::bigint[]) ORDER BY a.document_id, a.position`,
    [ids],
  );

export const tracesByDocumentIds = (db: Queryable, ids: readonly number[]): Promise<TraceRow[]> =>
  db.query<TraceRow>(
    `SELECT ${documentTraces.select('t')} FROM document_traces t
     WHERE t.document_id = ANY($1::bigint[]) ORDER BY t.document_id, t.position`,
    [ids],
  );
