/**
 * Process runner shared by every subgraph's main.ts: read config once, open the database, migrate,
 * seed on first start, listen, report, and shut down gracefully on SIGTERM/SIGINT. Start-up failures
 * print one clear line and exit non-zero.
 *
 * Shutting down (SIGTERM, SIGINT, or the parent `npm start` gone): the listener closes at once (new
 * connections are refused), a request arriving on a kept-alive connection gets 503, requests in flight
 * finish, then the pool closes and the process exits 0 — all within `<NAME>_SHUTDOWN_TIMEOUT_MS`; past
 * it the remaining connections are cut and the process exits 0 anyway, with a warning.
 *
 * Two connections to the one database (docs/database.md): migrations, the grants of the serving role
 * and the seed run as the owner (`<NAME>_MIGRATION_DATABASE_URL`) without the serving timeouts, in a
 * pool closed before the subgraph listens; requests run as the application role (`<NAME>_DATABASE_URL`)
 * with the statement and transaction timeouts.
 */
import { fork } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { envPrefix } from '../../common/env';
import { loadSubgraphConfig } from './config';
import type { SubgraphConfig } from './config';
import { openDatabase } from './db';
import type { Database } from './db';
import type { SubgraphModule } from './define';
import { createLogger } from './logger';
import type { Logger } from './logger';
import { migrate } from './migrate';
import { DEFAULT_REPLICA, readRouter } from './replica';
import type { ReadRouter } from './replica';
import { currentRole, grantApplicationRole, servingRoleProblems } from './roles';
import { metricsListener, subgraphMetrics } from './metrics';
import { createSubgraphServer } from './server';
import { subgraphTracing } from './tracing';
import { startEventRelay } from '../events/start';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

export type { SubgraphModule };

export interface RunningSubgraph {
  app: FastifyInstance;
  db: Database;
  url: string;
  /** `GET /metrics` on `<NAME>_METRICS_PORT` (kit/runtime/metrics.ts), when that is set. */
  metricsUrl?: string;
  /**
   * Stops listening, lets requests in flight finish, closes the pool; after `timeoutMs` (default: no
   * bound) cuts what is left. Resolves to whether everything finished in time.
   */
  close(timeoutMs?: number): Promise<boolean>;
}

async function seedHere<L>(mod: SubgraphModule<L>, db: Database, config: SubgraphConfig, logger: Logger) {
  const seeded = await mod.seed(db, config.seedScale);
  if (!seeded) return;
  // A bulk load leaves the visibility map empty: until a vacuum, an index-only scan (the scorecard's
  // stats) still visits the table for every row. Autovacuum would get there, later; do it now.
  await db.exec('VACUUM (ANALYZE)');
  logger.info({ seeded, scale: config.seedScale }, 'seeded');
}

/** The subgraph's database as its owner, for migrations and the seed: no timeouts. */
const openOwner = (config: SubgraphConfig): Promise<Database> =>
  openDatabase({ url: config.migrationDatabaseUrl ?? config.databaseUrl, poolSize: 2 });

/**
 * Migrations as the owner, then (when the serving role is another one) its grants: the application's
 * tables for it to use, the audit log for it to append to only (kit/roles.ts).
 */
async function migrateAndGrant<L>(mod: SubgraphModule<L>, owner: Database, serving: Database) {
  const applied = await migrate(owner, mod.databaseModules);
  const role = await currentRole(serving);
  if (role !== (await currentRole(owner))) await grantApplicationRole(owner, role);
  return applied;
}

/**
 * A serving role that could alter the audit log (a superuser, its owner) is refused in production and
 * warned about elsewhere (a developer's own server with one role).
 */
async function checkServingRole(name: string, db: Database, logger: Logger): Promise<void> {
  const problems = await servingRoleProblems(db);
  if (!problems.length) return;
  const message = `${envPrefix(name)}DATABASE_URL: ${problems.join('; ')}: serve as the application role (docs/database.md)`;
  if (process.env.NODE_ENV === 'production') throw new Error(message);
  logger.warn(message);
}

/**
 * Open, migrate, optionally seed, and start a subgraph; used by main.ts and by tests. `seedFresh`, when
 * given, seeds a database that was just created (its migrations applied now) some other way — main.ts
 * does it in a short-lived child process, so the serving process never keeps the seed's memory.
 */
export async function startSubgraph<L>(
  mod: SubgraphModule<L>,
  config: SubgraphConfig,
  logger: Logger,
  seedFresh?: () => Promise<void>,
): Promise<RunningSubgraph> {
  const db = await openDatabase({
    url: config.databaseUrl,
    poolSize: config.poolSize,
    maxWaiting: config.poolMaxWaiting,
    acquireTimeoutMs: config.poolAcquireTimeoutMs,
    statementTimeoutMs: config.statementTimeoutMs,
    transactionTimeoutMs: config.transactionTimeoutMs,
  });
  let reads: ReadRouter | undefined;
  try {
    const owner = await openOwner(config);
    try {
      const applied = await migrateAndGrant(mod, owner, db);
      if (applied.length) logger.info({ applied }, 'migrations applied');
      if (config.seed) {
        if (applied.length && seedFresh) await seedFresh();
        else await seedHere(mod, owner, config, logger); // returns at once when the data is there
      }
    } finally {
      await owner.close();
    }
    await checkServingRole(mod.name, db, logger);
    reads = await openReplica(config, logger, db);
    const tracing =
      config.tracingEndpoint === undefined
        ? undefined
        : subgraphTracing(
            mod.name,
            db,
            new BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracingEndpoint }) as SpanExporter, {
              scheduledDelayMillis: config.tracingExportDelayMs,
            }),
          );
    const app = createSubgraphServer({
      ...mod,
      db,
      reads,
      logger,
      maxPageSize: config.maxPageSize,
      gatewayPublicKey: config.gatewayPublicKey,
      ...(tracing && { tracing }),
    });
    if (!config.gatewayPublicKey)
      logger.warn(
        `${envPrefix(mod.name)}GATEWAY_PUBLIC_KEY is not set: every GraphQL request will be refused`,
      );
    const metrics = config.metricsPort === undefined ? undefined : metricsListener(subgraphMetrics(app, db));
    const address = await app.listen({ host: config.host, port: config.port });
    const url = `${address.replace(/\/$/, '')}/graphql`;
    const metricsUrl =
      metrics &&
      (await metrics.listen({ host: config.host, port: config.metricsPort }).catch(async (err: Error) => {
        await app.close();
        throw new Error(`${envPrefix(mod.name)}METRICS_PORT: cannot listen: ${err.message}`);
      }));
    // Domain events (kit/events): the outbox's relay, when the subgraph has one and Redis is configured.
    const relay = await startEventRelay(config, mod.databaseModules, logger).catch(async (err: Error) => {
      await metrics?.close();
      await app.close();
      throw err;
    });
    return {
      app,
      db,
      url,
      ...(metricsUrl && { metricsUrl: `${metricsUrl.replace(/\/$/, '')}/metrics` }),
      close: async (timeoutMs) => {
        await relay?.stop().catch(() => undefined);
        await metrics?.close();
        const drained = await drain(app, db, timeoutMs);
        await reads?.close().catch(() => undefined);
        // After the drain: the last requests' spans are finished and go out before the process exits.
        if (tracing && !(await tracing.shutdown(config.tracingFlushTimeoutMs)))
          logger.warn(
            { timeoutMs: config.tracingFlushTimeoutMs },
            'the trace collector did not take the last spans in time; they are lost',
          );
        return drained;
      },
    };
  } catch (err) {
    await reads?.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw err;
  }
}

/**
 * Graceful close within a bound: Fastify stops listening and waits for requests in flight, answering
 * 503 to new ones on open connections; the pool closes once they are done. Past `timeoutMs` every
 * connection left is destroyed and the pool is given up on (its connections go with the process).
 */
/** The replica's pool and its lag monitor, when `<NAME>_DATABASE_REPLICA_URL` is set. */
async function openReplica(
  config: SubgraphConfig,
  logger: Logger,
  primary: Database,
): Promise<ReadRouter | undefined> {
  if (!config.replicaDatabaseUrl) return undefined;
  const replica = await openDatabase({
    url: config.replicaDatabaseUrl,
    poolSize: config.poolSize,
    maxWaiting: config.poolMaxWaiting,
    acquireTimeoutMs: config.poolAcquireTimeoutMs,
    statementTimeoutMs: config.statementTimeoutMs,
    // Its statements and connections are reported with the primary's (metrics, tracing), as `replica`.
    observers: primary.observers,
    poolName: 'replica',
  });
  const maxLagMs = config.replicaMaxLagMs;
  // Sampled at least twice per bound, so a replica falling behind is noticed before reads get staler.
  const checkIntervalMs = Math.min(DEFAULT_REPLICA.checkIntervalMs, Math.max(100, maxLagMs / 2));
  return readRouter(primary, replica, { maxLagMs, checkIntervalMs }, logger);
}

async function drain(app: FastifyInstance, db: Database, timeoutMs?: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => {
    if (timeoutMs !== undefined)
      timer = setTimeout(() => {
        app.server.closeAllConnections();
        resolve(false);
      }, timeoutMs);
  });
  try {
    return await Promise.race([
      (async () => {
        await app.close();
        await db.close();
        return true;
      })(),
      expired,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** What a main.ts runs beside its subgraph: a sender, a worker (`runSubgraphMain`'s `beside`). */
export interface BesideSubgraph {
  /** Names it in the line a failure prints: `dossiers: portal sync: …`. */
  name: string;
  start(): Promise<unknown>;
}

/**
 * The whole of a subgraph's main.ts: `runSubgraphMain(documents)`. What the process runs `beside` the
 * subgraph starts once the subgraph listens (its database migrated and seeded), and only in the
 * serving process: never in the short-lived ones that seed or migrate (this main.ts with
 * `--seed-only`, forked to seed, or `--migrate-only`). Its failure to start exits 1 with one line.
 */
export function runSubgraphMain<L>(mod: SubgraphModule<L>, beside: readonly BesideSubgraph[] = []): void {
  let config: SubgraphConfig;
  try {
    config = loadSubgraphConfig(mod.name, process.env, { port: mod.port, settings: mod.settings });
  } catch (err) {
    process.stderr.write(`${mod.name}: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const logger = createLogger(mod.name, config.logLevel);
  if (process.argv.includes(SEED_ONLY)) return prepareOnly(mod, config, logger, true);
  if (process.argv.includes(MIGRATE_ONLY)) return prepareOnly(mod, config, logger, false);
  startSubgraph(mod, config, logger, seedInChild).then(
    (running) => {
      logger.info({ url: running.url }, 'subgraph listening');
      process.send?.({ type: 'listening', name: mod.name, url: running.url });
      for (const b of beside)
        b.start().catch((err: Error) => {
          process.stderr.write(`${mod.name}: ${b.name}: ${err.message}\n`);
          process.exit(1);
        });
      let closing = false;
      const stop = (signal: string): void => {
        if (closing) return;
        closing = true;
        logger.info({ signal }, 'shutting down');
        running.close(config.shutdownTimeoutMs).then(
          (drained) => {
            if (!drained)
              logger.warn(
                { timeoutMs: config.shutdownTimeoutMs },
                'requests still in flight at the shutdown timeout were cut',
              );
            else logger.info('drained');
            process.exit(0);
          },
          (err) => {
            logger.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('disconnect', () => stop('parent exited'));
    },
    (err: Error) => {
      process.stderr.write(`${mod.name}: failed to start: ${err.message}\n`);
      process.exit(1);
    },
  );
}

const SEED_ONLY = '--seed-only';
const MIGRATE_ONLY = '--migrate-only';

/**
 * `main.ts --seed-only`: migrate, grant and seed, then exit (0, or 1 with one line on stderr).
 * `main.ts --migrate-only`: migrate and grant only — the production deploy step (docs/database.md).
 */
function prepareOnly<L>(mod: SubgraphModule<L>, config: SubgraphConfig, logger: Logger, seed: boolean): void {
  (async () => {
    const serving = await openDatabase({ url: config.databaseUrl, poolSize: 1 });
    try {
      const db = await openOwner(config);
      try {
        const applied = await migrateAndGrant(mod, db, serving);
        if (!seed) logger.info({ applied }, 'migrations applied');
        if (seed) await seedHere(mod, db, config, logger);
      } finally {
        await db.close();
      }
    } finally {
      await serving.close();
    }
  })().then(
    () => process.exit(0),
    (err: Error) => {
      process.stderr.write(`${mod.name}: failed to ${seed ? 'seed' : 'migrate'}: ${err.message}\n`);
      process.exit(1);
    },
  );
}

/**
 * Seeds in a child process (this main.ts with `--seed-only`, same settings): generating a large seed
 * costs hundreds of MB of heap that a Node process keeps once grown; the serving process should not.
 */
function seedInChild(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = fork(process.argv[1]!, [SEED_ONLY], {
      execArgv: process.execArgv,
      env: process.env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`seeding failed (${signal ?? `exit code ${code}`})`)),
    );
  });
}
