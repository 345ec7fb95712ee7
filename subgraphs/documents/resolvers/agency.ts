/** Agency: a catalogue agency (kit/reference/catalogue), with its documents and their KPIs. */
import {
  childrenOn,
  kpiNeeds,
  loadKpiSet,
  notFound,
  parsePeriod,
  periodKpiArgs,
  toConnection,
  yearBefore,
} from '../../../kit';
import type { AgencyRow } from '../../../kit';
import type { StatsQuery } from '../db/stats';
import type { Ctx } from './context';
import type { AgencyResolvers, DocumentStatsResolvers } from '../generated/graphql';
import { documentKey, documentQuery } from './paging';

/**
 * An agency by code: from the catalogue in memory (synchronously) when it is there, else batched. The
 * directory's rows are shared by every request and frozen: each answer is a copy (the subgraph library
 * marks entity objects with their type).
 */
export const agencyByCode = (ctx: Ctx, code: string): AgencyRow | Promise<AgencyRow | null> => {
  const row = ctx.loaders.directory.now()?.byCode.get(code);
  return row ? { ...row } : ctx.loaders.agency.load(code);
};

export const Agency: AgencyResolvers = {
  __resolveReference: (ref, ctx) => agencyByCode(ctx, ref.code),
  parent: (a, _, ctx) => (a.parentCode ? agencyByCode(ctx, a.parentCode) : null),
  // From the catalogue in memory when it is there: no tick, so the children's stats join the agency's
  // own in one batch of the stats loader.
  children: (a, args, ctx) => {
    const dir = ctx.loaders.directory.now();
    return dir
      ? childrenOn(dir, a.code, args.asOf ?? null).map((c) => ({ ...c }))
      : ctx.loaders.agencyChildren.load({ id: a.code, arg: args.asOf ?? null });
  },
  unit: (a, args, ctx) => {
    if (!a.unitId) return null;
    return args.asOf
      ? ctx.loaders.unitGovernedOn.load(`${a.code}|${args.asOf}`)
      : ctx.loaders.unit.load(a.unitId);
  },
  successors: async (a, _, ctx) => {
    if (!a.unitId) return [];
    const links = await ctx.loaders.successionsFrom.load(a.unitId);
    const lists = await Promise.all(links.map((l) => ctx.loaders.agenciesOfUnit.load(l.toId)));
    const seen = new Set<string>();
    return lists.flat().filter((x) => !seen.has(x.code) && seen.add(x.code));
  },
  documents: async (a, args, ctx) => {
    const { window, query } = await documentQuery(args.filter, args, ctx);
    const rows = await ctx.loaders.agencyDocuments.load({ id: a.code, arg: query });
    return toConnection(rows, window, documentKey);
  },
  documentStats: async (a, args, ctx, info) => {
    const period = parsePeriod(args.period);
    const includeSubordinates = args.includeSubordinates ?? false;
    const needs = kpiNeeds(info);
    const scope = {
      code: a.code,
      ...periodKpiArgs(period, { includeSubordinates }),
      catalogue: ctx.loaders,
      load: (id: string, q: StatsQuery) => ctx.loaders.documentStats.load({ id, arg: q }),
    };
    const { row, kpi } = await loadKpiSet(scope, needs);
    if (!row) throw notFound(`Agency ${a.code}`);
    // Count KPIs compare with the same period a year before; asked only when selected (the own and
    // siblings' rows are the loader's cached ones, only the previous row is another statement).
    let yearOnYear: Promise<typeof kpi> | undefined;
    const kpiYearOnYear = () =>
      (yearOnYear ??= loadKpiSet(
        { ...scope, previousArg: { ...yearBefore(period), includeSubordinates } },
        needs,
      ).then((s) => s.kpi));
    return { ...row, ...period, kpi, kpiYearOnYear };
  },
};

/** The document KPIs of the scorecard, from the same row as the counts. */
export const DocumentStats: DocumentStatsResolvers = {
  electronic: (s) =>
    s.kpi((r) => ({
      value: r.electronicRatio,
      numerator: r.outgoingElectronic,
      denominator: r.outgoingTotal,
    })),
  sentElectronically: async (s) => ({
    ...(await s.kpiYearOnYear())((r) => ({
      value: r.outgoingElectronic,
      numerator: r.outgoingElectronic,
      denominator: null,
    })),
    growth: true,
  }),
  signed: (s) =>
    s.kpi((r) => ({
      value: r.digitallySignedRatio,
      numerator: r.digitallySigned,
      denominator: r.electronicTotal,
    })),
};
