/**
 * Subscription fields on a subgraph (docs/subscriptions.md). A subgraph declares them in its SDL
 * (`type Subscription`); the gateway, holding a client's subscription, POSTs the subscription's
 * selection here once per event, as the receiver, with the event's envelope in the request's
 * `extensions.event`. The subgraph then executes that selection as graphql-js executes a subscription
 * for one source event ("MapSourceToResponseEvent"): the root value is the event, so each field's
 * resolver reads the event and loads the entity with the caller's row rules and masking, exactly as a
 * query would. There is no long-lived stream here: the gateway holds the connections.
 *
 * Only the gateway can call a subgraph (a signed caller token), so the envelope is the gateway's, read
 * from the event bus. A subscription operation without one is refused.
 */
import type { FastifyRequest } from 'fastify';
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import { defaultFieldResolver } from 'graphql';
import { asEventEnvelope } from '../../common/events';
import type { EventEnvelope } from '../../common/events';
import { AppError, ErrorCode } from './errors';

/** The envelope a gateway request carries (`extensions.event`), or undefined. */
export function subscriptionEventOf(request: FastifyRequest): EventEnvelope | undefined {
  const body = request.body as { extensions?: { event?: unknown } } | undefined;
  return asEventEnvelope(body?.extensions?.event);
}

/**
 * Gives each Subscription field's resolver the request's event as its root value; a subscription
 * without an event (not sent by the gateway's subscription path) fails with BAD_USER_INPUT.
 */
export function bindSubscriptionRoots(schema: GraphQLSchema): void {
  const type = schema.getSubscriptionType();
  if (!type) return;
  for (const field of Object.values(type.getFields())) {
    const resolve: GraphQLFieldResolver<unknown, { event?: EventEnvelope }> =
      field.resolve ?? defaultFieldResolver;
    field.resolve = (_root, args, context, info) => {
      const event = (context as { event?: EventEnvelope }).event;
      if (!event)
        throw new AppError(
          ErrorCode.BAD_USER_INPUT,
          'A subscription is served by the gateway over WebSocket (graphql-ws), one event at a time',
        );
      return resolve(event, args, context, info);
    };
  }
}
