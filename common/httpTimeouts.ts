/**
 * HTTP server timeouts, for the gateway (gateway/httpEdge.ts, settings GATEWAY_*_TIMEOUT) and every
 * subgraph (kit/runtime/server.ts): a client holds a socket only as long as it keeps a request moving.
 *
 * - `headersMs`: from the connection (or the end of the previous response) until the request's
 *   headers are complete; a client that connects and sends nothing, or trickles headers, is cut.
 * - `requestMs`: until the whole request, body included, has been received; a body trickled a
 *   byte at a time is cut (408) however often it sends. Running the operation is not counted.
 * - `keepAliveMs`: how long an idle keep-alive connection waits for its next request.
 *
 * Node checks the first two every `CHECK_INTERVAL_MS` (its default is 30 s, which would let a
 * 10 s limit run to 40 s), so a cut comes within that much of the limit. A cut request gets
 * `408 Request Timeout` and its connection is closed.
 *
 * Neutral code: the gateway and the kit both import it.
 */
import type { ServerOptions } from 'node:http';

export interface HttpTimeouts {
  readonly headersMs: number;
  readonly requestMs: number;
  readonly keepAliveMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = Object.freeze({
  headersMs: 10_000,
  requestMs: 30_000,
  // Longer than the 60 s idle timeout of common load balancers, so they close first, not us mid-reuse.
  keepAliveMs: 72_000,
});

/** How often Node looks for requests past their header or request timeout, ms. */
export const CHECK_INTERVAL_MS = 1000;

/** The Fastify options that apply `t` (Fastify sets the request and keep-alive ones itself). */
export function fastifyTimeouts(t: HttpTimeouts): {
  requestTimeout: number;
  keepAliveTimeout: number;
  http: ServerOptions;
} {
  return {
    requestTimeout: t.requestMs,
    keepAliveTimeout: t.keepAliveMs,
    http: {
      headersTimeout: t.headersMs,
      requestTimeout: t.requestMs,
      keepAliveTimeout: t.keepAliveMs,
      connectionsCheckingInterval: CHECK_INTERVAL_MS,
    },
  };
}
