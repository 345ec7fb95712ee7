/**
 * The one catalogue of `extensions.code` values the gateway emits. Clients may rely on these
 * strings; never rename one. Codes produced by Apollo Server itself are listed so the catalogue is
 * complete, and pass through unchanged.
 */
import { GraphQLError } from 'graphql';

export const GatewayErrorCode = {
  // HTTP-level errors raised by the gateway's own routes.
  BAD_REQUEST: 'BAD_REQUEST',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  NOT_FOUND: 'NOT_FOUND',
  // The gateway is shutting down (or not started); retry on another replica.
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  // A subgraph could not be reached or did not answer with GraphQL.
  DOWNSTREAM_SERVICE_ERROR: 'DOWNSTREAM_SERVICE_ERROR',
  // Anything unexpected; the message is masked and the detail goes to the log.
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  // Passed through from Apollo Server / @apollo/gateway.
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
} as const;

export type GatewayErrorCode = (typeof GatewayErrorCode)[keyof typeof GatewayErrorCode];

/** Body of every non-GraphQL error response (404, 405, 413, malformed JSON...). */
export interface HttpErrorBody {
  errors: [{ message: string; extensions: { code: GatewayErrorCode } }];
}

export function httpErrorBody(code: GatewayErrorCode, message: string): HttpErrorBody {
  return { errors: [{ message, extensions: { code } }] };
}

/** A subgraph failed at the transport level; nothing about the failure itself reaches the client. */
export class DownstreamServiceError extends GraphQLError {
  constructor(serviceName: string) {
    super(`Subgraph "${serviceName}" is unavailable`, {
      extensions: { code: GatewayErrorCode.DOWNSTREAM_SERVICE_ERROR, serviceName },
    });
    this.name = 'DownstreamServiceError';
  }
}

/** Settings that cannot be used; the message names the setting. */
export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    problem: string,
  ) {
    super(`${setting}: ${problem}`);
    this.name = 'ConfigError';
  }
}
