/**
 * The serving pool's bounds on waiting (kit/db.ts): when every connection is checked out, at most
 * `maxWaiting` requests wait, each at most `acquireMs`; the next one, or one that waited that long,
 * fails at once with a DatabaseBusyError, before anything reaches the database. And the one way a
 * statement outside a transaction uses a connection: with an `error` listener while it is checked out.
 */
import type { Pool, PoolClient } from 'pg';
import { DatabaseBusyError, DatabaseUnavailableError, translateDbError } from './db-errors';

export interface PoolBounds {
  poolSize: number;
  maxWaiting: number;
  acquireMs: number;
  timeouts: { statementMs: number; transactionMs: number };
}

export function boundedPool(
  pool: Pool,
  { poolSize, maxWaiting, acquireMs, timeouts }: PoolBounds,
): { acquire: () => Promise<PoolClient>; pooled: Pick<Pool, 'query'> } {
  let waiting = 0; // requests of ours waiting for a busy pool (pg's own queue also holds given-up ones)

  /** A connection from the pool, within the bounds on waiting (maxWaiting, acquireTimeoutMs). */
  const acquire = async (): Promise<PoolClient> => {
    const busy = pool.idleCount === 0 && pool.totalCount >= poolSize;
    if (!busy) return pool.connect().catch((err: unknown) => Promise.reject(translateDbError(err, timeouts)));
    if (waiting >= maxWaiting)
      throw new DatabaseBusyError('queue full', `${maxWaiting} requests already wait`);
    const tooLong = (): DatabaseBusyError =>
      new DatabaseBusyError('waited too long', `no connection free within ${acquireMs} ms`);
    waiting++;
    const pending = pool.connect();
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        pending,
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(tooLong()), acquireMs))),
      ]);
    } catch (err) {
      pending.then(
        (c) => c.release(),
        () => undefined,
      ); // a connection that comes too late goes back
      if (/timeout exceeded when trying to connect/.test((err as Error).message)) throw tooLong();
      throw translateDbError(err, timeouts);
    } finally {
      waiting--;
      clearTimeout(timer);
    }
  };

  /**
   * A checked-out connection for `fn`, with an `error` listener while it is out (without one, the
   * server killed or the socket reset would crash the process). A broken one is destroyed, not reused.
   */
  const pooled: Pick<Pool, 'query'> = {
    query: (async (sql: string, params?: unknown[]) => {
      const client = await acquire();
      let broken: unknown = null;
      const onError = (err: unknown): void => void (broken ??= err);
      client.on('error', onError);
      try {
        return await client.query(sql, params);
      } catch (err) {
        if (translateDbError(err, timeouts) instanceof DatabaseUnavailableError) broken ??= err;
        throw err;
      } finally {
        client.removeListener('error', onError);
        client.release(broken ? (broken as Error) : undefined);
      }
    }) as Pool['query'],
  };
  return { acquire, pooled };
}
