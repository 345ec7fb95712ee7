/** The dossiers subgraph's tables, each declared once (kit/runtime/table.ts): select lists, bulk inserts and row types. */
import { bigint, boolean, date, int, table, text, timestamptz } from '../../../kit';
import type { RowOf } from '../../../kit';
import type {
  ApplicantKind,
  DossierChannel,
  DossierStatus,
  OnlineScope,
  Timeliness,
} from '../generated/graphql';

export const procedures = table('procedures', {
  /** Local form: national code + agency code, e.g. 1.000656.000.00.46.H62. */
  code: text(),
  nationalCode: text(),
  agencyCode: text(),
  name: text(),
  fieldCode: text(),
  fieldName: text(),
  processingDays: int(),
  fee: int(),
  landRelated: boolean(),
});

export const procedureOnlineService = table('procedure_online_service', {
  procedureCode: text(),
  validFrom: date(),
  onlineLevel: int().nullable(),
  onlineScope: text<OnlineScope>().nullable(),
});

export const dossiers = table('dossiers', {
  id: bigint().generated(),
  code: text(),
  agencyCode: text(),
  procedureCode: text(),
  summary: text(),
  applicantKind: text<ApplicantKind>(),
  applicantName: text(),
  applicantIdNumber: text(),
  applicantPhone: text().nullable(),
  applicantAddress: text().nullable(),
  channel: text<DossierChannel>(),
  status: text<DossierStatus>(),
  receivedAt: timestamptz(),
  dueDate: date(),
  finishedAt: timestamptz().nullable(),
  returnedAt: timestamptz().nullable(),
  endedAt: timestamptz().nullable(),
  parcelId: text().nullable(),
  resultDocumentId: text().nullable(),
});

/** Read through `dossier_view`: the row plus its derived timeliness. */
export const dossierView = table('dossier_view', {
  ...dossiers.columns,
  id: bigint(),
  timeliness: text<Timeliness>().nullable(),
});

export const dossierCodeCounters = table('dossier_code_counters', {
  agencyCode: text(),
  day: date(),
  lastSeq: int(),
});

export const dossierSteps = table('dossier_steps', {
  dossierId: bigint(),
  seq: int(),
  at: timestamptz(),
  officialId: text().nullable(),
  officialName: text(),
  unitName: text(),
  action: text(),
  status: text<DossierStatus>(),
});

export const dossierSupplements = table('dossier_supplements', {
  dossierId: bigint(),
  seq: int(),
  requestedAt: timestamptz(),
  reason: text(),
  previousDueDate: date(),
  newDueDate: date(),
  suppliedAt: timestamptz().nullable(),
});

export const dossierApologies = table('dossier_apologies', {
  dossierId: bigint(),
  seq: int(),
  issuedAt: timestamptz(),
  reason: text(),
  newAppointmentDate: date(),
});

export type ProcedureRow = RowOf<typeof procedures>;
export type OnlineServiceRow = RowOf<typeof procedureOnlineService>;
export type DossierRow = RowOf<typeof dossierView>;
export type StepRow = RowOf<typeof dossierSteps>;
export type SupplementRow = RowOf<typeof dossierSupplements>;
export type ApologyRow = RowOf<typeof dossierApologies>;

/** An agency's planned online public services for a year (kế hoạch), set by one of its officials. */
export const onlineServicePlans = table('online_service_plans', {
  agencyCode: text(),
  year: int(),
  plannedServices: int(),
  setBy: text().nullable(),
  setAt: timestamptz().generated(),
});
export type OnlineServicePlanRow = RowOf<typeof onlineServicePlans>;
