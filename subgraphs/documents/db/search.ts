/** Pages of documents: plain listing, and search by number/symbol and subject. */
import type { Queryable } from '../../../kit/db';
import { afterWithinRank, DOCUMENT_COLUMNS, filterConditions, where } from './query';
import type { DocumentQuery } from './query';
import type { DocumentRow } from './rows';

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
