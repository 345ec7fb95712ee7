/**
 * What a failed database call means to a client: the database is gone (the server was killed or
 * restarted, the connection was reset, no connection could be opened) or the work ran past a timeout.
 * kit/runtime/db.ts turns `pg`'s errors into these two classes; the subgraph server answers them with a stable
 * code (kit/runtime/server.ts) instead of INTERNAL_SERVER_ERROR. Neither means the request was wrong: the
 * transaction was rolled back, nothing was written, and the same request may succeed later.
 */

/** No database connection: the request failed, the process keeps serving, retry later. */
export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`database unavailable: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * Every pooled connection was busy: the request found the queue of waiters full
 * (`maxWaiting`), or waited past `acquireTimeoutMs` for a connection. Nothing was sent to the database.
 */
export class DatabaseBusyError extends Error {
  constructor(
    readonly reason: 'queue full' | 'waited too long',
    detail: string,
  ) {
    super(`database pool exhausted (${reason}: ${detail}); nothing was written`);
    this.name = 'DatabaseBusyError';
  }
}

/** A statement ran past the statement timeout, or a transaction past the transaction timeout. */
export class DatabaseTimeoutError extends Error {
  constructor(
    readonly limit: 'statement' | 'transaction',
    readonly timeoutMs: number | undefined,
  ) {
    super(
      `the database ${limit} timeout${timeoutMs ? ` (${timeoutMs} ms)` : ''} cancelled this request; nothing was written`,
    );
    this.name = 'DatabaseTimeoutError';
  }
}

/** Node socket errors that mean the connection is gone. */
const SOCKET_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

/** Refusals at connect time: too many connections (53300), the database missing (3D000) or starting. */
const CONNECT_REFUSALS = new Set(['53300', '3D000', '57P03']);

/**
 * True when `err` says the connection (not the statement) failed: a socket error, the server shutting
 * down or crashing (SQLSTATE 57P01–57P03, class 08), a refusal to connect, `pg`'s own "Connection
 * terminated" errors, or no answer within the client's read timeout (a server or network gone silent).
 */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (SOCKET_CODES.has(code) || code.startsWith('08') || /^57P0[1-3]$/.test(code)) return true;
  if (CONNECT_REFUSALS.has(code)) return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|connection error and is not queryable|Client was closed and is not queryable|timeout exceeded when trying to connect|Query read timeout/i.test(
    message,
  );
}

/** SQLSTATE 57014 (query_canceled: statement_timeout or a cancel) or 25P03 (idle in transaction timeout). */
const isCancel = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '57014' || code === '25P03';
};

/**
 * The error a caller of kit/runtime/db.ts sees: a DatabaseTimeoutError for a cancelled statement (`limit` says
 * which timeout: the transaction's when the kit cancelled it), a DatabaseUnavailableError for a lost
 * connection, anything else unchanged (a constraint violation stays a `pg` error with its SQLSTATE).
 */
export function translateDbError(
  err: unknown,
  timeouts: { statementMs?: number; transactionMs?: number; transactionExpired?: boolean } = {},
): unknown {
  if (
    err instanceof DatabaseTimeoutError ||
    err instanceof DatabaseUnavailableError ||
    err instanceof DatabaseBusyError
  )
    return err;
  if (timeouts.transactionExpired && (isCancel(err) || isConnectionError(err)))
    return new DatabaseTimeoutError('transaction', timeouts.transactionMs);
  if ((err as { code?: unknown } | null)?.code === '25P03')
    return new DatabaseTimeoutError('transaction', timeouts.transactionMs);
  if (isCancel(err)) return new DatabaseTimeoutError('statement', timeouts.statementMs);
  if (isConnectionError(err)) return new DatabaseUnavailableError(err);
  return err;
}
