/**
 * Subgraph process configuration: read from the environment once (common/env.ts, the env reader every
 * process shares), validated, frozen, passed down. Every setting carries the subgraph's prefix
 * (`DOCUMENTS_PORT`, `DOCUMENTS_DATABASE_URL`, …), so one environment can hold the settings of every
 * process, and a misspelt name fails at start-up instead of being ignored.
 */
import { ConfigError, env, envPrefix, readEnv, rejectUnknown } from '../../common/env';
import type { Env, EnvShape, LogLevel } from '../../common/env';
import { DEFAULT_POOL_ACQUIRE_TIMEOUT_MS, DEFAULT_POOL_MAX_WAITING } from './db';
import { DEFAULT_REPLICA } from './replica';

export { ConfigError };

export interface SubgraphConfig {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /**
   * The subgraph's own database, as the role it serves requests as (`npm start` gives one on its
   * embedded PostgreSQL server, as the application role; docs/database.md).
   */
  readonly databaseUrl: string;
  /**
   * The same database as its owner, for migrations and the seed (then the grants of the serving role,
   * kit/runtime/roles.ts); unset = migrations run as `databaseUrl`'s role, and no grants are made.
   */
  readonly migrationDatabaseUrl: string | undefined;
  /**
   * A streaming replica of the same database, for the reads of queries (kit/runtime/replica.ts,
   * docs/database.md#read-replicas); unset = every statement on `databaseUrl`.
   */
  readonly replicaDatabaseUrl: string | undefined;
  /** The largest replay lag at which the replica still serves reads, ms. */
  readonly replicaMaxLagMs: number;
  readonly poolSize: number;
  /** Requests that may wait for a connection while the pool is fully checked out (kit/db.ts). */
  readonly poolMaxWaiting: number;
  /** How long one of them waits before SERVICE_UNAVAILABLE, ms. */
  readonly poolAcquireTimeoutMs: number;
  /** SIGTERM/SIGINT: in-flight requests get this long to finish before the process exits anyway, ms. */
  readonly shutdownTimeoutMs: number;
  /** A statement of a request running longer is cancelled (TIMEOUT); 0 = no limit. */
  readonly statementTimeoutMs: number;
  /** A request's transaction (a mutation) open longer is cancelled and rolled back (TIMEOUT); 0 = no limit. */
  readonly transactionTimeoutMs: number;
  /** Seed on start when the database is empty. */
  readonly seed: boolean;
  readonly seedScale: number;
  readonly logLevel: LogLevel;
  readonly maxPageSize: number;
  /** The gateway's Ed25519 public key (common/identity.ts); unset = every GraphQL request is refused. */
  readonly gatewayPublicKey: string | undefined;
  /** `<NAME>_METRICS_PORT`: a listener of its own (on `host`) serving `GET /metrics`; unset = none. */
  readonly metricsPort: number | undefined;
  /** `<NAME>_TRACING_ENDPOINT`: OTLP/HTTP traces URL the subgraph's spans go to; unset = no tracing. */
  readonly tracingEndpoint: string | undefined;
  /** `<NAME>_TRACING_EXPORT_DELAY_MS`: how long a finished span waits to go in a batch (default 1000). */
  readonly tracingExportDelayMs: number;
  /** `<NAME>_TRACING_FLUSH_TIMEOUT_MS`: at shutdown, how long the spans not sent yet may take (default 3000). */
  readonly tracingFlushTimeoutMs: number;
  /**
   * Domain events (kit/events, docs/events.md): where the relay publishes the outbox's events; null
   * when `<NAME>_EVENTS_REDIS_URL` is not set (events are still written to the outbox, and kept).
   */
  readonly events: EventsConfig | null;
}

export interface EventsConfig {
  readonly redisUrl: string;
  readonly stream: string;
  readonly streamMaxLen: number;
  readonly batch: number;
  readonly pollMs: number;
  readonly retryMaxMs: number;
  readonly retentionDays: number;
}

/** Defaults of `<NAME>_STATEMENT_TIMEOUT_MS` and `<NAME>_TRANSACTION_TIMEOUT_MS` (docs/database.md). */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 15_000;
export const DEFAULT_TRANSACTION_TIMEOUT_MS = 30_000;
/** Default of `<NAME>_SHUTDOWN_TIMEOUT_MS` (docs/operations.md#subgraph-faults). */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

/** The settings of subgraph `name`, e.g. `DOCUMENTS_HOST`. With `NODE_ENV=production` nothing is
 * seeded unless `<NAME>_SEED=true` is set explicitly. */
function shape(name: string, defaults: { port: number; production: boolean }) {
  const p = envPrefix(name);
  return {
    [`${p}HOST`]: env.text().default('127.0.0.1'),
    [`${p}PORT`]: env.port().default(defaults.port),
    [`${p}DATABASE_URL`]: env.postgresUrl(),
    [`${p}MIGRATION_DATABASE_URL`]: env.postgresUrl().optional(),
    [`${p}DATABASE_REPLICA_URL`]: env.postgresUrl().optional(),
    [`${p}REPLICA_MAX_LAG_MS`]: env.integer(0, 3_600_000).default(DEFAULT_REPLICA.maxLagMs),
    [`${p}DB_POOL_SIZE`]: env.integer(1, 500).default(10),
    [`${p}DB_POOL_MAX_WAITING`]: env.integer(0, 100_000).default(DEFAULT_POOL_MAX_WAITING),
    [`${p}DB_POOL_ACQUIRE_TIMEOUT_MS`]: env.integer(1, 3_600_000).default(DEFAULT_POOL_ACQUIRE_TIMEOUT_MS),
    [`${p}SHUTDOWN_TIMEOUT_MS`]: env.integer(0, 3_600_000).default(DEFAULT_SHUTDOWN_TIMEOUT_MS),
    [`${p}STATEMENT_TIMEOUT_MS`]: env.integer(0, 3_600_000).default(DEFAULT_STATEMENT_TIMEOUT_MS),
    [`${p}TRANSACTION_TIMEOUT_MS`]: env.integer(0, 3_600_000).default(DEFAULT_TRANSACTION_TIMEOUT_MS),
    [`${p}SEED`]: env.boolean().default(!defaults.production),
    [`${p}SEED_SCALE`]: env.decimal(0, 1000).default(1),
    [`${p}LOG_LEVEL`]: env.logLevel().default('info'),
    [`${p}MAX_PAGE_SIZE`]: env.integer(1, 1000).default(100),
    [`${p}GATEWAY_PUBLIC_KEY`]: env.text().optional(),
    [`${p}METRICS_PORT`]: env.port().optional(),
    [`${p}TRACING_ENDPOINT`]: env.httpUrl().optional(),
    [`${p}TRACING_EXPORT_DELAY_MS`]: env.integer(1, 3_600_000).default(1000),
    [`${p}TRACING_FLUSH_TIMEOUT_MS`]: env.integer(0, 60_000).default(3000),
    [`${p}EVENTS_REDIS_URL`]: env.redisUrl().optional(),
    [`${p}EVENTS_STREAM`]: env.text().default('govgraph:events'),
    [`${p}EVENTS_STREAM_MAXLEN`]: env.integer(0, 1_000_000_000).default(1_000_000),
    [`${p}EVENTS_BATCH`]: env.integer(1, 10_000).default(100),
    [`${p}EVENTS_POLL_MS`]: env.integer(10, 600_000).default(200),
    [`${p}EVENTS_RETRY_MAX_MS`]: env.integer(1, 3_600_000).default(30_000),
    [`${p}EVENTS_RETENTION_DAYS`]: env.integer(0, 36_500).default(30),
  };
}

/** The names a subgraph reads, for documentation and tests: `DOCUMENTS_HOST`, … */
export const subgraphSettingNames = (name: string): string[] =>
  Object.keys(shape(name, { port: 0, production: false }));

/**
 * `defaults.settings`: a subgraph's own settings (SubgraphSpec.settings, names without the prefix,
 * e.g. `{ SIGNING_KEY: env.text().optional() }` → `WEBHOOKS_SIGNING_KEY`): known to the check of
 * misspelt names and validated with the others; the subgraph reads their values itself.
 */
export function loadSubgraphConfig(
  name: string,
  source: Env,
  defaults: { port: number; settings?: EnvShape },
): SubgraphConfig {
  const p = envPrefix(name);
  const own = Object.fromEntries(Object.entries(defaults.settings ?? {}).map(([k, v]) => [`${p}${k}`, v]));
  const settings = {
    ...shape(name, { port: defaults.port, production: source.NODE_ENV === 'production' }),
    ...own,
  };
  rejectUnknown(source, p, Object.keys(settings));
  const s = readEnv(source, settings) as Record<string, unknown>;
  return Object.freeze({
    name,
    host: s[`${p}HOST`] as string,
    port: s[`${p}PORT`] as number,
    databaseUrl: s[`${p}DATABASE_URL`] as string,
    migrationDatabaseUrl: s[`${p}MIGRATION_DATABASE_URL`] as string | undefined,
    replicaDatabaseUrl: s[`${p}DATABASE_REPLICA_URL`] as string | undefined,
    replicaMaxLagMs: s[`${p}REPLICA_MAX_LAG_MS`] as number,
    poolSize: s[`${p}DB_POOL_SIZE`] as number,
    poolMaxWaiting: s[`${p}DB_POOL_MAX_WAITING`] as number,
    poolAcquireTimeoutMs: s[`${p}DB_POOL_ACQUIRE_TIMEOUT_MS`] as number,
    shutdownTimeoutMs: s[`${p}SHUTDOWN_TIMEOUT_MS`] as number,
    statementTimeoutMs: s[`${p}STATEMENT_TIMEOUT_MS`] as number,
    transactionTimeoutMs: s[`${p}TRANSACTION_TIMEOUT_MS`] as number,
    seed: s[`${p}SEED`] as boolean,
    seedScale: s[`${p}SEED_SCALE`] as number,
    logLevel: s[`${p}LOG_LEVEL`] as LogLevel,
    maxPageSize: s[`${p}MAX_PAGE_SIZE`] as number,
    gatewayPublicKey: s[`${p}GATEWAY_PUBLIC_KEY`] as string | undefined,
    metricsPort: s[`${p}METRICS_PORT`] as number | undefined,
    tracingEndpoint: s[`${p}TRACING_ENDPOINT`] as string | undefined,
    tracingExportDelayMs: s[`${p}TRACING_EXPORT_DELAY_MS`] as number,
    tracingFlushTimeoutMs: s[`${p}TRACING_FLUSH_TIMEOUT_MS`] as number,
    events: s[`${p}EVENTS_REDIS_URL`]
      ? Object.freeze({
          redisUrl: s[`${p}EVENTS_REDIS_URL`] as string,
          stream: s[`${p}EVENTS_STREAM`] as string,
          streamMaxLen: s[`${p}EVENTS_STREAM_MAXLEN`] as number,
          batch: s[`${p}EVENTS_BATCH`] as number,
          pollMs: s[`${p}EVENTS_POLL_MS`] as number,
          retryMaxMs: s[`${p}EVENTS_RETRY_MAX_MS`] as number,
          retentionDays: s[`${p}EVENTS_RETENTION_DAYS`] as number,
        })
      : null,
  });
}
