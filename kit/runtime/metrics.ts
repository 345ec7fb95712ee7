/**
 * A subgraph's Prometheus metrics (`GET /metrics` on `<NAME>_METRICS_PORT`, a listener of its own,
 * never the GraphQL one): GraphQL requests and their latency, each database pool's connections in
 * use, idle and waited for, and every statement's latency, by pool (`primary`, and `replica` with a
 * read replica: kit/db-observers.ts) (docs/metrics.md).
 */
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { StatementObservers } from './db';

const PREFIX = 'govgraph_subgraph_';
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 30];

/** Registers the subgraph's metrics, counting `app`'s GraphQL requests and the statements of the pools reporting to `db`. */
export function subgraphMetrics(app: FastifyInstance, db: { observers?: StatementObservers }): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: PREFIX });
  const requests = new Counter({
    name: `${PREFIX}requests_total`,
    help: 'GraphQL requests answered, by HTTP status class (2xx, 4xx, 5xx).',
    labelNames: ['status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: `${PREFIX}request_duration_seconds`,
    help: 'GraphQL requests from arrival to response.',
    buckets: BUCKETS,
    registers: [registry],
  });
  const byClass = ['1xx', '2xx', '3xx', '4xx', '5xx'].map((status) => requests.labels(status));
  app.addHook('onResponse', async (request, reply) => {
    if (request.routeOptions.url !== '/graphql') return;
    byClass[Math.min(4, Math.max(0, Math.floor(reply.statusCode / 100) - 1))]!.inc();
    duration.observe(reply.elapsedTime / 1000);
  });

  const statements = new Histogram({
    name: `${PREFIX}db_statement_duration_seconds`,
    help: 'Database statements (queries, transactions included), by pool (primary, replica) and outcome (ok, error).',
    labelNames: ['pool', 'outcome'],
    buckets: BUCKETS,
    registers: [registry],
  });
  const observers = db.observers;
  if (!observers) return registry;
  // Pre-bound children per pool, found without building a label object per statement.
  const byPool = new Map<
    string,
    { ok: Histogram.Internal<'pool' | 'outcome'>; error: Histogram.Internal<'pool' | 'outcome'> }
  >();
  const children = (pool: string) => {
    let bound = byPool.get(pool);
    if (!bound)
      byPool.set(
        pool,
        (bound = { ok: statements.labels(pool, 'ok'), error: statements.labels(pool, 'error') }),
      );
    return bound;
  };
  for (const pool of observers.pools().keys()) children(pool); // series exist (at 0) from the start
  observers.observe((seconds, error, pool) => {
    const bound = children(pool);
    (error ? bound.error : bound.ok).observe(seconds);
  });
  new Gauge({
    name: `${PREFIX}db_pool_connections`,
    help: "Each database pool's connections by state (in_use, idle), and requests waiting for one (waiting).",
    labelNames: ['pool', 'state'],
    registers: [registry],
    collect() {
      for (const [pool, status] of observers.pools()) {
        const now = status();
        this.set({ pool, state: 'in_use' }, now.inUse);
        this.set({ pool, state: 'idle' }, now.idle);
        this.set({ pool, state: 'waiting' }, now.waiting);
      }
    },
  });
  return registry;
}

/** The metrics listener: `GET /metrics` and nothing else. */
export function metricsListener(registry: Registry): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/metrics', async (_request, reply) =>
    reply.header('content-type', registry.contentType).send(await registry.metrics()),
  );
  return app;
}
