/** Row shapes resolvers receive. */
import type { KpiParts, KpiSource } from '../../../kit';
import type { IctStatsRow } from './stats';

/** An agency as this subgraph knows it: by key only (the documents subgraph owns its fields). */
export interface AgencyRef {
  code: string;
}

/** An IctStatsRow with its period and its scorecard KPIs (the IctStats type's parent). */
export interface IctStatsValue extends IctStatsRow {
  from: string;
  to: string;
  kpi: (measure: (r: IctStatsRow) => KpiParts) => KpiSource;
}
