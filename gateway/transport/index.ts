/**
 * The transport's public entry: what the engines, the server and features may import from
 * transport/ (its other files are internals; eslint.config.mjs). See docs/engine.md for the path of
 * one subgraph fetch.
 */
export { createTransport } from './client';
export type { CachePolicy, SubgraphClient, Transport, TransportOptions } from './client';
export { SubgraphHttpError } from './chain';
export type {
  SubgraphCall,
  SubgraphFetch,
  SubgraphFetchWrapper,
  SubgraphRequest,
  SubgraphRequestBody,
  SubgraphResponse,
} from './chain';
export { SubgraphDataSource } from './dataSource';
export { signCalls } from './signing';
export type { CallSigner } from './signing';
export { createResilience, DEFAULT_RESILIENCE, failureReason } from './resilience';
export type {
  BreakerSettings,
  BreakerState,
  Resilience,
  ResilienceEventMap,
  ResilienceEvents,
  ResilienceSettings,
  RetrySettings,
} from './resilience';
