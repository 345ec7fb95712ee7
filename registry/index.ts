/**
 * The schema registry (issue 19; docs/registry.md): versioned subgraph SDLs per environment in
 * PostgreSQL, checks, publishes and rollbacks, and the signed supergraph gateways poll.
 *
 * - storage: migrations/ (with the kit's audit log mounted beside it), store.ts;
 * - the check: check.ts (composition + @graphql-inspector/core); usage.ts (recorded usage and trusted
 *   documents, which documents.ts and documentRoutes.ts register);
 * - the service: server.ts (HTTP), auth.ts (tokens), config.ts (settings), main.ts (the process);
 * - the CI tool: cli.ts (`npm run schema -- …`), which imports nothing of this repository.
 */
import path from 'node:path';
import { importSupergraphPrivateKey } from '../common/supergraphSignature';
import { auditLogModule } from '../kit/runtime/auditlog';
import { openDatabase } from '../kit/runtime/db';
import type { Database } from '../kit/runtime/db';
import type { Logger } from '../kit/runtime/logger';
import { migrate } from '../kit/runtime/migrate';
import type { DatabaseModule } from '../kit/runtime/migrate';
import { registryTokenVerifier } from './auth';
import type { RegistryConfig } from './config';
import { createRegistryServer } from './server';

export const registryModule: DatabaseModule = {
  namespace: 'registry',
  migrationsDir: path.join(__dirname, 'migrations'),
};

export interface RunningRegistry {
  url: string;
  db: Database;
  close(): Promise<void>;
}

/** Migrates the registry's database and starts serving on `config.port` (0: any free port). */
export async function startRegistry(config: RegistryConfig, logger: Logger): Promise<RunningRegistry> {
  const db = await openDatabase({ url: config.databaseUrl, poolSize: 5, statementTimeoutMs: 30_000 });
  try {
    await migrate(db, [auditLogModule, registryModule]);
  } catch (error) {
    await db.close();
    throw error;
  }
  const app = createRegistryServer({
    db,
    signingKey: importSupergraphPrivateKey(config.signingKey),
    verifyToken: registryTokenVerifier(config),
    logger,
    policy: { usageChecks: config.usageChecks, windowDays: config.usageWindowDays },
    usageRetentionDays: config.usageRetentionDays,
  });
  const address = await app.listen({ port: config.port, host: config.host });
  return {
    url: address.replace('[::1]', 'localhost'),
    db,
    async close() {
      await app.close();
      await db.close();
    },
  };
}

export { loadRegistryConfig } from './config';
export type { RegistryConfig } from './config';
