/** Official: owned by the mail subgraph; this subgraph adds the documents an official signed. */
import { badInput } from '../../../kit';
import type { OfficialResolvers } from '../generated/graphql';

export const Official: OfficialResolvers = {
  // The directory of officials is for signed-in callers (docs/access-policy.md), on every route.
  __resolveReference: (ref, ctx) => {
    ctx.access.requireSignedIn(`official ${ref.id}`);
    return { id: ref.id };
  },
  documentsSigned: async (o, { first }, ctx) => {
    const n = first ?? 20;
    if (!Number.isInteger(n) || n < 0 || n > 100) throw badInput('first', 'must be an integer from 0 to 100');
    return ctx.loaders.documentsSigned.load({ id: o.id, arg: { limit: n, scope: await ctx.access.rows() } });
  },
};
