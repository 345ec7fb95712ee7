/**
 * What the resilience wrapper (index.ts) is told: per-subgraph timeouts, the response size cap,
 * the retry policy and the circuit breaker's thresholds. gateway/config/ reads them from the
 * environment (docs/configuration.md, "Faults and timeouts"); the defaults are here.
 */

export interface RetrySettings {
  /** Retries after the first attempt of a query fetch (0 = never retry). */
  readonly maxRetries: number;
  /** Backoff before retry n is a random delay in [0, min(maxDelayMs, baseDelayMs × 2^(n-1))] (full jitter). */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Retries per subgraph may be at most this fraction of its fetches (plus a reserve of `budgetReserve`). */
  readonly budgetRatio: number;
  readonly budgetReserve: number;
}

export interface BreakerSettings {
  readonly enabled: boolean;
  /** Opens when failures / calls over the window reach this ratio… */
  readonly failureRatio: number;
  /** …and the window holds at least this many calls. */
  readonly minRequests: number;
  /** The rolling window failures are counted over. */
  readonly windowMs: number;
  /** How long it stays open (failing fast) before one probe call is let through (half-open). */
  readonly openMs: number;
}

export interface ResilienceSettings {
  /** How long one attempt of a subgraph fetch may take, unless `timeouts` names the subgraph. */
  readonly timeoutMs: number;
  /** Per-subgraph timeouts by subgraph name (as in the supergraph). */
  readonly timeouts: ReadonlyMap<string, number>;
  /** Most bytes of one subgraph answer's body. */
  readonly maxResponseBytes: number;
  readonly retry: RetrySettings;
  readonly breaker: BreakerSettings;
}

export const DEFAULT_RESILIENCE: ResilienceSettings = Object.freeze({
  timeoutMs: 30_000,
  timeouts: new Map<string, number>(),
  maxResponseBytes: 16 * 1024 * 1024,
  retry: Object.freeze({
    maxRetries: 2,
    baseDelayMs: 50,
    maxDelayMs: 1000,
    budgetRatio: 0.1,
    budgetReserve: 10,
  }),
  breaker: Object.freeze({
    enabled: true,
    failureRatio: 0.5,
    minRequests: 20,
    windowMs: 10_000,
    openMs: 5_000,
  }),
});
