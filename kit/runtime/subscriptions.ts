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
import { AppError, ErrorCode } from './errors';

/** The domain event envelope (docs/events.md): what a subscription field's resolver receives as its root. */
export interface SubscriptionEvent {
  readonly id: string;
  readonly type: string;
  readonly source: string;
  readonly sequence?: number;
  readonly recordedAt: string;
  readonly entity: { readonly typename: string; readonly key: Readonly<Record<string, string>> };
  readonly agencyCode: string | null;
  readonly agencyPath: readonly string[];
  readonly citizenIds: readonly string[];
  readonly data: Readonly<Record<string, unknown>>;
}

/** The envelope a gateway request carries (`extensions.event`), or undefined. */
export function subscriptionEventOf(request: FastifyRequest): SubscriptionEvent | undefined {
  const body = request.body as { extensions?: { event?: unknown } } | undefined;
  const event = body?.extensions?.event;
  if (typeof event !== 'object' || event === null) return undefined;
  const e = event as Partial<SubscriptionEvent>;
  if (typeof e.id !== 'string' || typeof e.type !== 'string' || typeof e.entity !== 'object')
    return undefined;
  return event as SubscriptionEvent;
}

/**
 * Gives each Subscription field's resolver the request's event as its root value; a subscription
 * without an event (not sent by the gateway's subscription path) fails with BAD_USER_INPUT.
 */
export function bindSubscriptionRoots(schema: GraphQLSchema): void {
  const type = schema.getSubscriptionType();
  if (!type) return;
  for (const field of Object.values(type.getFields())) {
    const resolve: GraphQLFieldResolver<unknown, { event?: SubscriptionEvent }> =
      field.resolve ?? defaultFieldResolver;
    field.resolve = (_root, args, context, info) => {
      const event = (context as { event?: SubscriptionEvent }).event;
      if (!event)
        throw new AppError(
          ErrorCode.BAD_USER_INPUT,
          'A subscription is served by the gateway over WebSocket (graphql-ws), one event at a time',
        );
      return resolve(event, args, context, info);
    };
  }
}
