/**
 * The gateway's metrics, in one prom-client registry per gateway (names in docs/operations.md
 * "Metrics"). Counts the request path increments are pre-bound children found through nested maps,
 * so a request builds no label string; everything the core already counts (plan cache,
 * deduplication, supergraph, breakers) is read when Prometheus scrapes (`collect`).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FeatureHost } from '../../feature';

/** Seconds; from a cached plan's few milliseconds to the default deadline's minute. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const BREAKER_STATES = ['closed', 'open', 'half-open'] as const;

/** Operation names past the bound, and unnamed operations, fold into these labels. */
export const OTHER_OPERATION = '_other';
export const UNNAMED_OPERATION = '_unnamed';

/** What the core counts and reports, read at scrape time. */
export type Sources = Pick<FeatureHost, 'stats' | 'resilience' | 'supergraph'>;

interface RequestChildren {
  readonly count: { inc(): void };
  readonly duration: { observe(value: number): void };
}

interface FetchChildren {
  readonly duration: { observe(value: number): void };
  readonly errors: Map<string, { inc(): void }>;
}

export interface Instruments {
  readonly registry: Registry;
  /** Counts one GraphQL request and observes its duration in seconds. */
  request(
    operation: string | undefined,
    type: string,
    client: string,
    outcome: string,
    seconds: number,
  ): void;
  /** Observes one subgraph fetch (retries included) in seconds; `errorCode` when it failed. */
  fetch(subgraph: string, seconds: number, errorCode: string | undefined): void;
}

/** `map.get(key)` or, the first time, `make()` stored under it. */
function child<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

export function createInstruments(maxOperations: number, sources: Sources): Instruments {
  const registry = new Registry();
  const prefix = 'govgraph_gateway_';
  collectDefaultMetrics({ register: registry, prefix });

  const requests = new Counter({
    name: `${prefix}requests_total`,
    help: 'GraphQL requests answered, by operation name (bounded), operation type, client (caller role) and outcome (ok, partial, error).',
    labelNames: ['operation', 'type', 'client', 'outcome'],
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: `${prefix}request_duration_seconds`,
    help: 'Time from request start to response, by operation name (bounded) and operation type.',
    labelNames: ['operation', 'type'],
    buckets: BUCKETS,
    registers: [registry],
  });
  const fetchDuration = new Histogram({
    name: `${prefix}subgraph_fetch_duration_seconds`,
    help: 'Subgraph fetches as the engine sees them (retries included), by subgraph.',
    labelNames: ['subgraph'],
    buckets: BUCKETS,
    registers: [registry],
  });
  const fetchErrors = new Counter({
    name: `${prefix}subgraph_fetch_errors_total`,
    help: 'Subgraph fetches that failed (after retries), by subgraph and reason: an error code (SUBGRAPH_TIMEOUT, SUBGRAPH_CIRCUIT_OPEN…) or connect, http_<status>, too_large, other.',
    labelNames: ['subgraph', 'reason'],
    registers: [registry],
  });

  const { resilience, stats, supergraph } = sources;
  const bySubgraph = (name: string, help: string) =>
    new Counter({ name: `${prefix}${name}`, help, labelNames: ['subgraph'], registers: [registry] });
  const retries = bySubgraph('subgraph_retries_total', 'Subgraph fetch attempts retried, by subgraph.');
  const timeouts = bySubgraph('subgraph_timeouts_total', 'Subgraph fetch attempts cut at the timeout.');
  const rejected = bySubgraph(
    'subgraph_circuit_rejections_total',
    'Subgraph calls failed fast because the breaker was open.',
  );
  const tooLarge = bySubgraph('subgraph_response_too_large_total', 'Subgraph answers past the size cap.');
  const budget = bySubgraph(
    'subgraph_retry_budget_exhausted_total',
    'Retries the policy allowed but the retry budget refused.',
  );
  if (resilience) {
    resilience.on('retry', ({ subgraph }) => retries.inc({ subgraph }));
    resilience.on('timeout', ({ subgraph }) => timeouts.inc({ subgraph }));
    resilience.on('circuitRejected', ({ subgraph }) => rejected.inc({ subgraph }));
    resilience.on('responseTooLarge', ({ subgraph }) => tooLarge.inc({ subgraph }));
    resilience.on('retryBudgetExhausted', ({ subgraph }) => budget.inc({ subgraph }));
    new Gauge({
      name: `${prefix}subgraph_breaker_state`,
      help: "1 for each subgraph's current circuit-breaker state (closed, open, half-open), 0 for the others.",
      labelNames: ['subgraph', 'state'],
      registers: [registry],
      aggregator: 'max',
      collect() {
        for (const [subgraph, current] of Object.entries(resilience.breakerStates()))
          for (const state of BREAKER_STATES) this.set({ subgraph, state }, state === current ? 1 : 0);
      },
    });
  }

  /** A counter whose value is read from the core's counters at scrape time. */
  const readCounter = (name: string, help: string, read: () => number) =>
    new Counter({
      name: `${prefix}${name}`,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  if (stats) {
    readCounter(
      'plan_cache_hits_total',
      'Operations whose query plan came from the cache.',
      () => stats.planCacheHits,
    );
    readCounter('plan_cache_misses_total', 'Operations planned afresh.', () => stats.planCacheMisses);
    readCounter(
      'dedupe_leaders_total',
      'Queries that ran their own execution (deduplication on).',
      () => stats.dedupeLeaders,
    );
    readCounter(
      'dedupe_followers_total',
      "Queries answered with an identical in-flight query's result.",
      () => stats.dedupeFollowers,
    );
  }
  if (supergraph) {
    new Gauge({
      name: `${prefix}supergraph_info`,
      help: 'Always 1, labelled with the sha256 of the supergraph being served.',
      labelNames: ['hash'],
      registers: [registry],
      aggregator: 'max',
      collect() {
        this.reset();
        const { hash } = supergraph.status();
        if (hash) this.set({ hash }, 1);
      },
    });
    readCounter(
      'supergraph_reloads_total',
      'Supergraph versions that took over after start-up.',
      () => supergraph.status().reloads,
    );
    readCounter(
      'supergraph_refusals_total',
      'Supergraph versions refused (the serving one stayed).',
      () => supergraph.status().refusals,
    );
  }

  const seen = new Set<string>();
  const byOperation = new Map<string, Map<string, Map<string, Map<string, RequestChildren>>>>();
  const operationLabel = (name: string | undefined): string => {
    if (!name) return UNNAMED_OPERATION;
    if (seen.has(name)) return name;
    if (seen.size >= maxOperations) return OTHER_OPERATION;
    seen.add(name);
    return name;
  };
  const subgraphs = new Map<string, FetchChildren>();

  return {
    registry,
    request(operation, type, client, outcome, seconds) {
      const op = operationLabel(operation);
      const byType = child(
        byOperation,
        op,
        () => new Map<string, Map<string, Map<string, RequestChildren>>>(),
      );
      const byClient = child(byType, type, () => new Map<string, Map<string, RequestChildren>>());
      const byOutcome = child(byClient, client, () => new Map<string, RequestChildren>());
      const children = child(byOutcome, outcome, () => ({
        count: requests.labels(op, type, client, outcome),
        duration: requestDuration.labels(op, type),
      }));
      children.count.inc();
      children.duration.observe(seconds);
    },
    fetch(subgraph, seconds, errorCode) {
      const children = child(subgraphs, subgraph, () => ({
        duration: fetchDuration.labels(subgraph),
        errors: new Map<string, { inc(): void }>(),
      }));
      children.duration.observe(seconds);
      if (errorCode !== undefined)
        child(children.errors, errorCode, () => fetchErrors.labels(subgraph, errorCode)).inc();
    },
  };
}
