/**
 * Process runner shared by every subgraph's main.ts: read config once, open the database, migrate,
 * seed on first start, listen, report, and shut down gracefully on SIGTERM/SIGINT. Start-up failures
 * print one clear line and exit non-zero.
 */
import type { FastifyInstance } from 'fastify';
import { envPrefix } from '../common/env';
import { loadSubgraphConfig } from './config';
import type { SubgraphConfig } from './config';
import { openDatabase } from './db';
import type { Database } from './db';
import type { SubgraphModule } from './define';
import { createLogger } from './logger';
import type { Logger } from './logger';
import { migrate } from './migrate';
import { createSubgraphServer } from './server';

export type { SubgraphModule };

export interface RunningSubgraph {
  app: FastifyInstance;
  db: Database;
  url: string;
  close(): Promise<void>;
}

/** Open, migrate, optionally seed, and start a subgraph; used by main.ts and by tests. */
export async function startSubgraph<L>(
  mod: SubgraphModule<L>,
  config: SubgraphConfig,
  logger: Logger,
): Promise<RunningSubgraph> {
  const db = await openDatabase({ url: config.databaseUrl, poolSize: config.poolSize });
  try {
    const applied = await migrate(db, mod.databaseModules);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    if (config.seed) {
      const seeded = await mod.seed(db, config.seedScale);
      if (seeded) logger.info({ seeded, scale: config.seedScale }, 'seeded');
    }
    const app = createSubgraphServer({
      ...mod,
      db,
      logger,
      maxPageSize: config.maxPageSize,
      gatewayPublicKey: config.gatewayPublicKey,
    });
    if (!config.gatewayPublicKey)
      logger.warn(
        `${envPrefix(mod.name)}GATEWAY_PUBLIC_KEY is not set: every GraphQL request will be refused`,
      );
    const address = await app.listen({ host: config.host, port: config.port });
    const url = `${address.replace(/\/$/, '')}/graphql`;
    return {
      app,
      db,
      url,
      async close() {
        await app.close();
        await db.close();
      },
    };
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}

/** The whole of a subgraph's main.ts: `runSubgraphMain(documents)`. */
export function runSubgraphMain<L>(mod: SubgraphModule<L>): void {
  let config: SubgraphConfig;
  try {
    config = loadSubgraphConfig(mod.name, process.env, { port: mod.port });
  } catch (err) {
    process.stderr.write(`${mod.name}: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const logger = createLogger(mod.name, config.logLevel);
  startSubgraph(mod, config, logger).then(
    (running) => {
      logger.info({ url: running.url }, 'subgraph listening');
      process.send?.({ type: 'listening', name: mod.name, url: running.url });
      let closing = false;
      const stop = (signal: string): void => {
        if (closing) return;
        closing = true;
        logger.info({ signal }, 'shutting down');
        running.close().then(
          () => process.exit(0),
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
