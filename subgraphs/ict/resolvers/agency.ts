/** Agency: the ICT figures this subgraph adds by key, as scorecard KPIs. */
import { kpiNeeds, loadKpiSet, notFound, parsePeriod, periodKpiArgs } from '../../../kit';
import type { AgencyResolvers, IctStatsResolvers } from '../generated/graphql';

export const Agency: AgencyResolvers = {
  __resolveReference: (ref) => ({ code: ref.code }),
  ictStats: async (a, args, ctx, info) => {
    const period = parsePeriod(args.period);
    const { row, kpi } = await loadKpiSet(
      {
        code: a.code,
        ...periodKpiArgs(period, { scope: args.scope ?? 'AGENCY' }),
        catalogue: ctx.loaders.catalogue,
        load: (id, q) => ctx.loaders.ictStats.load({ id, arg: q }),
      },
      kpiNeeds(info),
    );
    if (!row) throw notFound(`Agency ${a.code}`);
    return { ...row, ...period, kpi };
  },
};

export const IctStats: IctStatsResolvers = {
  computerCoverage: (s) =>
    s.kpi((r) => ({ value: r.computerRatio, numerator: r.officialsWithComputer, denominator: r.officials })),
  internet: (s) =>
    s.kpi((r) => ({ value: r.internetRatio, numerator: r.connectedComputers, denominator: r.computers })),
  lan: (s) => s.kpi((r) => ({ value: r.lanRatio, numerator: r.agenciesWithLan, denominator: r.agencies })),
};
