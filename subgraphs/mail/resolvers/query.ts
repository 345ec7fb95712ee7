/** Query: the directory of officials, mailboxes and message metadata. */
import { pageWindow, toConnection } from '../../../kit';
import {
  countOfficials,
  findOfficials,
  isMessageKey,
  isOfficialKey,
  messageKey,
  messagesOf,
  officialKey,
} from '../db/reads';
import type { QueryResolvers } from '../generated/graphql';
import { readableMailbox, requireMailbox } from './types';
import * as v from './validate';

export const Query: QueryResolvers = {
  official: async (_, { id }, ctx) => {
    ctx.access.requireSignedIn('the directory of officials');
    const key = v.officialId(id, 'id');
    return (await ctx.loaders.official.load(key)) ?? null;
  },
  officials: async (_, a, ctx) => {
    ctx.access.requireSignedIn('the directory of officials');
    const scope = {
      agencyCode: v.agencyCode(a.agencyCode, 'agencyCode'),
      includeSubordinates: a.includeSubordinates ?? false,
    };
    const window = pageWindow(a, ctx.maxPageSize, isOfficialKey);
    const rows = await findOfficials(ctx.db, scope, { after: window.after, limit: window.fetch });
    return { ...toConnection(rows, window, officialKey), totalCount: () => countOfficials(ctx.db, scope) };
  },
  mailbox: (_, { address }, ctx) => readableMailbox(ctx, v.address(address, 'address')),
  messages: async (_, args, ctx) => {
    const a = v.address(args.mailbox, 'mailbox');
    const window = pageWindow(args, ctx.maxPageSize, isMessageKey);
    await requireMailbox(ctx, a);
    const rows = await messagesOf(ctx.db, a, { after: window.after, limit: window.fetch });
    return toConnection(rows, window, messageKey);
  },
};
