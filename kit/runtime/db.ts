/**
 * One small database interface over a PostgreSQL server (`pg` pool): the embedded server that
 * `npm start` and the tests run, or a production server by URL — the same engine everywhere. Column
 * types are parsed once for every caller: int8/numeric → number, date → 'YYYY-MM-DD' string,
 * timestamps → ISO-8601 string.
 *
 * `roundTrips` counts statements sent to the database, so tests can prove batching (no N+1).
 *
 * A lost connection never crashes the process: every `error` a pooled connection can emit is handled,
 * the request it served fails with a DatabaseUnavailableError (kit/db-errors.ts), and the pool opens new
 * connections once the server is back. A statement past `statementTimeoutMs` or a transaction past
 * `transactionTimeoutMs` is cancelled and fails with a DatabaseTimeoutError.
 *
 * A busy pool queues with a bound: when every connection is checked out, at most `maxWaiting` requests
 * wait, each at most `acquireTimeoutMs`; the one past either bound fails at once with a
 * DatabaseBusyError, before anything reaches the database (kit/db-pool.ts).
 *
 * Every statement of the pool goes through one wrapper (`run` below), which counts it and reports its
 * duration to the process's observers (kit/db-observers.ts: metrics, tracing) under the pool's name;
 * the read replica's pool reports to the same observers as `replica`.
 *
 * Beside it: a transaction's life on its connection (db-transaction.ts), connections outside the pool
 * (db-connection.ts: adminQuery, ping), the bounded wait for a connection (db-pool.ts), errors
 * (db-errors.ts) and observers (db-observers.ts).
 */
import { Pool, types as pgTypes } from 'pg';
import { pingServer, redactUrl } from './db-connection';
import { boundedPool } from './db-pool';
import { DatabaseTimeoutError, translateDbError } from './db-errors';
import { statementObservers } from './db-observers';
import type { StatementObservers, StatementReporter } from './db-observers';
import { inTransaction } from './db-transaction';

export { adminQuery, redactUrl } from './db-connection';

export { statementObservers } from './db-observers';
export type { PoolStatus, StatementObserver, StatementObservers } from './db-observers';

export {
  DatabaseBusyError,
  DatabaseTimeoutError,
  DatabaseUnavailableError,
  isConnectionError,
} from './db-errors';

export type Row = Record<string, unknown>;

export interface Queryable {
  /** One statement with `$1…` parameters. */
  query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Several statements, no parameters (migrations, seed bulk loads). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  /** Runs `fn` in one transaction: commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * Resolves when the server answers `SELECT 1` within `timeoutMs`, on a connection of its own (not the
   * pool's: a busy pool is not a database gone); rejects with DatabaseUnavailableError otherwise.
   */
  ping?(timeoutMs: number): Promise<void>;
  /** Statements sent so far (queries + execs, inside transactions too). */
  readonly roundTrips: number;
  /**
   * Where this pool's statements and connections are reported (metrics, tracing subscribe), shared
   * with the other pools opened with it (`DatabaseOptions.observers`: the read replica's).
   */
  readonly observers?: StatementObservers;
}

export interface DatabaseOptions {
  /** postgres://… */
  url: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Session time zone: `::date` casts and `now()` dates follow it. Default Asia/Ho_Chi_Minh. */
  timeZone?: string;
  /**
   * The server cancels a statement that runs longer (`statement_timeout`); 0 = never. Default 0: the
   * serving process sets its own (kit/config.ts), migrations and the seed run without.
   */
  statementTimeoutMs?: number;
  /**
   * A transaction still open after this long is cancelled by the kit (its statement in flight is
   * cancelled, the next one refused, everything rolled back), and the server ends a session left idle
   * in a transaction as long (`idle_in_transaction_session_timeout`); 0 = never. Default 0.
   */
  transactionTimeoutMs?: number;
  /**
   * Requests that may wait for a connection while every pooled one is checked out; the next is refused
   * at once (DatabaseBusyError). 0 = none wait. Default 100.
   */
  maxWaiting?: number;
  /** How long a request waits for a busy pool's connection before it is refused, ms. Default 5000. */
  acquireTimeoutMs?: number;
  /**
   * How long the client waits for a statement's answer before it gives the connection up
   * (DatabaseUnavailableError): a server or network gone silent. Default `statementTimeoutMs` + 5 s;
   * 0 (the default without a statement timeout) = no bound.
   */
  readTimeoutMs?: number;
  /**
   * Report to these observers (another pool's `observers`, e.g. the primary's for the replica's pool)
   * instead of a hub of this pool's own.
   */
  observers?: StatementObservers;
  /** The pool's name in what it reports (metrics' `pool` label, spans' `govgraph.db.pool`). Default `primary`. */
  poolName?: string;
}

export const DEFAULT_POOL_MAX_WAITING = 100;
export const DEFAULT_POOL_ACQUIRE_TIMEOUT_MS = 5000;
const READ_TIMEOUT_MARGIN_MS = 5000;
/** Opening a new connection (TCP, TLS, authentication) may take this long. */
const CONNECT_TIMEOUT_MS = 10_000;

const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const OID = { INT8: 20, NUMERIC: 1700, DATE: 1082, TIMESTAMP: 1114, TIMESTAMPTZ: 1184 } as const;
const toNumber = (v: string): number => Number(v);
const toIso = (v: string): string =>
  new Date(v.includes('T') || /[+-]\d\d(:\d\d)?$/.test(v) ? v : `${v}Z`).toISOString();
const identity = (v: string): string => v;
const PARSERS: Record<number, (v: string) => unknown> = {
  [OID.INT8]: toNumber,
  [OID.NUMERIC]: toNumber,
  [OID.DATE]: identity,
  [OID.TIMESTAMP]: toIso,
  [OID.TIMESTAMPTZ]: toIso,
};

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  const timeZone = opts.timeZone ?? DEFAULT_TIME_ZONE;
  if (!/^[A-Za-z_]+(\/[A-Za-z_+-]+)*$/.test(timeZone)) throw new Error(`invalid time zone "${timeZone}"`);
  const parse = (oid: number, format?: string): ((v: string) => unknown) =>
    PARSERS[oid] ?? (pgTypes.getTypeParser(oid, format as 'text') as (v: string) => unknown);
  const statementMs = milliseconds('statementTimeoutMs', opts.statementTimeoutMs);
  const transactionMs = milliseconds('transactionTimeoutMs', opts.transactionTimeoutMs);
  const maxWaiting = milliseconds('maxWaiting', opts.maxWaiting ?? DEFAULT_POOL_MAX_WAITING, 'requests');
  const acquireMs = milliseconds(
    'acquireTimeoutMs',
    opts.acquireTimeoutMs ?? DEFAULT_POOL_ACQUIRE_TIMEOUT_MS,
  );
  const readMs = milliseconds(
    'readTimeoutMs',
    opts.readTimeoutMs ?? (statementMs ? statementMs + READ_TIMEOUT_MARGIN_MS : 0),
  );
  const poolSize = opts.poolSize ?? 10;
  const pool = new Pool({
    connectionString: opts.url,
    max: poolSize,
    types: { getTypeParser: parse as never },
    // Every pooled connection. No JIT: its compile time (≈100 ms a query) is paid whenever the planner's
    // estimate passes jit_above_cost, which a scorecard over a million rows does while it runs in ms.
    // The timeouts are set even when 0, so a role's or database's own default never applies unseen.
    options:
      `-c TimeZone=${timeZone} -c jit=off -c statement_timeout=${statementMs}` +
      ` -c idle_in_transaction_session_timeout=${transactionMs}`,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS, // a server that accepts but never answers fails the request
    // A server or network gone silent under a statement: the client stops waiting (the server's own
    // statement_timeout answers first when it can).
    query_timeout: readMs || undefined,
  });
  pool.on('error', () => undefined); // an idle connection that dies is dropped; the next one is new
  const timeouts = { statementMs, transactionMs };
  let trips = 0;
  const observers = (opts.observers as StatementReporter | undefined) ?? statementObservers();
  const poolName = opts.poolName ?? 'primary';
  const { acquire, pooled } = boundedPool(pool, { poolSize, maxWaiting, acquireMs, timeouts });
  type Client = Pick<Pool, 'query'>;
  const wrap = (c: Client, expired?: () => boolean): Queryable => {
    const run = async (sql: string, params?: unknown[]) => {
      if (expired?.()) throw new DatabaseTimeoutError('transaction', transactionMs);
      trips++;
      const observed = observers.observed;
      const started = observed ? performance.now() : 0;
      let failed = false;
      try {
        return await c.query(sql, params);
      } catch (err) {
        failed = true;
        throw translateDbError(err, { ...timeouts, transactionExpired: expired?.() });
      } finally {
        if (observed) observers.report((performance.now() - started) / 1000, failed, poolName);
      }
    };
    return {
      async query<T>(sql: string, params: readonly unknown[] = []) {
        return (await run(sql, params as unknown[])).rows as T[];
      },
      async exec(sql: string) {
        await run(sql);
      },
    };
  };
  try {
    await pool.query('select 1'); // fail fast on a bad URL
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new Error(`cannot connect to ${redactUrl(opts.url)}: ${(err as Error).message}`);
  }
  observers.addPool(poolName, () => ({
    inUse: pool.totalCount - pool.idleCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
  }));
  return {
    ...wrap(pooled),
    transaction: async (fn) =>
      inTransaction(await acquire(), wrap, fn, { url: opts.url, statementMs, transactionMs }),
    close: () => pool.end(),
    ping: (timeoutMs) => pingServer(opts.url, timeoutMs),
    get roundTrips() {
      return trips;
    },
    observers,
  };
}

function milliseconds(name: string, value: number | undefined, unit = 'ms'): number {
  const ms = value ?? 0;
  if (!Number.isSafeInteger(ms) || ms < 0) throw new Error(`${name} must be a whole number of ${unit} ≥ 0`);
  return ms;
}
