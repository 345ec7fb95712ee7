/**
 * The kit's public surface: what a subgraph imports, from `…/kit` (this file); its tests also use
 * `…/kit/testing`. Everything else under kit/ (process runner internals, configuration, the embedded
 * PostgreSQL server, SDL merging, the HTTP server) is the kit's own business, and ESLint rejects deep
 * imports of it from subgraphs/ (docs/development.md "Import boundaries"). Add an export here when a subgraph needs
 * it — named, in its group — rather than reaching past this file. Kit modules never import this file.
 */

// Defining and running a subgraph (kit/define.ts, kit/run.ts, kit/context.ts)
export { defineSubgraph } from './runtime/define';
export type { SubgraphModule, SubgraphSpec } from './runtime/define';
export { runSubgraphMain } from './runtime/run';
export { ANONYMOUS } from './runtime/context';
export type { Caller, RequestContext } from './runtime/context';
export type { AuditTrail, Disclosure } from './runtime/auditlog/trail';

// Who may read and write what (kit/access.ts); personal data masked from the SDL (kit/personal-data.ts)
export { createAccess, rowCondition } from './runtime/access';
export type { Access, RecordOwner, RowScope } from './runtime/access';
// Asking another subgraph, as the caller, before a write (kit/peers.ts; `ctx.peers`)
export type { PeerEntity, PeerError, Peers } from './runtime/peers';
// Officials a write names (signers, assignees, actors), checked in the directory through the mail peer (kit/officials.ts)
export { DIRECTORY_PEER, requireOfficialsInPost } from './runtime/officials';
export type { DirectoryOfficial, OfficialReference } from './runtime/officials';
// Every write within its jurisdiction (kit/jurisdiction.ts) and in time (kit/timeRules.ts); docs/jurisdiction.md
export { actFor, outside } from './runtime/jurisdiction';
export type { ActingAgency, PeerItem, UnitItem } from './runtime/jurisdiction';
export {
  CLOCK_SKEW_MS,
  latestAllowedDate,
  requireNotBefore,
  requireNotFutureDate,
  requireNotFutureInstant,
  requireYearNotAfter,
} from './runtime/timeRules';
// What a mutation wrote besides its arguments, for its audit entry (kit/auditlog/written.ts)
export { auditWritten } from './runtime/auditlog/written';
export type { PersonalDataOwner, PersonalDataOwners } from './runtime/personal-data/protect';

// Storage: the database handle, migrations, tables declared once (kit/db.ts, migrate.ts, table.ts)
export type { Database, Queryable, Row } from './runtime/db';
export { migrate } from './runtime/migrate';
export type { AppliedMigration, DatabaseModule } from './runtime/migrate';
export {
  bigint,
  boolean,
  date,
  insertOne,
  insertRows,
  int,
  numeric,
  table,
  text,
  timestamptz,
} from './runtime/table';
export type { Column, Columns, InsertOf, PgType, RowOf, Table } from './runtime/table';
export { bulkLoad } from './runtime/bulk';

// The shared reference catalogue: agencies, administrative units, validity, agency subtrees.
// kit/catalogue/index.ts is its curated surface.
export * from './reference/catalogue';

// Reads per request and lists (kit/loaders.ts, kit/pagination.ts)
export { alignMany, alignOne, groupedLoader, loader, manyBy, manyByOn, oneBy, oneByOn } from './runtime/loaders';
export type { KeyOn } from './runtime/loaders';
export {
  DEFAULT_PAGE_SIZE,
  cursorPart,
  decodeCursor,
  encodeCursor,
  pageWindow,
  toConnection,
} from './runtime/pagination';
export type { Connection, PageArgs, PageWindow } from './runtime/pagination';

// Scorecard KPIs: the shared `Kpi` type's previous period and sibling rank over a stats loader (kit/kpi.ts)
export { kpiNeeds, kpiResolvers, loadKpiSet, periodKpiArgs, previousPeriod, yearBefore } from './scorecard/kpi';
export type { KpiNeeds, KpiParts, KpiRow, KpiScope, KpiSource, KpiStanding, Period } from './scorecard/kpi';

// Client-facing errors (codes from schema/error-codes.ts)
export { AppError, ErrorCode, InvalidValueError, badInput, conflict, forbidden, notFound } from './runtime/errors';
export { parsePeriod, parseText } from './runtime/validate';

// Scalars and Vietnamese dates; working days over the holiday calendar (kit/calendar/index.ts)
export { DateScalar, DateTimeScalar, parseIntId, scalarResolvers } from './runtime/scalars';
export * from './reference/calendar';

// Vietnamese text search keys (kit/text.ts)
export { exactKey, foldKey, likeEscape, normalizeTonePlacement, syllables } from './reference/text';

// Synthetic data every seed shares: PRNG, people (officials, citizens), cadastral numbering plan
export { Prng, fnv1a } from './synthetic/prng';
export {
  LEADER_POSITIONS,
  businessName,
  houseAddress,
  officialId,
  personName,
  streetAddress,
  syntheticCccd,
  syntheticCitizen,
  syntheticOfficial,
  syntheticPhone,
  syntheticTaxCode,
} from './synthetic/people';
export type { CitizenOptions, SyntheticCitizen, SyntheticOfficial } from './synthetic/people';
export { PARCEL_ID, formatParcelId, parcelPlan, parseParcelId, seededParcels } from './reference/cadastre';
export type { ParcelIdentity } from './reference/cadastre';
// The land changes both the land and the dossiers seeds record, and the dossiers that decided them
export {
  LAND_CHANGE_PROCEDURES,
  cadastralCommunes,
  createdParcelIds,
  districtAgencyOf,
  landChangePlan,
  landChangesOf,
  parcelOn,
} from './synthetic/landChanges';
export type { LandChangeKind, PlannedLandChange, PlannedLandDossier } from './synthetic/landChanges';

// Personal data as every response shows it until access control allows more
export { maskAddress, maskBirthYear, maskDigits, maskIp, maskName } from './runtime/personal-data/masks';
