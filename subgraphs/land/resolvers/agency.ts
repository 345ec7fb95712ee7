/** Agency (owned by documents): the land subgraph adds the digitised share of its land records. */
import { kpiNeeds, loadKpiSet, notFound, parsePeriod, previousPeriod } from '../../../kit';
import type { AgencyLandStatsRow } from '../db/agencyStats';
import type { AgencyLandStatsResolvers, AgencyResolvers } from '../generated/graphql';

export const Agency: AgencyResolvers = {
  __resolveReference: (ref) => ({ code: ref.code }),
  landStats: async (a, args, ctx, info) => {
    const period = parsePeriod(args.period);
    const includeSubordinates = args.includeSubordinates ?? false;
    const load = (id: string, on: string): Promise<AgencyLandStatsRow | null> =>
      ctx.loaders.agencyLandStats.load({ id, arg: { on, includeSubordinates } });
    const { row, kpi } = await loadKpiSet(
      {
        code: a.code,
        arg: period.to,
        previousArg: previousPeriod(period).to,
        asOf: period.to,
        catalogue: ctx.loaders,
        load,
      },
      kpiNeeds(info),
    );
    if (!row) throw notFound(`Agency ${a.code}`);
    return { ...row, ...period, includeSubordinates, kpi };
  },
};

export const AgencyLandStats: AgencyLandStatsResolvers = {
  digitised: (s) =>
    s.kpi((r) => ({ value: r.digitisedRatio, numerator: r.digitisedCount, denominator: r.parcelCount })),
};
