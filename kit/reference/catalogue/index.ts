/**
 * The shared reference catalogue: administrative units (with the 2025 succession crosswalk) and
 * agencies with their QCVN 102 codes — data every system needs locally, like the national shared
 * catalogues each system syncs from. Every subgraph mounts it into its own database (first in its
 * `databaseModules`), seeds it, and reads it through these functions and loaders. One subgraph
 * (documents) owns the GraphQL types `Agency` and `AdministrativeUnit`; the others add fields by key
 * and scope their rows with `agencySubtree`.
 */
import path from 'node:path';
import type { Queryable } from '../../runtime/db';
import type { DatabaseModule } from '../../runtime/migrate';
import { seedCatalogue } from './seed';
import type { CatalogueSeedResult } from './seed';

export const referenceCatalogue: DatabaseModule & {
  /** Seeds an empty catalogue (inside the caller's transaction); null when it already holds data. */
  seed(db: Queryable): Promise<CatalogueSeedResult | null>;
} = {
  namespace: 'catalogue',
  migrationsDir: path.join(__dirname, 'migrations'),
  seed: seedCatalogue,
};

export { ADMIN_UNITS, AGENCIES, SUCCESSIONS } from './reference-data';
export type { AdminUnitSeed, AgencySeed, SuccessionSeed } from './reference-data';
export { agencyDirectory, childrenOn, peekAgencyDirectory, siblingCodes, subtreeCodes } from './directory';
export type { AgencyDirectory } from './directory';
export { createCatalogueLoaders } from './loaders';
export { agencyScope, scopeCte } from './scope';
export type { AgencyScope } from './scope';
export type { CatalogueLoaders } from './loaders';
export * as catalogueReads from './reads';
export type { AgencyListQuery, AgencyOn } from './reads';
export { parentsFirst, unitId } from './seed';
export type { CatalogueSeedResult } from './seed';
export { adminUnits, agencies, unitSuccessions } from './tables';
export type { AgencyRow, SuccessionRow, UnitRow } from './tables';
export type { AdministrativeUnitType, AgencyLevel, SuccessionKind } from './types';
export { AGENCY_CODE_PATTERN, agencySubtree, existsOn, parseAgencyCode, validOn } from './validity';
export type { Interval } from './validity';
