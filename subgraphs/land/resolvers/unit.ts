/** AdministrativeUnit (owned by documents): the land subgraph adds the commune's land statistics. */
import { vnToday } from '../../../kit';
import { LAND_USE_NAMES } from '../domain';
import type {
  AdministrativeUnitResolvers,
  LandStatsResolvers,
  LandUseAreaResolvers,
} from '../generated/graphql';

export const AdministrativeUnit: AdministrativeUnitResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  landStats: async (u, a, ctx) => {
    const asOf = a.asOf ?? vnToday();
    const q = { asOf, includePredecessors: a.includePredecessors ?? true };
    const row = await ctx.loaders.landStats.load({ id: u.id, arg: q });
    return (
      (row && { ...row, asOf }) ?? {
        unitId: u.id,
        asOf,
        parcelCount: 0,
        digitisedCount: 0,
        totalAreaM2: '0.0',
        byLandUse: [],
      }
    );
  },
};

export const LandStats: LandStatsResolvers = {
  totalArea: (s) => s.totalAreaM2,
  digitisedRatio: (s) =>
    s.parcelCount ? Math.round((s.digitisedCount / s.parcelCount) * 10000) / 10000 : null,
  byLandUse: (s) => s.byLandUse.map((b) => ({ ...b, totalAreaM2: s.totalAreaM2 })),
};

export const LandUseArea: LandUseAreaResolvers = {
  name: (b) => LAND_USE_NAMES[b.code] ?? b.code,
  area: (b) => b.areaM2,
  share: (b) => {
    const total = Number(b.totalAreaM2);
    return total ? Math.round((Number(b.areaM2) / total) * 10000) / 10000 : 0;
  },
};
