/**
 * Prometheus metrics (`GET /metrics`, prom-client): GraphQL requests by operation, type, client and
 * outcome with their latency; per-subgraph fetch latency and errors; the resilience layer's retries,
 * timeouts, breaker rejections and breaker states; plan-cache and deduplication counts; the served
 * supergraph's hash, reloads and refusals (docs/operations.md "Metrics").
 *
 * Served on the operators' listener (`GATEWAY_METRICS_PORT`, core setting) and, only if
 * `GATEWAY_METRICS_PUBLIC=true`, on the public one too; off when neither is set. In a cluster
 * worker (GATEWAY_WORKERS > 1) the registry answers the primary, which serves every worker's
 * metrics summed on the port (cluster.ts).
 */
import cluster from 'node:cluster';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { AggregatorRegistry } from 'prom-client';
import type { Registry } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import { env } from '../../../common/env';
import type { GatewayContext } from '../../context';
import { defineFeature } from '../../feature';
import { failureReason } from '../../transport';
import type { SubgraphFetchWrapper } from '../../transport';
import { createInstruments } from './instruments';
import type { Instruments } from './instruments';

export const METRICS_PATH = '/metrics';

function requestPlugin(instruments: Instruments): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ contextValue, operationName, operation, response }) {
          const body = response.body;
          let outcome = 'ok';
          if (body.kind === 'single' && body.singleResult.errors?.length)
            outcome = body.singleResult.data ? 'partial' : 'error';
          instruments.request(
            operationName ?? undefined,
            operation?.operation ?? 'unknown',
            contextValue.identity?.role ?? 'anonymous',
            outcome,
            (performance.now() - started) / 1000,
          );
        },
      };
    },
  };
}

function fetchWrapper(instruments: Instruments): SubgraphFetchWrapper {
  return async (call, next) => {
    const started = performance.now();
    try {
      const response = await next(call);
      instruments.fetch(call.subgraph, (performance.now() - started) / 1000, undefined);
      return response;
    } catch (error) {
      // The resilience layer's coded refusals (SUBGRAPH_TIMEOUT…), else its failure kind (connect, http_503…).
      const code =
        error instanceof GraphQLError && typeof error.extensions.code === 'string'
          ? error.extensions.code
          : failureReason(error);
      instruments.fetch(call.subgraph, (performance.now() - started) / 1000, code);
      throw error;
    }
  };
}

function metricsRoute(registry: Registry) {
  return (app: FastifyInstance) => {
    app.get(METRICS_PATH, async (_request, reply) =>
      reply.header('content-type', registry.contentType).send(await registry.metrics()),
    );
  };
}

export const metrics = defineFeature({
  name: 'metrics',
  env: {
    /** Also serve `GET /metrics` on the public listener (default: only on GATEWAY_METRICS_PORT). */
    GATEWAY_METRICS_PUBLIC: env.boolean().default(false),
    /** Distinct operation names labelled; later names count as `_other` (bounds the series). */
    GATEWAY_METRICS_MAX_OPERATIONS: env.integer(1, 10_000).default(200),
  },
  create(settings, host) {
    if (host.config.metricsPort === undefined && !settings.GATEWAY_METRICS_PUBLIC) return {};
    const instruments = createInstruments(settings.GATEWAY_METRICS_MAX_OPERATIONS, host);
    // In a worker the primary asks every worker's registry over IPC and serves the sum.
    // (Constructing one installs prom-client's IPC listener in the worker.)
    if (cluster.isWorker) {
      new AggregatorRegistry();
      AggregatorRegistry.setRegistries([instruments.registry]);
    }
    const route = metricsRoute(instruments.registry);
    return {
      plugins: [requestPlugin(instruments)],
      subgraphFetch: fetchWrapper(instruments),
      operatorRoutes: route,
      ...(settings.GATEWAY_METRICS_PUBLIC && { routes: route }),
    };
  },
});
