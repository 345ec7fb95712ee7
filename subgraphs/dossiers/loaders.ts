/** Per-request DataLoaders of the dossiers subgraph: every list and reference field is batched. */
import { createCatalogueLoaders, manyBy, manyByOn, oneBy, oneByOn } from '../../kit';
import type { Database, RowScope } from '../../kit';
import * as reads from './db/reads';
import type { DossierKey } from './db/reads';
import { onlinePlanStats, plansOf } from './db/plans';
import { dossierStats } from './db/stats';
import type { StatsQuery } from './db/stats';
import { outboxOfDossiers } from './sync/outbox';

export function createLoaders(db: Database) {
  return {
    /** The catalogue's agencies (siblings for the scorecard's ranks). */
    catalogue: createCatalogueLoaders(db),
    procedure: oneBy(
      (codes: readonly string[]) => reads.proceduresByCodes(db, codes),
      (p) => p.code,
    ),
    onlineService: manyBy(
      (codes: readonly string[]) => reads.onlineServiceByProcedures(db, codes),
      (s) => s.procedureCode,
    ),
    dossier: oneBy(
      (codes: readonly string[]) => reads.dossiersByCodes(db, codes),
      (d) => d.code,
    ),
    portalSync: manyBy(
      (ids: readonly number[]) => outboxOfDossiers(db, ids),
      (o) => o.dossierId,
    ),
    steps: manyBy(
      (ids: readonly number[]) => reads.stepsByDossiers(db, ids),
      (s) => s.dossierId,
    ),
    supplements: manyBy(
      (ids: readonly number[]) => reads.supplementsByDossiers(db, ids),
      (s) => s.dossierId,
    ),
    apologies: manyBy(
      (ids: readonly number[]) => reads.apologiesByDossiers(db, ids),
      (s) => s.dossierId,
    ),
    /** The same page of dossiers for many parcels: one query per distinct page request. */
    parcelDossiers: manyByOn(
      (ids, page: { after: DossierKey | null; limit: number; scope: RowScope }) =>
        reads.dossiersOfParcels(db, ids, page),
      (d) => d.parcelId,
    ),
    /** Every procedure of many agencies matching a filter: one query per distinct filter. */
    agencyProcedures: manyByOn(
      (codes, f: reads.ProcedureFilter) => reads.findProcedures(db, codes, f, { after: null, limit: null }),
      (p) => p.agencyCode,
    ),
    /** The report grid of many agencies: one query per distinct period. */
    dossierStats: oneByOn(
      (codes, q: StatsQuery) => dossierStats(db, codes, q),
      (s) => s.agencyCode,
    ),
    /** Online services against the year's plan for many agencies: one query per distinct period. */
    onlinePlanStats: oneByOn(
      (codes, q: StatsQuery) => onlinePlanStats(db, codes, q),
      (s) => s.agencyCode,
    ),
    /** Many agencies' plans for a year: one query per distinct year. */
    onlineServicePlan: oneByOn(
      (codes, year: number) => plansOf(db, codes, year),
      (p) => p.agencyCode,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
