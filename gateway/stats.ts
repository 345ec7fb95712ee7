/**
 * Counters the core and features keep for metrics, as plain integers: a field increment is the
 * whole cost on the hot path, and the metrics feature reads them when it is scraped. One per
 * gateway; handed to features as `FeatureHost.stats`. Features never import each other, so a
 * feature that counts something (in-flight deduplication) counts it here.
 */
export interface GatewayStats {
  /** Operations whose plan and shaper came from the engine's per-version cache (govgraph engine). */
  planCacheHits: number;
  /** Operations planned and compiled afresh. */
  planCacheMisses: number;
  /** Queries that ran their own execution while deduplication was on (leaders). */
  dedupeLeaders: number;
  /** Queries that took an identical in-flight query's answer instead of running (followers). */
  dedupeFollowers: number;
}

export function gatewayStats(): GatewayStats {
  return { planCacheHits: 0, planCacheMisses: 0, dedupeLeaders: 0, dedupeFollowers: 0 };
}
