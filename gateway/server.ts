/**
 * The gateway core, wiring only: the engine configuration names (engine/, planning and executing
 * over the supergraph) inside @apollo/server, mounted on Fastify. Generic: it serves any valid
 * Federation 2 supergraph and knows nothing about the domain. Behaviour lives in features
 * (feature.ts, features/), the HTTP edge (httpEdge.ts), start/stop (lifecycle.ts), the per-request
 * context (requestContext.ts), the operators' listener (operatorListener.ts) and subgraph fetches
 * in the transport (transport/).
 */
import { ApolloServer } from '@apollo/server';
import type { ApolloServerPlugin } from '@apollo/server';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { GatewayConfig } from './config';
import { subgraphEnvName } from './config';
import type { GatewayContext, GatewayLogger } from './context';
import { ConfigError, toClientError } from './errors';
import type { FeatureHost, FeatureParts, GatewayFeature } from './feature';
import { requestDeadline } from './deadline';
import { withDocumentTransforms } from './documentTransform';
import {
  importSupergraphPublicKey,
  SIGNATURE_HEADER,
  supergraphSignatureProblem,
} from '../common/supergraphSignature';
import {
  createEngine,
  describeUrl,
  fileSupergraphSource,
  supergraphEvents,
  urlSupergraphSource,
} from './engine';
import type { SupergraphEventSink, SupergraphEvents, SupergraphSource } from './engine';
import { registerGraphqlRoute } from './graphqlRoute';
import { createHttpEdge } from './httpEdge';
import { createLifecycle, PROBE_PATHS, registerProbes } from './lifecycle';
import { operationRunner } from './operations';
import { operatorListener } from './operatorListener';
import { requestContextBuilder } from './requestContext';
import { gatewayStats } from './stats';
import type { GatewayStats } from './stats';
import { createResilience } from './transport';
import type { ResilienceEvents } from './transport';

export interface CreateGatewayOptions {
  logger: GatewayLogger;
  /**
   * The features to install, in order: the list `loadGatewayConfig` validated the settings for
   * (main.ts gives both features/index.ts's `defaultFeatures`; tests extend it with fixtures).
   */
  features: readonly GatewayFeature[];
}

export interface Gateway {
  readonly app: FastifyInstance;
  /** Loads the supergraph, starts Apollo and listens. Rejects with a one-line reason on failure. */
  start(): Promise<{ url: string; links: Record<string, string>; operatorUrl?: string }>;
  /** Readiness goes 503, new connections are refused, in-flight requests drain, then everything closes. */
  stop(): Promise<void>;
  isReady(): boolean;
  /** Subgraph fault events (retries, timeouts, breaker changes…) and breaker states, for metrics. */
  readonly resilience: ResilienceEvents;
  /** The supergraph being served: its hash, reload and refusal counts, and their events. */
  readonly supergraph: SupergraphEvents;
  /** The core's counters: plan cache, deduplication (stats.ts). */
  readonly stats: GatewayStats;
}

export const GRAPHQL_PATH = '/graphql';

interface Installed {
  name: string;
  parts: FeatureParts;
}

export function createGateway(config: GatewayConfig, options: CreateGatewayOptions): Gateway {
  const { logger } = options;
  const supergraph = supergraphEvents(logger);
  const stats = gatewayStats();
  // Subgraph timeouts, size cap, retries and breakers: the innermost wrapper (transport/resilience/).
  const resilience = createResilience(config.resilience);
  const deadline = requestDeadline(config.requestDeadlineMs);
  // Apollo Server is made from the features' parts; the runner reaches it once it exists.
  const late: {
    apollo?: ApolloServer<GatewayContext>;
    context?: (request: FastifyRequest) => Promise<GatewayContext>;
  } = {};
  const host: FeatureHost = {
    config,
    logger,
    graphqlPath: GRAPHQL_PATH,
    supergraph,
    resilience: resilience.events,
    stats,
    operations: operationRunner(
      () => late.apollo!,
      (request) => late.context!(request),
    ),
  };
  const installed = options.features.map((feature) => install(feature, config, host));
  const wrappers = [
    ...installed.flatMap(({ parts }) => (parts.subgraphFetch ? [parts.subgraphFetch] : [])),
    resilience.wrapper,
  ];
  const subgraphNames = new Set<string>();
  const usedOverrides = new Set<string>();
  const supergraphHooks = installed.flatMap(({ parts }) => (parts.supergraph ? [parts.supergraph] : []));

  const source = supergraphSource(config, logger, supergraph);

  // GATEWAY_ENGINE: our engine (gateway/engine/) or stock @apollo/gateway, the reference engine.
  const engine = createEngine(config.engine, {
    source,
    transform: (sdl) => supergraphHooks.reduce((text, hook) => hook(text), sdl),
    events: supergraph,
    stats,
    wrappers,
    subgraphUrl(name, url) {
      subgraphNames.add(name);
      resilience.register(name);
      const key = subgraphEnvName(name);
      const override = config.subgraphUrls[key];
      if (override) usedOverrides.add(key);
      const target = override ?? url;
      if (!target)
        throw new Error(`subgraph "${name}" has no URL in the supergraph; set SUBGRAPH_URL_${key}`);
      return target;
    },
    logger,
    overrideLabels: config.overrideLabels,
    // As @apollo/gateway decides by default: federation's supergraph checks run outside production.
    validateSupergraph: process.env.NODE_ENV !== 'production',
  });
  const gateway = withDocumentTransforms(
    engine,
    installed.flatMap(({ parts }) => (parts.documentTransform ? [parts.documentTransform] : [])),
  );

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    logger,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    introspection: config.introspection,
    stopOnTerminationSignals: false,
    // The one place private extensions are removed, for every error of every response.
    formatError: toClientError,
    plugins: installed.flatMap(({ parts }) => parts.plugins ?? ([] as ApolloServerPlugin<GatewayContext>[])),
  });
  const buildContext = requestContextBuilder(
    installed.flatMap(({ name, parts }) => (parts.context ? [{ name, fields: parts.context }] : [])),
    deadline,
    supergraph,
  );
  late.apollo = apollo;
  late.context = buildContext;

  const app = createHttpEdge({
    bodyLimit: config.bodyLimit,
    timeouts: config.httpTimeouts,
    trustProxy: config.trustProxy,
    logger,
    probePaths: PROBE_PATHS,
    closing: () => lifecycle.closing(),
  });
  const lifecycle = createLifecycle({
    app,
    apollo,
    config,
    graphqlPath: GRAPHQL_PATH,
    supergraphOrigin: {
      setting: config.supergraph.url ? 'SUPERGRAPH_URL' : 'SUPERGRAPH_PATH',
      where: source.describe,
    },
    beforeListen() {
      const unused = Object.keys(config.subgraphUrls).filter((k) => !usedOverrides.has(k));
      if (unused.length > 0) {
        throw new ConfigError(
          `SUBGRAPH_URL_${unused[0]}`,
          `no subgraph named like that in ${source.describe}`,
        );
      }
      const unknown = [...config.resilience.timeouts.keys()].find((name) => !subgraphNames.has(name));
      if (unknown !== undefined) {
        throw new ConfigError(
          'GATEWAY_SUBGRAPH_TIMEOUTS',
          `no subgraph named "${unknown}" in ${source.describe}`,
        );
      }
    },
  });

  const readyParts = installed.flatMap(({ parts }) => (parts.ready ? [parts.ready] : []));
  registerProbes(app, lifecycle, () => ({
    supergraph: supergraphDetail(supergraph),
    subgraphs: breakerDetail(resilience.events),
    ...Object.assign({}, ...readyParts.map((ready) => ready())),
  }));
  const graphqlWrappers = [
    // The deadline outermost, so it bounds the features' request work too.
    deadline.wrapper,
    ...installed.flatMap(({ parts }) => (parts.graphqlRequest ? [parts.graphqlRequest] : [])),
  ];
  for (const path of [GRAPHQL_PATH, ...installed.flatMap(({ parts }) => parts.graphqlPaths ?? [])])
    registerGraphqlRoute(app, { path, apollo, context: buildContext, wrappers: graphqlWrappers });
  for (const { parts } of installed) {
    const { routes } = parts;
    if (routes) app.register(async (scope) => routes(scope));
  }

  const operators = operatorListener(
    config,
    installed.flatMap(({ parts }) => (parts.operatorRoutes ? [parts.operatorRoutes] : [])),
  );

  const links = Object.assign({}, ...installed.map(({ parts }) => parts.links ?? {})) as Record<
    string,
    string
  >;
  return {
    app,
    async start() {
      for (const { parts } of installed) await parts.start?.();
      const { url } = await lifecycle.start();
      const origin = new URL(url).origin;
      const pages = Object.fromEntries(Object.entries(links).map(([k, p]) => [k, origin + p]));
      if (!operators) return { url, links: pages };
      try {
        return { url, links: pages, operatorUrl: await operators.listen() };
      } catch (error) {
        await lifecycle.stop();
        throw error;
      }
    },
    async stop() {
      await lifecycle.stop();
      await operators?.close();
      // After the drain, so that what the last requests left (their spans) is there to flush.
      await Promise.all(
        installed.map(async ({ name, parts }) => {
          try {
            await parts.stop?.();
          } catch (error) {
            logger.warn({ err: error }, `gateway feature "${name}" failed to stop`);
          }
        }),
      );
    },
    isReady: () => lifecycle.phase() === 'ready',
    resilience: resilience.events,
    supergraph,
    stats,
  };
}

/**
 * `SUPERGRAPH_URL` (polled; with GATEWAY_SUPERGRAPH_PUBLIC_KEY, only documents the registry signed) or
 * the supergraph file (watched as GATEWAY_SUPERGRAPH_WATCH says).
 */
function supergraphSource(
  config: GatewayConfig,
  logger: GatewayLogger,
  events: SupergraphEventSink,
): SupergraphSource {
  const { url, watch, pollIntervalMs, timeoutMs, publicKey } = config.supergraph;
  if (url) {
    const key = publicKey !== undefined ? importSupergraphPublicKey(publicKey) : undefined;
    return urlSupergraphSource(url, {
      pollIntervalMs,
      timeoutMs,
      logger,
      ...(key && {
        verify: (sdl, headers) => supergraphSignatureProblem(sdl, headers.get(SIGNATURE_HEADER), key),
        onRefused: (hash, reason) => events.refused(hash, reason, describeUrl(url)),
      }),
    });
  }
  return fileSupergraphSource(config.supergraphPath, { watch, pollIntervalMs, logger });
}

/** What `/ready` tells operators of the supergraph: which version serves, since when, reloads and refusals. */
function supergraphDetail(events: SupergraphEvents): Record<string, unknown> {
  const { hash, since, reloads, refusals, lastRefused } = events.status();
  // The refusal's reason stays in the log: /ready is on the public listener.
  const refused = lastRefused && { hash: lastRefused.hash, at: lastRefused.at };
  return { hash, since, reloads, refusals, ...(refused && { lastRefused: refused }) };
}

/** `/ready` detail: each subgraph's circuit breaker (`{ documents: { breaker: 'closed' } }`). */
function breakerDetail(events: ResilienceEvents): Record<string, { breaker: string }> {
  const states = events.breakerStates();
  return Object.fromEntries(Object.entries(states).map(([name, breaker]) => [name, { breaker }]));
}

function install(feature: GatewayFeature, config: GatewayConfig, host: FeatureHost): Installed {
  const settings = config.features[feature.name];
  if (!settings) {
    throw new Error(
      `gateway feature "${feature.name}" has no settings: pass the same feature list to loadGatewayConfig`,
    );
  }
  return { name: feature.name, parts: feature.create(settings, host) };
}
