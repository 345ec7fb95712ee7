/** Per-request DataLoaders of the budgets subgraph: lines, entries and aggregates are batched. */
import { alignMany, createCatalogueLoaders, manyBy, oneBy, oneByOn } from '../../kit';
import type { Database } from '../../kit';
import * as reads from './db/reads';
import type { AggregateQuery } from './db/reads';
import { summarize } from './db/totals';

export function createLoaders(db: Database) {
  return {
    catalogue: createCatalogueLoaders(db),
    line: oneBy(
      (ids: readonly number[]) => reads.linesByIds(db, ids),
      (l) => l.id,
    ),
    entries: manyBy(
      (ids: readonly number[]) => reads.entriesByLines(db, ids),
      (e) => e.lineId,
    ),
    /**
     * The budget summary of many agencies for a year — their lines' sums, one statement per distinct
     * (year, includeSubordinates) — folded once per agency and request: a scorecard ranks every ward
     * among all the others, so each summary is read by every sibling.
     */
    summaries: oneByOn(
      async (codes, q: AggregateQuery) => {
        const rows = alignMany(codes, await reads.aggregates(db, codes, q), (r) => r.agencyCode);
        return codes.map((code, i) => summarize(code, q.year, q.includeSubordinates, rows[i]!));
      },
      (s) => s.agencyCode,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
