/**
 * GraphQL over HTTP's status rule, applied to Apollo Server's answer. The status of a response
 * follows its media type (chosen by Apollo from the client's `Accept`):
 *
 * - `application/graphql-response+json` (clients that ask for it, e.g. Apollo Client, urql): a
 *   request error — the document does not parse or validate, the variables do not coerce, the
 *   operation cannot be chosen — is a 400, as Apollo answers.
 * - `application/json` (clients that ask for it, `*` / `*` or no `Accept` at all): the spec says 200
 *   for every well-formed GraphQL-over-HTTP request, whatever GraphQL errors it has, so those 400s
 *   become 200. Errors of the HTTP request itself (malformed JSON, missing query, CSRF, batching)
 *   stay 400; 401, 403, 413, 415, 429 and 5xx are not touched.
 */
import type { HTTPGraphQLResponse } from '@apollo/server';
import { ErrorCode } from '../schema/error-codes';

/** Codes of GraphQL request errors: the HTTP request was well-formed, the GraphQL request was not. */
const REQUEST_ERROR_CODES: ReadonlySet<string> = new Set([
  ErrorCode.GRAPHQL_PARSE_FAILED,
  ErrorCode.GRAPHQL_VALIDATION_FAILED,
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.OPERATION_RESOLUTION_FAILURE,
]);

const APPLICATION_JSON = /^application\/json\s*(?:;|$)/i;

/** The status to send for Apollo's response (its own unless the rule above changes it). */
export function graphqlHttpStatus(response: HTTPGraphQLResponse): number {
  const status = response.status ?? 200;
  if (status !== 400 || response.body.kind !== 'complete') return status;
  if (!APPLICATION_JSON.test(response.headers.get('content-type') ?? '')) return status;
  return onlyRequestErrors(response.body.string) ? 200 : status;
}

function onlyRequestErrors(body: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return false;
  }
  const errors = (parsed as { errors?: unknown } | null)?.errors;
  return (
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.every((e: { extensions?: { code?: unknown } } | null) =>
      REQUEST_ERROR_CODES.has(String(e?.extensions?.code)),
    )
  );
}
