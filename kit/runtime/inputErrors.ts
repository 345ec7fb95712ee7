/**
 * Request errors about a value, as a client should read them: BAD_USER_INPUT (a variable, or a value
 * one of our scalars refuses) or GRAPHQL_VALIDATION_FAILED (a literal of the wrong GraphQL type), with
 * `extensions.field` naming the argument's path and the message `<path>: <reason>` — the same shape as
 * `badInput(field, reason)` from a resolver. Without this, a scalar's refusal named the type
 * (`field=Date`), and a built-in type's refusal of a variable came out as an internal error.
 */
import type { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import { inputErrorOf } from '../../common/inputPath';
import { ErrorCode, InvalidValueError } from './errors';

function invalidValueIn(error: unknown): InvalidValueError | undefined {
  let e: unknown = error;
  for (let depth = 0; e instanceof Error && depth < 4; depth++) {
    if (e instanceof InvalidValueError) return e;
    e = (e as { originalError?: unknown }).originalError;
  }
  return undefined;
}

/** The client's form of a request error about an input value; undefined for any other error. */
export function formatInputError(err: GraphQLError): GraphQLFormattedError | undefined {
  if (err.path) return undefined; // raised while executing: a resolver's own error
  const invalid = invalidValueIn(err);
  const input = inputErrorOf(err);
  if (!invalid && !input) return undefined;
  const reason = invalid?.message ?? input!.reason;
  const code = invalid || input!.variable ? ErrorCode.BAD_USER_INPUT : ErrorCode.GRAPHQL_VALIDATION_FAILED;
  return {
    message: input ? `${input.field}: ${reason}` : reason,
    ...(err.locations && { locations: err.locations }),
    extensions: input ? { code, field: input.field } : { code },
  };
}
