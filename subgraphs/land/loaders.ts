/** Per-request DataLoaders of the land subgraph (the catalogue's and its own): every list and reference field is batched. */
import { createCatalogueLoaders, manyBy, manyByOn, oneBy, oneByOn } from '../../kit';
import type { Database, RowScope } from '../../kit';
import { agencyLandStats } from './db/agencyStats';
import type { AgencyLandQuery } from './db/agencyStats';
import * as reads from './db/reads';
import type { StatsQuery } from './db/reads';

export function createLoaders(db: Database) {
  return {
    ...createCatalogueLoaders(db),
    parcel: oneBy(
      (ids: readonly string[]) => reads.parcelsByIds(db, ids),
      (p) => p.id,
    ),
    overlays: manyBy(
      (ids: readonly string[]) => reads.overlaysByParcelIds(db, ids),
      (o) => o.parcelId,
    ),
    /** Keyed by parcel id, whether cancelled certificates count and which the caller may read. */
    certificates: manyByOn(
      (ids, q: { includeCancelled: boolean; scope: RowScope }) =>
        reads.certificatesByParcelIds(db, ids, q.includeCancelled, q.scope),
      (c) => c.parcelId,
    ),
    /** Keyed `<changeId>|CANCELLED` or `<changeId>|ISSUED`, with the certificates the caller may read. */
    changeCertificates: manyByOn(
      (keys, q: { scope: RowScope }) => reads.certificatesOfChanges(db, keys, q.scope),
      (c) => c.key,
    ),
    holders: manyBy(
      (ids: readonly number[]) => reads.holdersByCertificateIds(db, ids),
      (h) => h.certificateId,
    ),
    history: manyBy(
      (ids: readonly string[]) => reads.changesByParcelIds(db, ids),
      (c) => c.parcelId,
    ),
    /** Keyed `<changeId>|FROM` or `<changeId>|TO`. */
    changeSide: manyBy(
      (keys: readonly string[]) => reads.changeSides(db, keys),
      (p) => p.side,
    ),
    /** Land statistics of many units: one query per distinct (date, predecessors) pair. */
    landStats: oneByOn(
      (ids, q: StatsQuery) => reads.landStats(db, ids, q),
      (s) => s.unitId,
    ),
    /** Digitised land records of many agencies' territories: one query per distinct (day, scope). */
    agencyLandStats: oneByOn(
      (codes, q: AgencyLandQuery) => agencyLandStats(db, codes, q),
      (s) => s.agencyCode,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
