/** Resolvers of the webhooks subgraph, typed by the resolver types generated from the SDL (`npm run codegen`). */
import { scalarResolvers } from '../../../kit';
import type { Resolvers } from '../generated/graphql';
import { Mutation, Query } from './root';
import { Webhook, WebhookDelivery, WebhookSigningKey } from './webhook';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query,
  Mutation,
  Webhook,
  WebhookDelivery,
  WebhookSigningKey,
};
