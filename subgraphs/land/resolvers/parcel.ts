/** LandParcel and the value types read off it. */
import { vnToday } from '../../../kit';
import { LAND_USE_NAMES } from '../domain';
import type { LandParcelResolvers, LandUseResolvers, PlanningOverlayResolvers } from '../generated/graphql';
import type { Ctx } from './context';
import { parcelIdentityOrNull } from './refs';

export const LandParcel: LandParcelResolvers = {
  __resolveReference: async (ref, ctx: Ctx) => {
    await ctx.access.requirePrivate('land records'); // not public: docs/access-policy.md
    const id = parcelIdentityOrNull(ref.id);
    return id ? ctx.loaders.parcel.load(id) : null;
  },
  sheetNumber: (p) => p.sheet,
  parcelNumber: (p) => p.parcel,
  commune: (p) => ({ id: p.originalUnitId }),
  currentCommune: async (p, _, ctx) => {
    const units = await ctx.loaders.currentUnits.load({ id: p.originalUnitId, arg: vnToday() });
    if (units.length === 1) return { id: units[0]!.id };
    // Divided between several new units: the one recorded on the parcel, if it is one of them.
    const chosen = units.find((u) => u.id === p.dividedIntoUnitId);
    return chosen ? { id: chosen.id } : null;
  },
  area: (p) => p.areaM2,
  landUse: (p) => ({ code: p.landUseCode, codeVersion: p.landUseCodeVersion }),
  planningOverlays: (p, _, ctx) => ctx.loaders.overlays.load(p.id),
  boundingBox: (p) => ({ minX: p.minX, minY: p.minY, maxX: p.maxX, maxY: p.maxY }),
  digitised: (p) => p.digitisedOn !== null,
  // Parcels are public; their certificates only for callers who may read them (none for the public).
  certificates: async (p, a, ctx) => {
    const scope = await ctx.access.rows();
    if (scope.kind === 'public') return [];
    return ctx.loaders.certificates.load({
      id: p.id,
      arg: { includeCancelled: a.includeCancelled ?? false, scope },
    });
  },
  history: (p, _, ctx) => ctx.loaders.history.load(p.id),
};

export const LandUse: LandUseResolvers = {
  name: (u) => LAND_USE_NAMES[u.code] ?? u.code,
};

export const PlanningOverlay: PlanningOverlayResolvers = {
  area: (o) => o.areaM2,
  share: (o) => Number(o.share),
};
