/**
 * What a client may see of an error. Codes come from the shared list in `schema/error-codes.ts`
 * (the gateway and every subgraph use the same one); codes produced by Apollo Server itself are on
 * it too and pass through unchanged.
 */
import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import { inputErrorOf } from '../common/inputPath';
import { CLIENT_EXTENSIONS, ErrorCode } from '../schema/error-codes';

/** Body of every non-GraphQL error response (404, 405, 413, malformed JSON...). */
export interface HttpErrorBody {
  errors: [{ message: string; extensions: { code: ErrorCode } }];
}

export function httpErrorBody(code: ErrorCode, message: string): HttpErrorBody {
  return { errors: [{ message, extensions: { code } }] };
}

/** What a client reads instead of an unexpected error's message. */
export const INTERNAL_ERROR_MESSAGE = 'Internal server error';

const CLIENT_KEYS = new Set<string>(CLIENT_EXTENSIONS);

/**
 * The one place private extensions are removed: every GraphQL error the gateway sends passes here
 * (Apollo Server's `formatError`), whether raised by the gateway, Apollo or a subgraph. Only the
 * keys on `CLIENT_EXTENSIONS` survive; an error without a code gets INTERNAL_SERVER_ERROR. A value
 * the gateway itself refuses (a variable that does not coerce, a literal of the wrong type) is named by
 * the argument's path (`extensions.field`, message `<path>: <reason>`), like a subgraph's refusals.
 */
export function toClientError(formatted: GraphQLFormattedError, raised?: unknown): GraphQLFormattedError {
  const error = nameInputError(formatted, raised);
  const extensions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error.extensions ?? {})) {
    if (CLIENT_KEYS.has(key)) extensions[key] = value;
  }
  if (typeof extensions.code !== 'string' || extensions.code === '') {
    extensions.code = ErrorCode.INTERNAL_SERVER_ERROR;
  }
  return { ...error, extensions };
}

const INPUT_CODES: ReadonlySet<unknown> = new Set([
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.GRAPHQL_VALIDATION_FAILED,
]);

/** A request error about an input value, with the argument's path (common/inputPath.ts); others as they are. */
function nameInputError(error: GraphQLFormattedError, raised: unknown): GraphQLFormattedError {
  if (!INPUT_CODES.has(error.extensions?.code) || error.extensions?.field !== undefined) return error;
  const input = inputErrorOf(raised);
  if (!input) return error;
  return {
    ...error,
    message: `${input.field}: ${input.reason}`,
    extensions: {
      ...error.extensions,
      code: input.variable ? ErrorCode.BAD_USER_INPUT : error.extensions?.code,
      field: input.field,
    },
  };
}

/** A subgraph failed at the transport level; nothing about the failure itself reaches the client. */
export class DownstreamServiceError extends GraphQLError {
  constructor(serviceName: string) {
    super(`Subgraph "${serviceName}" is unavailable`, {
      extensions: { code: ErrorCode.DOWNSTREAM_SERVICE_ERROR, serviceName },
    });
    this.name = 'DownstreamServiceError';
  }
}

/** Settings that cannot be used; the message names the setting. */
export { ConfigError } from '../common/env';

/** A subscription where none can run: over HTTP, or on the reference engine (docs/subscriptions.md). */
export function subscriptionsNotSupported(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.SUBSCRIPTIONS_NOT_SUPPORTED, http: { status: 400 } },
  });
}
