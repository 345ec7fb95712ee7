/** The per-request context every plugin, feature and subgraph fetch can rely on. */
import type { FastifyBaseLogger } from 'fastify';

/** Any pino logger (Fastify's request loggers included). */
export type GatewayLogger = FastifyBaseLogger;

/** The fields the core sets on every request. */
export interface CoreContext {
  /** The gateway's own id for the request: sent back in `x-request-id`, forwarded to every subgraph. */
  readonly requestId: string;
  /**
   * The client's own `x-request-id`, sanitised and cut to 128 characters (common/requestId.ts):
   * logged and forwarded as `x-client-request-id`, never used as the request id.
   */
  readonly clientRequestId?: string;
  /** Child logger bound to this request's id. */
  readonly logger: GatewayLogger;
  /**
   * Aborted when the client disconnects or the request's deadline (GATEWAY_REQUEST_DEADLINE) passes;
   * the transport then cancels the request's subgraph fetches (gateway/deadline.ts). Absent for
   * fetches no client request started (health checks).
   */
  readonly signal?: AbortSignal;
  /** When the request's deadline passes (epoch ms): no retry is started that would end after it. */
  readonly deadline?: number;
}

/**
 * The core fields plus whatever the installed features declare (see feature.ts): a feature adds a
 * field by augmenting this interface with `declare module`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- augmented by features
export interface GatewayContext extends CoreContext {}
