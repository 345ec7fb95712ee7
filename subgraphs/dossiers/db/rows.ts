/** Parent shapes of the dossiers subgraph's resolvers that are not table rows. */
import type { Connection, KpiParts, KpiSource } from '../../../kit';
import type { ProcedureRow } from './tables';

/** An agency as this subgraph knows it: by key only (the documents subgraph owns its fields). */
export interface AgencyRef {
  code: string;
}

/** A land parcel by key (the land subgraph owns it). */
export interface ParcelRef {
  id: string;
}

/** A page of procedures with the count of every match (a number, or a count run only when asked for). */
export interface ProcedureConnectionValue extends Connection<ProcedureRow> {
  totalCount: number | (() => Promise<number>);
}

/** One agency's report grid over a period (db/stats.ts). */
export interface DossierStatsRow {
  agencyCode: string;
  from: string;
  to: string;
  carriedOver: number;
  received: number;
  receivedOnline: number;
  receivedInPerson: number;
  receivedByPost: number;
  resolved: number;
  resolvedEarly: number;
  resolvedOnTime: number;
  resolvedLate: number;
  inProcessWithinDeadline: number;
  inProcessOverdue: number;
  pausedForSupplement: number;
  pausedForPayment: number;
  stopped: number;
  withdrawn: number;
  onTimeRatio: number | null;
  onlineRatio: number | null;
}

/** A report grid with its scorecard KPIs (previous period, rank among siblings) through the stats loader. */
export interface DossierStatsValue extends DossierStatsRow {
  kpi: (measure: (r: DossierStatsRow) => KpiParts) => KpiSource;
  /** Online services against the year's plan (db/plans.ts), loaded when asked, with the same KPI parts. */
  onlinePlanKpi: () => Promise<KpiSource>;
}
