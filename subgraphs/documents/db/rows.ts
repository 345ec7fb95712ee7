/**
 * Row shapes resolvers receive: inferred from the table declarations (db/tables.ts, camelCase), plus
 * the shapes of computed queries.
 */
import type { AgencyRow, KpiParts, KpiSource, RowOf } from '../../../kit';
import type {
  agencyNumbering,
  documentAttachments,
  documentRecipients,
  documents,
  documentTraces,
  processingAssignments,
} from './tables';

export type DocumentRow = RowOf<typeof documents> & {
  /** Present on search results: 1 when the exact-accent key matched. */
  rank?: number;
};
export type RecipientRow = RowOf<typeof documentRecipients>;
export type AssignmentRow = RowOf<typeof processingAssignments>;

/** A catalogue agency with its numbering (agency_numbering): what issuing a document needs. */
export type AgencyNumberingRow = AgencyRow & RowOf<typeof agencyNumbering>;

/** Document KPIs of one agency (a computed query, named as the GraphQL fields). */
export interface StatsRow {
  agencyCode: string;
  outgoingTotal: number;
  outgoingElectronic: number;
  electronicRatio: number | null;
  electronicTotal: number;
  digitallySigned: number;
  digitallySignedRatio: number | null;
  incomingTotal: number;
  incomingAssigned: number;
  incomingOverdue: number;
  overdueRatio: number | null;
}

/** A StatsRow with the period it covers (the DocumentStats type's parent). */
export interface PeriodStats extends StatsRow {
  from: string;
  to: string;
  /** The row's scorecard KPIs (previous period, rank among siblings) through the stats loader. */
  kpi: (measure: (r: StatsRow) => KpiParts) => KpiSource;
  /** The same, with the same period a year before as the previous period (count KPIs, kit/scorecard/kpi.ts). */
  kpiYearOnYear: () => Promise<(measure: (r: StatsRow) => KpiParts) => KpiSource>;
}

/** An official as this subgraph knows it: by key only (the mail subgraph owns its fields). */
export interface OfficialRef {
  id: string;
}

export type AttachmentRow = RowOf<typeof documentAttachments>;
export type TraceRow = RowOf<typeof documentTraces>;
/** What receiveEdxml answers. */
export interface ReceivedRow {
  document: DocumentRow;
  duplicate: boolean;
}
