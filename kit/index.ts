/**
 * The kit's public surface: what a subgraph imports, from `…/kit` (this file); its tests also use
 * `…/kit/testing`. Everything else under kit/ (process runner internals, configuration, the embedded
 * PostgreSQL server, SDL merging, the HTTP server) is the kit's own business, and ESLint rejects deep
 * imports of it from subgraphs/ (docs/development.md "Import boundaries"). Add an export here when a subgraph needs
 * it — named, in its group — rather than reaching past this file. Kit modules never import this file.
 */

// Defining and running a subgraph (kit/define.ts, kit/run.ts, kit/context.ts)
export { defineSubgraph } from './define';
export type { SubgraphModule, SubgraphSpec } from './define';
export { runSubgraphMain } from './run';
export { ANONYMOUS } from './context';
export type { Caller, RequestContext } from './context';
export type { AuditTrail, Disclosure } from './audit';

// Who may read and write what (kit/access.ts); personal data masked from the SDL (kit/personal-data.ts)
export { createAccess, rowCondition } from './access';
export type { Access, RecordOwner, RowScope } from './access';
// Asking another subgraph, as the caller, before a write (kit/peers.ts; `ctx.peers`)
export type { PeerEntity, PeerError, Peers } from './peers';
// Officials a write names (signers, assignees, actors), checked in the directory through the mail peer (kit/officials.ts)
export { DIRECTORY_PEER, requireOfficialsInPost } from './officials';
export type { DirectoryOfficial, OfficialReference } from './officials';
// Every write within its jurisdiction (kit/jurisdiction.ts) and in time (kit/timeRules.ts); docs/jurisdiction.md
export { actFor, outside } from './jurisdiction';
export type { ActingAgency, PeerItem, UnitItem } from './jurisdiction';
export {
  CLOCK_SKEW_MS,
  latestAllowedDate,
  requireNotBefore,
  requireNotFutureDate,
  requireNotFutureInstant,
  requireYearNotAfter,
} from './timeRules';
// What a mutation wrote besides its arguments, for its audit entry (kit/auditlog/written.ts)
export { auditWritten } from './auditlog/written';
export type { PersonalDataOwner, PersonalDataOwners } from './personal-data';

// Storage: the database handle, migrations, tables declared once (kit/db.ts, migrate.ts, table.ts)
export type { Database, Queryable, Row } from './db';
export { openDatabase } from './db';
export { createLogger } from './logger';
export { migrate } from './migrate';
export type { AppliedMigration, DatabaseModule } from './migrate';
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
} from './table';
export type { Column, Columns, InsertOf, PgType, RowOf, Table } from './table';
export { bulkLoad } from './bulk';

// The shared reference catalogue: agencies, administrative units, validity, agency subtrees.
// kit/catalogue/index.ts is its curated surface.
export * from './catalogue';

// Reads per request and lists (kit/loaders.ts, kit/pagination.ts)
export { alignMany, alignOne, groupedLoader, loader, manyBy, manyByOn, oneBy, oneByOn } from './loaders';
export type { KeyOn } from './loaders';
export {
  DEFAULT_PAGE_SIZE,
  cursorPart,
  decodeCursor,
  encodeCursor,
  pageWindow,
  toConnection,
} from './pagination';
export type { Connection, PageArgs, PageWindow } from './pagination';

// Scorecard KPIs: the shared `Kpi` type's previous period and sibling rank over a stats loader (kit/kpi.ts)
export { kpiNeeds, kpiResolvers, loadKpiSet, periodKpiArgs, previousPeriod, yearBefore } from './kpi';
export type { KpiNeeds, KpiParts, KpiRow, KpiScope, KpiSource, KpiStanding, Period } from './kpi';

// Client-facing errors (codes from schema/error-codes.ts)
export { AppError, ErrorCode, InvalidValueError, badInput, conflict, forbidden, notFound } from './errors';
export { parsePeriod, parseText } from './validate';

// Scalars and Vietnamese dates; working days over the holiday calendar (kit/calendar/index.ts)
export { DateScalar, DateTimeScalar, parseIntId, scalarResolvers } from './scalars';
export * from './calendar';

// Vietnamese text search keys (kit/text.ts)
export { exactKey, foldKey, likeEscape, normalizeTonePlacement, syllables } from './text';

// Synthetic data every seed shares: PRNG, people (officials, citizens), cadastral numbering plan
export { Prng, fnv1a } from './prng';
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
} from './people';
export type { CitizenOptions, SyntheticCitizen, SyntheticOfficial } from './people';
export { PARCEL_ID, formatParcelId, parcelPlan, parseParcelId, seededParcels } from './cadastre';
export type { ParcelIdentity } from './cadastre';
// The land changes both the land and the dossiers seeds record, and the dossiers that decided them
export {
  LAND_CHANGE_PROCEDURES,
  cadastralCommunes,
  createdParcelIds,
  districtAgencyOf,
  landChangePlan,
  landChangesOf,
  parcelOn,
} from './landChanges';
export type { LandChangeKind, PlannedLandChange, PlannedLandDossier } from './landChanges';

// Personal data as every response shows it until access control allows more
export { maskAddress, maskBirthYear, maskDigits, maskIp, maskName } from './personal';
