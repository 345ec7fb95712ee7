/**
 * One transaction on a connection checked out of the pool (db.ts `transaction`): BEGIN, the caller's
 * work, COMMIT, or ROLLBACK when it throws. Past `transactionMs` the statement in flight is cancelled
 * over a connection of its own and the next one refused (DatabaseTimeoutError). A connection that
 * broke (its `error` event, a server gone or gone silent) or that the timeout cancelled is closed on
 * release, never reused.
 */
import type { PoolClient } from 'pg';
import type { Queryable } from './db';
import { adminQuery } from './db-connection';
import { DatabaseUnavailableError, translateDbError } from './db-errors';

export interface TransactionSettings {
  /** The server's URL, for the cancelling connection. */
  url: string;
  statementMs: number;
  transactionMs: number;
}

/**
 * Runs `fn` in one transaction on `client` (just acquired), through `wrap` (db.ts: counts and reports
 * each statement, refuses one once `expired()`), and releases the client.
 */
export async function inTransaction<T>(
  client: PoolClient,
  wrap: (client: PoolClient, expired: () => boolean) => Queryable,
  fn: (tx: Queryable) => Promise<T>,
  { url, statementMs, transactionMs }: TransactionSettings,
): Promise<T> {
  const timeouts = { statementMs, transactionMs };
  // While checked out, a connection's `error` event (the server killed, the socket reset) has no
  // listener of pg's own: without this one it would crash the process. The statement in flight
  // fails by itself; the connection is then destroyed instead of going back to the pool.
  let broken: unknown = null;
  const onError = (err: unknown): void => void (broken ??= err);
  client.on('error', onError);
  let expired = false;
  const timer =
    transactionMs > 0
      ? setTimeout(() => {
          expired = true;
          // Cancel the statement in flight, over a connection of its own (the pool may be full of
          // transactions waiting for the same thing); the next statement is refused.
          const pid = (client as unknown as { processID: number }).processID;
          adminQuery(url, 'SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
        }, transactionMs)
      : undefined;
  timer?.unref();
  const tx = wrap(client, () => expired);
  try {
    await tx.exec('BEGIN');
    const result = await fn(tx);
    await tx.exec('COMMIT');
    return result;
  } catch (err) {
    const failure = translateDbError(err, { ...timeouts, transactionExpired: expired });
    // A connection gone (or gone silent) is not asked to roll back: the server does it as it ends.
    if (failure instanceof DatabaseUnavailableError) broken ??= err;
    if (!broken) await client.query('ROLLBACK').catch((e: unknown) => void (broken ??= e));
    throw failure;
  } finally {
    clearTimeout(timer);
    client.removeListener('error', onError);
    // A broken connection (or one whose ROLLBACK failed) is closed, never reused; so is one the
    // timeout cancelled, so that a late cancel can never reach another request's statement.
    client.release(broken || expired ? ((broken as Error) ?? new Error('transaction timeout')) : undefined);
  }
}
