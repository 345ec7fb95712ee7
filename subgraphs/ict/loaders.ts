/** Per-request DataLoaders of the ICT subgraph (the catalogue's and its own). */
import { createCatalogueLoaders, oneByOn } from '../../kit';
import type { Database } from '../../kit';
import { ictStats } from './db/stats';
import type { IctQuery } from './db/stats';

export function createLoaders(db: Database) {
  return {
    /** The catalogue's agencies (siblings for the scorecard's ranks). */
    catalogue: createCatalogueLoaders(db),
    /** ICT figures of many agencies: one query per distinct period and scope. */
    ictStats: oneByOn(
      (codes, q: IctQuery) => ictStats(db, codes, q),
      (s) => s.agencyCode,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
