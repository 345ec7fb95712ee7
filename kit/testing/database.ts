/**
 * Throw-away test databases on a real PostgreSQL server: the embedded PostgreSQL that the jest global
 * set-up starts for the run (`TEST_EMBEDDED_DATABASE_URL`), or a PostgreSQL server given by URL
 * (`TEST_DATABASE_URL`, default the local server with trust auth) for the services tier. Each database
 * is created fresh and dropped on close.
 *
 * Roles as in production (docs/database.md): a test database is created, migrated and seeded as the
 * superuser, and a test subgraph serves as the application role (kit/runtime/roles.ts), whose URL is
 * `TEST_EMBEDDED_APP_DATABASE_URL` (set by the global set-up), or `TEST_DATABASE_APP_URL` (default:
 * `TEST_DATABASE_URL` as role govgraph_app, no password, created when missing).
 */
import { randomBytes } from 'node:crypto';
import { adminQuery, openDatabase } from '../runtime/db';
import type { Database } from '../runtime/db';
import { APP_ROLE, ensureRoles } from '../runtime/roles';

export interface TestDatabase extends Database {
  /** The database as the superuser (this handle's own connection). */
  readonly url: string;
  /** The database as the application role, for a subgraph to serve as. */
  readonly appUrl: string;
  readonly name: string;
}

/** Which server a test database lives on. */
export type TestServer = 'embedded' | 'server';

export function testServerUrl(server: TestServer = 'embedded'): string {
  if (server === 'server')
    return process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const url = process.env.TEST_EMBEDDED_DATABASE_URL;
  if (!url)
    throw new Error('no embedded test server: run the tests through jest (its global set-up starts one)');
  return url;
}

/** The application role's URL on `server` (its `postgres` database). */
function testAppUrl(server: TestServer): string {
  if (server === 'embedded') {
    const url = process.env.TEST_EMBEDDED_APP_DATABASE_URL;
    if (!url)
      throw new Error('no embedded test server: run the tests through jest (its global set-up starts one)');
    return url;
  }
  if (process.env.TEST_DATABASE_APP_URL) return process.env.TEST_DATABASE_APP_URL;
  const u = new URL(testServerUrl('server'));
  u.username = APP_ROLE;
  u.password = '';
  return u.toString();
}

let serverRoles: Promise<void> | undefined;

const withDatabase = (url: string, name: string): string => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

/** A fresh, empty database; `close()` drops it. */
export async function createTestDatabase(server: TestServer = 'embedded'): Promise<TestDatabase> {
  const serverUrl = testServerUrl(server);
  // The embedded server has its roles from start-up; a server by URL gets them once per test file.
  if (server === 'server') await (serverRoles ??= ensureRoles(serverUrl));
  const name = `govgraph_test_${randomBytes(5).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = withDatabase(serverUrl, name);
  const db = await openDatabase({ url, poolSize: 4 });
  return {
    url,
    appUrl: withDatabase(testAppUrl(server), name),
    name,
    query: db.query,
    exec: db.exec,
    transaction: db.transaction,
    get roundTrips() {
      return db.roundTrips;
    },
    observers: db.observers,
    async close() {
      await db.close();
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
