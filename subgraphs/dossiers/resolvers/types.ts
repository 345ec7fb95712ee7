/** Agency, LandParcel, Procedure and the connection types: fields contributed to others' entities and the catalogue. */
import {
  cursorPart,
  kpiNeeds,
  loadKpiSet,
  notFound,
  pageWindow,
  parsePeriod,
  periodKpiArgs,
  toConnection,
  vnToday,
} from '../../../kit';
import type { KpiSource } from '../../../kit';
import { dossierKey, isDossierKey } from '../db/reads';
import type { OnlineServiceRow } from '../db/tables';
import type {
  AgencyResolvers,
  DossierStatsResolvers,
  LandParcelResolvers,
  OnlineServicePlanResolvers,
  ProcedureConnectionResolvers,
  ProcedureResolvers,
} from '../generated/graphql';
import { procedureQuery } from './query';
import * as v from './validate';

const latest = <K extends 'onlineLevel' | 'onlineScope'>(
  rows: OnlineServiceRow[],
  key: K,
  on: string,
): OnlineServiceRow[K] | null => {
  let value: OnlineServiceRow[K] | null = null;
  for (const r of rows) if (r.validFrom <= on && r[key] !== null) value = r[key];
  return value;
};

export const Agency: AgencyResolvers = {
  __resolveReference: (ref) => ({ code: ref.code }),
  dossierStats: async (a, args, ctx, info) => {
    const period = parsePeriod(args.period);
    const includeSubordinates = args.includeSubordinates ?? false;
    const needs = kpiNeeds(info);
    const kpiArgs = periodKpiArgs(period, { includeSubordinates });
    const { row, kpi } = await loadKpiSet(
      {
        code: a.code,
        ...kpiArgs,
        catalogue: ctx.loaders.catalogue,
        load: (id, q) => ctx.loaders.dossierStats.load({ id, arg: q }),
      },
      needs,
    );
    if (!row) throw notFound(`Agency ${a.code}`);
    let plan: Promise<KpiSource> | undefined;
    const onlinePlanKpi = (): Promise<KpiSource> =>
      (plan ??= loadKpiSet(
        {
          code: a.code,
          ...kpiArgs,
          catalogue: ctx.loaders.catalogue,
          load: (id, q) => ctx.loaders.onlinePlanStats.load({ id, arg: q }),
        },
        needs,
      ).then((s) => s.kpi((r) => ({ value: r.ratio, numerator: r.provided, denominator: r.planned }))));
    return { ...row, ...period, kpi, onlinePlanKpi };
  },
  onlineServicePlan: async (a, args, ctx) => {
    const year = v.planYear(args.year, 'year');
    return ctx.loaders.onlineServicePlan.load({ id: a.code, arg: year });
  },
  procedures: async (a, args, ctx) => {
    const isCode = cursorPart.text();
    const window = pageWindow(args, ctx.maxPageSize, isCode);
    const all = await ctx.loaders.agencyProcedures.load({ id: a.code, arg: procedureQuery(args.filter) });
    const rest = window.after ? all.filter((p) => p.code > window.after!) : all;
    return { ...toConnection(rest.slice(0, window.fetch), window, (p) => p.code), totalCount: all.length };
  },
};

export const LandParcel: LandParcelResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  dossiers: async (p, args, ctx) => {
    const window = pageWindow(args, ctx.maxPageSize, isDossierKey);
    // Only the dossiers the caller may read; none for the public.
    const scope = await ctx.access.rows();
    if (scope.kind === 'public') return toConnection([], window, dossierKey);
    const rows = await ctx.loaders.parcelDossiers.load({
      id: p.id,
      arg: { after: window.after, limit: window.fetch, scope },
    });
    return toConnection(rows, window, dossierKey);
  },
};

export const Procedure: ProcedureResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.procedure.load(ref.code),
  field: (p) => ({ code: p.fieldCode, name: p.fieldName }),
  agency: (p) => ({ code: p.agencyCode }),
  onlineLevel: async (p, args, ctx) =>
    latest(await ctx.loaders.onlineService.load(p.code), 'onlineLevel', args.asOf ?? vnToday()),
  onlineScope: async (p, args, ctx) =>
    latest(await ctx.loaders.onlineService.load(p.code), 'onlineScope', args.asOf ?? vnToday()),
  onlineServiceHistory: (p, _, ctx) => ctx.loaders.onlineService.load(p.code),
};

export const ProcedureConnection: ProcedureConnectionResolvers = {
  totalCount: (c) => (typeof c.totalCount === 'function' ? c.totalCount() : c.totalCount),
};

/** The dossier KPIs of the scorecard, from the same row as the report grid. */
export const DossierStats: DossierStatsResolvers = {
  onTime: (s) =>
    s.kpi((r) => ({
      value: r.onTimeRatio,
      numerator: r.resolvedEarly + r.resolvedOnTime,
      denominator: r.resolved,
    })),
  online: (s) =>
    s.kpi((r) => ({ value: r.onlineRatio, numerator: r.receivedOnline, denominator: r.received })),
  onlineServices: (s) => s.onlinePlanKpi(),
};

export const OnlineServicePlan: OnlineServicePlanResolvers = {
  agency: (p) => ({ code: p.agencyCode }),
};
