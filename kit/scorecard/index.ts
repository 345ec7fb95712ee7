/**
 * Scorecard KPIs (re-exported by kit/index.ts): the shared `Kpi` type's previous period and sibling
 * rank over a subgraph's stats loader (kpi.ts).
 */
export { kpiNeeds, kpiResolvers, loadKpiSet, periodKpiArgs, previousPeriod, yearBefore } from './kpi';
export type { KpiParts, KpiSource } from './kpi';
