/** Agency: a catalogue agency (kit/catalogue), with its documents and their KPIs. */
import { notFound, toConnection } from '../../../kit';
import type { AgencyResolvers } from '../generated/graphql';
import { documentKey, documentQuery } from './paging';
import * as v from './validate';

export const Agency: AgencyResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.agency.load(ref.code),
  parent: (a, _, ctx) => (a.parentCode ? ctx.loaders.agency.load(a.parentCode) : null),
  children: (a, args, ctx) => ctx.loaders.agencyChildren.load({ id: a.code, arg: args.asOf ?? null }),
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
  documentStats: async (a, args, ctx) => {
    const period = v.period(args.period.from, args.period.to);
    const stats = await ctx.loaders.documentStats.load({
      id: a.code,
      arg: { ...period, includeSubordinates: args.includeSubordinates ?? false },
    });
    if (!stats) throw notFound(`Agency ${a.code}`);
    return { ...stats, ...period };
  },
};
