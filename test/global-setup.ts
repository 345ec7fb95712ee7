/**
 * Jest global set-up: one embedded PostgreSQL server for the whole run (the same engine `npm start`
 * uses), in a temporary folder, without fsync (throw-away data). Test files create and drop their own
 * databases on it (kit/testing/index.ts). Its URLs reach the test workers through the environment: the
 * superuser's (creates databases, migrates, seeds) and the application role's (the subgraphs serve as
 * it), each with its password (the server asks for one, kit/embedded-postgres/server.ts).
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../kit/embedded-postgres';
import type { EmbeddedPostgres } from '../kit/embedded-postgres';

declare global {
  var __GOVGRAPH_TEST_PG__: { server: EmbeddedPostgres; dir: string } | undefined;
}

export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'govgraph-jest-'));
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'pg'),
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
  });
  process.env.TEST_EMBEDDED_DATABASE_URL = server.url('postgres');
  process.env.TEST_EMBEDDED_APP_DATABASE_URL = server.appUrl('postgres');
  globalThis.__GOVGRAPH_TEST_PG__ = { server, dir };
}
