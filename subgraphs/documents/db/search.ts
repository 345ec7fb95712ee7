/** Pages of documents: plain listing, and search by number/symbol, subject and issuer name. */
import type { Queryable } from '../../../kit';
import { afterWithinRank, DOCUMENT_COLUMNS, filterConditions, where } from './query';
import type { DocumentQuery } from './query';
import type { DocumentRow } from './rows';

/**
 * Syllable-phrase match (migration 003_search_syllables): the key's syllables as a stored, GIN-indexed 'simple' tsvector
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
/**
 * A page of documents, newest first. With search text, documents whose exact-accent key matches
 * (rank 1) come before those that match only when folded (rank 0): two branches, each read in
 * date order and cut at the page size, so a common phrase never sorts all of its matches. The folded
 * branch is only read when the exact matches do not fill the page.
 */
export async function findDocuments(db: Queryable, q: DocumentQuery): Promise<DocumentRow[]> {
  const params: unknown[] = [];
  const filters = filterConditions(q.filter, q.scope, params);
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
     ORDER BY rank DESC, "issuedDate" DESC, id DESC LIMIT ${limit}`,
    params,
  );
}
