/** Agency (owned by documents): the land subgraph adds the digitised share of its land records. */
import { kpiSet, notFound, parsePeriod, previousPeriod } from '../../../kit';
import type { AgencyLandStatsRow } from '../db/agencyStats';
import type { AgencyLandStatsResolvers, AgencyResolvers } from '../generated/graphql';

export const Agency: AgencyResolvers = {
  __resolveReference: (ref) => ({ code: ref.code }),
  landStats: async (a, args, ctx) => {
    const period = parsePeriod(args.period);
    const includeSubordinates = args.includeSubordinates ?? false;
    const load = (id: string, on: string): Promise<AgencyLandStatsRow | null> =>
      ctx.loaders.agencyLandStats.load({ id, arg: { on, includeSubordinates } });
    const row = await load(a.code, period.to);
    if (!row) throw notFound(`Agency ${a.code}`);
    const kpi = kpiSet(row, {
      code: a.code,
      arg: period.to,
      previousArg: previousPeriod(period).to,
      asOf: period.to,
      catalogue: ctx.loaders,
      load,
    });
    return { ...row, ...period, includeSubordinates, kpi };
  },
};

export const AgencyLandStats: AgencyLandStatsResolvers = {
  digitised: (s) =>
    s.kpi((r) => ({ value: r.digitisedRatio, numerator: r.digitisedCount, denominator: r.parcelCount })),
};
