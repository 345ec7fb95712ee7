/** AdministrativeUnit and UnitSuccession: the catalogue's units and the 2025 crosswalk. */
import { vnToday } from '../../../kit';
import type { AdministrativeUnitResolvers, UnitSuccessionResolvers } from '../generated/graphql';

export const AdministrativeUnit: AdministrativeUnitResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.unit.load(ref.id),
  parent: (u, _, ctx) => (u.parentId ? ctx.loaders.unit.load(u.parentId) : null),
  children: (u, args, ctx) => ctx.loaders.unitChildren.load({ id: u.id, arg: args.asOf ?? null }),
  predecessors: (u, _, ctx) => ctx.loaders.successionsTo.load(u.id),
  successors: (u, _, ctx) => ctx.loaders.successionsFrom.load(u.id),
  current: (u, args, ctx) => ctx.loaders.currentUnits.load({ id: u.id, arg: args.asOf ?? vnToday() }),
};

export const UnitSuccession: UnitSuccessionResolvers = {
  from: async (s, _, ctx) => (await ctx.loaders.unit.load(s.fromId))!,
  to: async (s, _, ctx) => (await ctx.loaders.unit.load(s.toId))!,
};
