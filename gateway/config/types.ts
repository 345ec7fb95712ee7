/** The gateway's validated settings, as `loadGatewayConfig` (index.ts) returns them. */
import type { HttpTimeouts } from '../../common/httpTimeouts';
import type { LogLevel } from '../../common/env';
import type { ResilienceSettings } from '../transport';

export interface GatewayConfig {
  readonly host: string;
  readonly port: number;
  readonly supergraphPath: string;
  /** Where the supergraph comes from besides the file, and how changes are followed (docs/operations.md). */
  readonly supergraph: SupergraphSettings;
  /** Subgraph URL overrides keyed by the normalised subgraph name (see `subgraphEnvName`). */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  readonly bodyLimit: number;
  /** Header, request (body) and idle keep-alive timeouts of the HTTP server (common/httpTimeouts.ts). */
  readonly httpTimeouts: HttpTimeouts;
  /**
   * Which proxies' `X-Forwarded-For` to believe for the client IP (rate limits, logs): `false` (the
   * default: the socket's peer is the client, so the header cannot be spoofed to dodge limits), a
   * hop count, or the proxies' addresses/CIDRs (Fastify's `trustProxy`).
   */
  readonly trustProxy: false | number | readonly string[];
  readonly introspection: boolean;
  readonly logLevel: LogLevel;
  /** Which engine executes query plans: ours (`govgraph`) or stock @apollo/gateway (`apollo`). */
  readonly engine: GatewayEngine;
  /** How long `stop()` keeps serving with /ready at 503 before it stops accepting (load balancer drain). */
  readonly shutdownDelayMs: number;
  /** How long `stop()` waits for in-flight requests before closing their connections. */
  readonly shutdownTimeoutMs: number;
  /** Processes serving the port (node:cluster); 1 = this process alone, no cluster. */
  readonly workers: number;
  /**
   * Progressive `@override(label:)` labels fixed by configuration (`GATEWAY_OVERRIDE_LABELS`); other
   * `percent(x)` labels are rolled per request, other custom labels are off (engine/plan/overrideLabels.ts).
   */
  readonly overrideLabels: ReadonlyMap<string, boolean>;
  /** The whole-request deadline: past it the client gets 504 GATEWAY_TIMEOUT and the fetches are cancelled. */
  readonly requestDeadlineMs: number;
  /** Subgraph timeouts, response size cap, retries and circuit breaker (transport/resilience/). */
  readonly resilience: ResilienceSettings;
  /**
   * `GATEWAY_METRICS_PORT`: the operators' listener (on `host`) serving `GET /metrics`; unset = none.
   * With GATEWAY_WORKERS > 1 the cluster's primary serves it, for all workers together.
   */
  readonly metricsPort?: number;
  /** Each feature's validated settings, by feature name. */
  readonly features: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** How the supergraph is followed after start-up ("Reloading the supergraph", docs/operations.md). */
export interface SupergraphSettings {
  /** `SUPERGRAPH_URL`: fetched at start and polled; when unset the file (`supergraphPath`) is served. */
  readonly url?: string;
  /** `GATEWAY_SUPERGRAPH_WATCH`: how a changed file is noticed: `off`, `watch` (file-system events), `poll` (mtime). */
  readonly watch: 'off' | 'watch' | 'poll';
  /** `GATEWAY_SUPERGRAPH_POLL_INTERVAL`: ms between polls of the URL, or of the file's mtime (`poll`). */
  readonly pollIntervalMs: number;
  /** `GATEWAY_SUPERGRAPH_TIMEOUT`: ms one fetch of the URL may take. */
  readonly timeoutMs: number;
  /**
   * `GATEWAY_SUPERGRAPH_PUBLIC_KEY`: the schema registry's Ed25519 public key (PEM or base64 SPKI);
   * when set, a supergraph from SUPERGRAPH_URL whose signature is missing or wrong is refused
   * (docs/registry.md "Signed supergraphs").
   */
  readonly publicKey?: string;
}

/** Which engine executes query plans (`GATEWAY_ENGINE`). */
export const GATEWAY_ENGINES = ['govgraph', 'apollo'] as const;
export type GatewayEngine = (typeof GATEWAY_ENGINES)[number];
