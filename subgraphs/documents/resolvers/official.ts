/** Official: owned by the mail subgraph; this subgraph adds the documents an official signed. */
import { badInput } from '../../../kit';
import type { OfficialResolvers } from '../generated/graphql';

export const Official: OfficialResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  documentsSigned: async (o, { first }, ctx) => {
    const n = first ?? 20;
    if (!Number.isInteger(n) || n < 0 || n > 100) throw badInput('first', 'must be an integer from 0 to 100');
    return ctx.loaders.documentsSigned.load({ id: o.id, arg: { limit: n, scope: await ctx.access.rows() } });
  },
};
