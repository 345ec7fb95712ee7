/**
 * The subgraph kit's error catalogue: every error a subgraph returns on purpose carries one of these
 * stable `extensions.code` values, taken from the shared client-facing list in
 * `schema/error-codes.ts`. Anything else thrown during execution is an internal fault and is masked
 * (see `formatExecutionError`).
 */
import { GraphQLError } from 'graphql';
import { SubgraphErrorCode } from '../../schema/error-codes';
import { DatabaseBusyError, DatabaseTimeoutError, DatabaseUnavailableError } from './db-errors';

export const ErrorCode = SubgraphErrorCode;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const KNOWN = new Set<string>(Object.values(ErrorCode));

export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

/** Invalid input; `field` is the input path the caller got wrong, e.g. `input.numberSymbol`. */
export const badInput = (field: string, message: string): AppError =>
  new AppError(ErrorCode.BAD_USER_INPUT, `${field}: ${message}`, { field });
export const notFound = (what: string): AppError => new AppError(ErrorCode.NOT_FOUND, `${what} not found`);
export const conflict = (message: string): AppError => new AppError(ErrorCode.CONFLICT, message);
export const forbidden = (message: string): AppError => new AppError(ErrorCode.FORBIDDEN, message);

/**
 * A value a custom scalar refuses (thrown by its `parseValue`/`parseLiteral`), with the reason alone:
 * `"2026-02-30" is not a calendar date (February 2026 has 28 days)`. Deliberately not a GraphQLError:
 * graphql-js then keeps the literal's AST node, from which the server names the argument
 * (common/inputPath.ts) and answers BAD_USER_INPUT with `extensions.field` = that path.
 */
export class InvalidValueError extends Error {
  override name = 'InvalidValueError';
}

/** True when an error (or the error it wraps) is one we raised on purpose with a catalogued code. */
export function isCatalogued(err: unknown): boolean {
  return (
    err instanceof GraphQLError && typeof err.extensions?.code === 'string' && KNOWN.has(err.extensions.code)
  );
}

/**
 * A database failure that is not the request's fault, as the client sees it: SERVICE_UNAVAILABLE for a
 * lost connection or a full pool, TIMEOUT for a cancelled statement or transaction; undefined for anything else.
 */
export function databaseFailure(err: unknown): AppError | undefined {
  if (err instanceof DatabaseUnavailableError)
    return new AppError(
      ErrorCode.SERVICE_UNAVAILABLE,
      'The database is unavailable; nothing was written. Retry in a moment.',
    );
  if (err instanceof DatabaseBusyError)
    return new AppError(
      ErrorCode.SERVICE_UNAVAILABLE,
      'The database is busy; nothing was written. Retry in a moment.',
    );
  if (err instanceof DatabaseTimeoutError) return new AppError(ErrorCode.TIMEOUT, err.message);
  return undefined;
}
