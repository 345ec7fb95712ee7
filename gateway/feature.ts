/**
 * The gateway's one extension point. A feature is a typed factory: it declares its own settings
 * (environment variables, as zod schemas) and, given their validated values, returns what it
 * contributes — Apollo Server plugins, fields of the per-request context, a wrapper around every
 * subgraph fetch, a transform of the operation before it is planned, HTTP routes. The core
 * (server.ts) only wires contributions together; the list of features is `features/index.ts`. Adding a feature is one file (or one folder: a feature imports
 * only its own folder and the core, never another feature) plus one line there.
 *
 * Context fields: a feature that adds one declares it on the context type, Fastify-style:
 *
 *   declare module '../context' {
 *     interface GatewayContext { readonly clientIp?: string }
 *   }
 *
 * Declare such fields optional: fetches the gateway makes on its own (health checks) and features
 * that decline a request leave them unset. The caller is the core's (context.ts: `identity`,
 * `callerOf`), so that features read it without importing the one that verifies it.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { GatewayConfig } from './config';
import type { CoreContext, GatewayContext, GatewayLogger } from './context';
import type { SupergraphEvents } from './engine';
import type { EnvShape, EnvValues } from '../common/env';
import type { DocumentTransform } from './documentTransform';
import type { GraphqlRequestWrapper } from './graphqlRoute';
import type { OperationRunner } from './operations';
import type { GatewayStats } from './stats';
import type { ResilienceEvents, SubgraphFetchWrapper } from './transport';

/** Context fields a feature may set: any declared field except the core's own. */
export type ContextFields = Partial<Omit<GatewayContext, keyof CoreContext>>;

/** What a feature adds to the gateway. Every part is optional. */
export interface FeatureParts {
  /** Apollo Server plugins, run in feature-list order. */
  plugins?: ApolloServerPlugin<GatewayContext>[];
  /**
   * Fields of the per-request context, computed from the incoming HTTP request before the operation
   * runs. Throwing a GraphQLError with a code (e.g. UNAUTHENTICATED) refuses the request with it.
   */
  context?: (request: FastifyRequest) => ContextFields | Promise<ContextFields>;
  /** Wraps every subgraph fetch; wrappers form a chain in feature-list order (first = outermost). */
  subgraphFetch?: SubgraphFetchWrapper;
  /**
   * Wraps the whole handling of one `/graphql` request by Apollo Server (e.g. to share one
   * execution between identical requests); a chain in feature-list order, like `subgraphFetch`.
   */
  graphqlRequest?: GraphqlRequestWrapper;
  /**
   * Changes the operation the engine plans and executes for a request (e.g. authorization removes
   * the fields the caller may not see); transforms run in feature-list order, after every plugin's
   * `responseForOperation`, each on the previous one's result (documentTransform.ts).
   */
  documentTransform?: DocumentTransform;
  /**
   * More paths the GraphQL route serves besides `/graphql`, as Fastify patterns (e.g.
   * `/graphql/contracts/:contract`); the feature's `context` hook reads the request's params.
   */
  graphqlPaths?: readonly string[];
  /** Registers HTTP routes (e.g. `GET /metrics`) in the feature's own Fastify scope. */
  routes?: (app: FastifyInstance) => void | Promise<void>;
  /**
   * Registers routes on the operators' listener (`GATEWAY_METRICS_PORT`), which is not the public
   * one; ignored when that port is unset.
   */
  operatorRoutes?: (app: FastifyInstance) => void | Promise<void>;
  /**
   * Reads the supergraph when the engine loads it and returns the text the engine gets (the
   * same text, or a rewrite of it); hooks run in feature-list order, each on the previous one's
   * output. Throwing (e.g. a ConfigError) fails start-up with its message, and refuses a reloaded
   * version (engine/supergraph/follow.ts; a hook must be a deterministic function of the text: it is
   * run again on the serving text to restore what it remembers). Used to read directives
   * that do not reach the API schema (authorization, cost).
   */
  supergraph?: (sdl: string) => string;
  /**
   * Called once as the gateway starts, before the supergraph is loaded (so before the supergraph
   * hooks run) and before it listens: for what a feature must fetch before it can serve (e.g. the
   * registry's contracts). Rejecting (e.g. with a ConfigError) fails start-up with its message.
   */
  start?: () => Promise<void>;
  /**
   * Fields added to a ready `/ready`'s body (e.g. `{ contracts: { hash, refusals } }`); never
   * changes its status. Keep them free of secrets: `/ready` is on the public listener.
   */
  ready?: () => Record<string, unknown>;
  /**
   * Called once as the gateway stops, after the requests in flight have drained (e.g. tracing
   * exports the spans it still holds); bound it yourself: the stop waits for it. A rejection is
   * logged and does not keep the other features' hooks from running.
   */
  stop?: () => Promise<void>;
  /** Pages worth printing at start-up, label → path (e.g. `{ GraphiQL: '/graphiql' }`). */
  links?: Record<string, string>;
}

/** What the core tells a feature when it is set up. */
export interface FeatureHost {
  readonly config: GatewayConfig;
  readonly logger: GatewayLogger;
  /** Path of the GraphQL endpoint, e.g. `/graphql`. */
  readonly graphqlPath: string;
  /**
   * The supergraph being served and its reloads: `status()` (hash, reloads, refusals),
   * `onReload(...)`, `onReloadRefused(...)` (engine/supergraph/events.ts).
   */
  readonly supergraph?: SupergraphEvents;
  /** Subgraph fault events (retries, timeouts, breaker changes…) and breaker states (transport/resilience/). */
  readonly resilience?: ResilienceEvents;
  /** The core's counters (plan cache, deduplication), read by metrics (stats.ts). */
  readonly stats?: GatewayStats;
  /**
   * Runs operations that do not come as a `/graphql` HTTP request (subscriptions over WebSocket)
   * with the features' context hooks and the whole Apollo Server pipeline (operations.ts); usable
   * once the gateway has started.
   */
  readonly operations?: OperationRunner;
}

export interface GatewayFeature<S extends EnvShape = EnvShape> {
  /** Unique, kebab-case; keys the feature's settings in `GatewayConfig.features`. */
  readonly name: string;
  /**
   * The environment variables this feature reads, each a zod schema from string to value (see
   * env.ts). Names start with `GATEWAY_` and belong to exactly one feature or the core; they are
   * validated at start-up with the core's, and any other `GATEWAY_*` variable is rejected.
   */
  readonly env?: S;
  /** Builds the feature's parts from its validated settings. Called once per gateway. */
  create(settings: EnvValues<S>, host: FeatureHost): FeatureParts;
}

/** Identity function that types `create`'s settings from `env`. */
export function defineFeature<S extends EnvShape = Record<never, never>>(
  feature: GatewayFeature<S>,
): GatewayFeature<S> {
  return feature;
}
