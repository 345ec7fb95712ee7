/** Per-request DataLoaders of the budgets subgraph: lines, entries and aggregates are batched. */
import { createCatalogueLoaders, manyBy, manyByOn, oneBy } from '../../kit';
import type { Database } from '../../kit';
import * as reads from './db/reads';
import type { AggregateQuery } from './db/reads';

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
    /** Sums of many agencies' lines for a year: one query per distinct (year, includeSubordinates). */
    aggregates: manyByOn(
      (codes, q: AggregateQuery) => reads.aggregates(db, codes, q),
      (r) => r.agencyCode,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
