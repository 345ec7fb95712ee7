/**
 * The operators' listener (GATEWAY_METRICS_PORT): the features' `operatorRoutes` (metrics), apart
 * from the public listener, so that what operators read is never on the public port. Not in a
 * cluster worker: there the primary serves the port (cluster.ts).
 */
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { GatewayConfig } from './config';
import { isWorker } from './cluster';
import { ConfigError } from './errors';
import type { FeatureParts } from './feature';

export interface OperatorListener {
  /** Listens on GATEWAY_METRICS_PORT; resolves to its URL, or rejects with a ConfigError naming it. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** The listener for the features' operator routes, or undefined when there is none to serve. */
export function operatorListener(
  config: GatewayConfig,
  routes: readonly NonNullable<FeatureParts['operatorRoutes']>[],
): OperatorListener | undefined {
  if (config.metricsPort === undefined || isWorker() || routes.length === 0) return undefined;
  const app: FastifyInstance = Fastify({ logger: false });
  for (const register of routes) app.register(async (scope) => register(scope));
  return {
    async listen() {
      try {
        await app.listen({ host: config.host, port: config.metricsPort });
      } catch (error) {
        throw new ConfigError('GATEWAY_METRICS_PORT', `cannot listen: ${(error as Error).message}`);
      }
      const { port } = app.server.address() as AddressInfo;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      return `http://${host}:${port}`;
    },
    close: () => app.close(),
  };
}
