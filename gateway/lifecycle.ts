/**
 * Start, readiness and graceful stop. `start()` loads the supergraph (through Apollo) and listens;
 * `stop()` first turns `/ready` to 503 for GATEWAY_SHUTDOWN_DELAY while still serving (so a load
 * balancer drains the replica), then closes the listener, lets in-flight requests finish for up to
 * GATEWAY_SHUTDOWN_TIMEOUT, and stops Apollo.
 */
import type { AddressInfo } from 'node:net';
import type { ApolloServer } from '@apollo/server';
import type { FastifyInstance } from 'fastify';
import type { GatewayConfig } from './config';
import type { GatewayContext } from './context';
import { ConfigError } from './errors';

export type Phase = 'new' | 'starting' | 'ready' | 'unready' | 'stopping' | 'stopped';

export const PROBE_PATHS = ['/health', '/ready'] as const;

export interface LifecycleParts {
  app: FastifyInstance;
  apollo: ApolloServer<GatewayContext>;
  config: Pick<GatewayConfig, 'host' | 'port' | 'supergraphPath' | 'shutdownDelayMs' | 'shutdownTimeoutMs'>;
  /** Path of the GraphQL endpoint, for the URL `start()` returns. */
  graphqlPath: string;
  /** Checks run after the supergraph loaded and before listening; throw to refuse to start. */
  beforeListen(): void;
  /** The setting and place a supergraph that fails at start-up is named by (default: SUPERGRAPH_PATH). */
  supergraphOrigin?: { setting: string; where: string };
}

export interface Lifecycle {
  /** Loads the supergraph, starts Apollo and listens. Rejects with a one-line reason on failure. */
  start(): Promise<{ url: string }>;
  /** Readiness goes 503, new connections are refused, in-flight requests drain, then everything closes. */
  stop(): Promise<void>;
  phase(): Phase;
  /** True once the listener is closing (requests other than probes are refused). */
  closing(): boolean;
}

export function createLifecycle(parts: LifecycleParts): Lifecycle {
  const { app, apollo, config } = parts;
  // 'unready': stop() was called; /ready says 503 so load balancers drain us, but requests are still
  // served for GATEWAY_SHUTDOWN_DELAY. 'stopping': the listener is closed and in-flight requests drain.
  let phase: Phase = 'new';
  let stopped: Promise<void> | undefined;

  async function start(): Promise<{ url: string }> {
    if (phase !== 'new') throw new Error(`gateway cannot start: it is ${phase}`);
    phase = 'starting';
    try {
      await apollo.start();
    } catch (error) {
      phase = 'stopped';
      throw startupError(
        error,
        parts.supergraphOrigin ?? { setting: 'SUPERGRAPH_PATH', where: config.supergraphPath },
      );
    }
    try {
      parts.beforeListen();
      await app.listen({ host: config.host, port: config.port });
    } catch (error) {
      phase = 'stopped';
      await apollo.stop().catch(() => undefined);
      await app.close().catch(() => undefined);
      throw error;
    }
    phase = 'ready';
    const { port } = app.server.address() as AddressInfo;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    return { url: `http://${host}:${port}${parts.graphqlPath}` };
  }

  function stop(): Promise<void> {
    stopped ??= (async () => {
      const wasRunning = phase === 'ready';
      if (wasRunning && config.shutdownDelayMs > 0) {
        phase = 'unready';
        await new Promise((resolve) => setTimeout(resolve, config.shutdownDelayMs));
      }
      phase = 'stopping';
      if (wasRunning) {
        const force = setTimeout(() => app.server.closeAllConnections(), config.shutdownTimeoutMs);
        force.unref();
        try {
          await app.close();
        } finally {
          clearTimeout(force);
        }
        await apollo.stop();
      } else {
        await app.close();
      }
      phase = 'stopped';
    })();
    return stopped;
  }

  return {
    start,
    stop,
    phase: () => phase,
    closing: () => phase === 'stopping' || phase === 'stopped',
  };
}

/**
 * `GET /health` (the process is alive) and `GET /ready` (it serves the supergraph; 503 otherwise).
 * `detail` adds fields to a ready `/ready`'s body (e.g. the supergraph's hash, the subgraphs' breaker
 * states); it never changes the status: a failing subgraph costs its own fields, not the replica's place
 * behind the load balancer.
 */
export function registerProbes(
  app: FastifyInstance,
  lifecycle: Lifecycle,
  detail: () => Record<string, unknown> = () => ({}),
): void {
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (_request, reply) => {
    const phase = lifecycle.phase();
    if (phase === 'ready') return { status: 'ready', ...detail() };
    return reply
      .code(503)
      .send({ status: phase === 'new' || phase === 'starting' ? 'starting' : 'stopping' });
  });
}

/** One line saying why start-up failed. */
function startupError(error: unknown, origin: { setting: string; where: string }): Error {
  if (error instanceof ConfigError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new ConfigError(origin.setting, `invalid supergraph ${origin.where}: ${detail.split('\n')[0]}`);
}
