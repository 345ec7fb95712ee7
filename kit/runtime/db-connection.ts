/**
 * Connections of their own, outside any pool (db.ts re-exports these): one statement of server
 * administration, the liveness check a busy pool must not answer for, and a database URL fit for a
 * message.
 */
import { Client } from 'pg';
import { DatabaseUnavailableError } from './db-errors';

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the database URL';
  }
}

/**
 * One statement on a connection of its own, closed after: for server administration that does not
 * belong in a pool (CREATE/DROP DATABASE on the `postgres` database).
 */
export async function adminQuery<T = Record<string, unknown>>(
  url: string,
  sql: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined); // a lost connection fails the statement below instead
  await client.connect();
  try {
    return (await client.query(sql, params as unknown[])).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * Resolves when the server answers `SELECT 1` within `timeoutMs` on a connection of its own; rejects
 * with DatabaseUnavailableError otherwise.
 */
export async function pingServer(url: string, timeoutMs: number): Promise<void> {
  const client = new Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  client.on('error', () => undefined); // the failure is the rejection below
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new DatabaseUnavailableError(err);
  } finally {
    void client.end().catch(() => undefined);
  }
}
