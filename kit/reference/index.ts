/**
 * Reference data every system shares (re-exported by kit/index.ts): the agency and administrative-unit
 * catalogue, the working-day calendar, cadastral parcel numbering, the land procedures, and the
 * Vietnamese text search keys. Real data and rules only: the synthetic seed data is kit/synthetic/.
 */

// The shared catalogue: agencies, administrative units, validity, agency subtrees (catalogue/)
export { ADMIN_UNITS, AGENCIES, SUCCESSIONS, referenceCatalogue, unitId } from './catalogue';
export type { AdminUnitSeed, AgencySeed, AgencyLevel, CatalogueSeedResult } from './catalogue';
export { agencies, catalogueReads, childrenOn, createCatalogueLoaders } from './catalogue';
export type { AgencyRow, SuccessionRow, UnitRow } from './catalogue';
export {
  AGENCY_CODE_PATTERN,
  agencyScope,
  agencySubtree,
  existsOn,
  parseAgencyCode,
  scopeCte,
} from './catalogue';
export type { AgencyScope, Interval } from './catalogue';

// Vietnamese dates and working days over the holiday calendar (calendar/)
export { CalendarRangeError, addDays, daysBetween, defaultCalendar, vnDate, vnToday } from './calendar';

// Cadastral parcel numbering and the land procedures that decide changes
export { formatParcelId, parseParcelId } from './cadastre';
export { LAND_CHANGE_PROCEDURES } from './landProcedures';
export type { LandChangeKind } from './landProcedures';

// Vietnamese text search keys (text.ts)
export { exactKey, foldKey, likeEscape } from './text';
