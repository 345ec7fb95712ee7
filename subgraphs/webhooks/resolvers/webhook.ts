/** Webhook and its deliveries (batched across a list of webhooks by the loaders). */
import { pageWindow } from '../../../kit';
import type {
  WebhookDeliveryResolvers,
  WebhookResolvers,
  WebhookSigningKeyResolvers,
} from '../generated/graphql';

export const Webhook: WebhookResolvers = {
  partnerAgencyCode: (w) => w.partnerAgency,
  eventTypes: (w) => w.eventTypes as never,
  enabled: (w) => w.disabledAt === null,
  deliveryCounts: async (w, _, ctx) =>
    (await ctx.loaders.deliveryCounts.load(w.id)) ?? { webhookId: w.id, pending: 0, delivered: 0, dead: 0 },
  deliveries: (w, args, ctx) => {
    // `first` as every list of the graph takes it: a negative one or one over the page size cap is
    // BAD_USER_INPUT naming it, not quietly clamped (kit/runtime/pagination.ts).
    const { size } = pageWindow({ first: args.first ?? 20 }, ctx.maxPageSize, (_v): _v is never => false);
    return ctx.loaders.deliveries.load({ id: w.id, arg: { status: args.status ?? null, first: size } });
  },
};

export const WebhookDelivery: WebhookDeliveryResolvers = {
  eventType: (d) => d.eventType as never,
  nextAttemptAt: (d) => (d.status === 'PENDING' ? d.nextAttemptAt.toISOString() : null),
};

export const WebhookSigningKey: WebhookSigningKeyResolvers = {
  algorithm: () => 'ed25519',
};
