/** Query and Mutation of the webhooks subgraph. Mutations run in one transaction and are audited by the kit. */
import { AppError, ErrorCode, badInput } from '../../../kit';
import type { MutationResolvers, QueryResolvers } from '../generated/graphql';
import {
  disableWebhook,
  insertWebhook,
  requeueDeliveries,
  signingKeys,
  webhookOf,
  webhooksOf,
} from '../db/webhooks';
import { checkEventTypes, checkUrl, partnerAgency } from './partner';

const production = (): boolean => process.env.NODE_ENV === 'production';
/** Webhooks a partner agency may have enabled at once. */
export const MAX_WEBHOOKS = 20;

export const Query: QueryResolvers = {
  webhooks: (_, args, ctx) => webhooksOf(ctx.db, partnerAgency(ctx), args.includeDisabled ?? false),
  webhook: (_, args, ctx) => webhookOf(ctx.db, partnerAgency(ctx), uuid(args.id, 'id')),
  webhookSigningKeys: (_, __, ctx) => signingKeys(ctx.db),
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuid = (v: string, field: string): string => {
  if (!UUID.test(v)) throw badInput(field, 'Not a webhook id');
  return v.toLowerCase();
};

const instant = (v: unknown, field: string): Date | null => {
  if (v == null) return null;
  const d = v instanceof Date ? v : new Date(String(v));
  if (Number.isNaN(d.getTime())) throw badInput(field, 'Not an instant');
  return d;
};

/** Another partner's webhook, or none: the same answer, so that ids of others are not disclosed. */
const notYours = (id: string, field: string): AppError =>
  new AppError(ErrorCode.NOT_FOUND, `Webhook ${id} not found among your agency's webhooks`, { field });

export const Mutation: MutationResolvers = {
  registerWebhook: async (_, { input }, ctx) => {
    const agency = partnerAgency(ctx);
    const url = checkUrl(input.url, production());
    const eventTypes = checkEventTypes(input.eventTypes, ctx.caller.scopes);
    const description = input.description?.trim() || null;
    if (description && description.length > 200)
      throw badInput('input.description', 'At most 200 characters');
    const [{ n }] = (await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM webhooks WHERE partner_agency = $1 AND disabled_at IS NULL`,
      [agency],
    )) as [{ n: number }];
    if (n >= MAX_WEBHOOKS)
      throw badInput('input.url', `A partner agency has at most ${MAX_WEBHOOKS} enabled webhooks`);
    return insertWebhook(ctx.db, {
      partnerAgency: agency,
      scopes: ctx.caller.scopes,
      url,
      eventTypes,
      description,
      createdBy: ctx.caller.subject,
    });
  },
  disableWebhook: async (_, args, ctx) => {
    const w = await webhookOf(ctx.db, partnerAgency(ctx), uuid(args.id, 'id'), true);
    if (!w) throw notYours(args.id, 'id');
    return disableWebhook(ctx.db, w.id);
  },
  replayWebhookDeliveries: async (_, { input }, ctx) => {
    const agency = partnerAgency(ctx);
    const w = await webhookOf(ctx.db, agency, uuid(input.webhookId, 'input.webhookId'), true);
    if (!w) throw notYours(input.webhookId, 'input.webhookId');
    const statuses = [...new Set(input.statuses ?? ['DEAD'])];
    if (!statuses.length) throw badInput('input.statuses', 'Name DEAD, DELIVERED or both');
    if (statuses.includes('PENDING'))
      throw badInput('input.statuses', 'PENDING deliveries are already queued');
    const from = instant(input.from, 'input.from');
    const to = instant(input.to, 'input.to');
    if (from && to && from >= to) throw badInput('input.to', 'Must be after input.from');
    const requeued = await requeueDeliveries(ctx.db, w.id, statuses, from, to);
    return { requeued, webhook: w };
  },
};
