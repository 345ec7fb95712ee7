/** The per-request context every gateway plugin and the subgraph data source can rely on. */
import type { FastifyBaseLogger } from 'fastify';

/** Any pino logger (Fastify's request loggers included). */
export type GatewayLogger = FastifyBaseLogger;

export interface GatewayContext {
  /** The request id echoed in `x-request-id` and forwarded to every subgraph. */
  readonly requestId: string;
  /** Child logger bound to this request's id. */
  readonly logger: GatewayLogger;
}
