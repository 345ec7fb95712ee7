/**
 * The client-facing contract for errors, shared by the gateway and every subgraph: the
 * `extensions.code` values a client may see, and the only extensions that reach a client.
 * Neutral code: gateway/ and kit/ both import it, it imports nothing. Clients rely on these strings;
 * never rename one.
 */

export const ErrorCode = {
  // The HTTP request itself is wrong (raised by the gateway's HTTP edge or by Apollo Server).
  BAD_REQUEST: 'BAD_REQUEST',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The request (headers or body) did not arrive within the server's timeout (408; the connection closes). */
  REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  /** No such HTTP route (a 404 from the gateway). Not to be confused with `NOT_FOUND`. */
  ROUTE_NOT_FOUND: 'ROUTE_NOT_FOUND',
  // The GraphQL document cannot run.
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
  /** This client may send only operations of its trusted-document manifest, by hash (400). */
  PERSISTED_QUERY_NOT_ALLOWED: 'PERSISTED_QUERY_NOT_ALLOWED',
  /**
   * A subscription where none can run (400): sent as an HTTP request (subscriptions are served over
   * WebSocket, graphql-ws, docs/subscriptions.md), or to the reference engine, which runs none.
   */
  SUBSCRIPTIONS_NOT_SUPPORTED: 'SUBSCRIPTIONS_NOT_SUPPORTED',
  /**
   * The operation uses `@defer` but the client does not take incremental delivery: HTTP 406; send
   * `Accept: multipart/mixed;deferSpec=20220824, application/json` (docs/defer.md).
   */
  INCREMENTAL_DELIVERY_NOT_ACCEPTED: 'INCREMENTAL_DELIVERY_NOT_ACCEPTED',
  /** The operation uses `@defer` where the serving engine cannot defer (the reference engine, docs/defer.md). */
  DEFER_NOT_SUPPORTED: 'DEFER_NOT_SUPPORTED',
  // Who is asking.
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  /**
   * The caller may not read this field (its `@authenticated`, `@requiresScopes` or `@policy`): the
   * field is null, `path` names it, the rest of the response still comes back.
   */
  UNAUTHORIZED_FIELD_OR_TYPE: 'UNAUTHORIZED_FIELD_OR_TYPE',
  /** Too many requests from this client IP or subject; HTTP 429 with `Retry-After`. */
  RATE_LIMITED: 'RATE_LIMITED',
  // The request ran and the domain said no (raised by subgraphs).
  /** An argument or input field is invalid; `extensions.field` names it. */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** No such record (e.g. a mutation names a document that does not exist). */
  NOT_FOUND: 'NOT_FOUND',
  /** The write contradicts existing data (e.g. a document registered twice). */
  CONFLICT: 'CONFLICT',
  /**
   * A status change the record's state machine does not allow (e.g. a dossier already returned cannot
   * go back to in process); the message names both statuses and nothing was changed.
   */
  ILLEGAL_TRANSITION: 'ILLEGAL_TRANSITION',
  // Something is down or broken; retrying may help.
  /**
   * The gateway is shutting down or not ready (retry on another replica), or a subgraph lost its
   * database connection during the request (`extensions.serviceName` names it; nothing was written;
   * retry once the database is back — the subgraph reconnects by itself).
   */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /**
   * The request's database work ran past a subgraph's statement or transaction timeout and was
   * cancelled; nothing was written. Ask for less (a smaller page, fewer items) or retry later.
   */
  TIMEOUT: 'TIMEOUT',
  /**
   * An existing system behind a connector subgraph (kit/connectors, docs/interop.md "Connectors")
   * answered with a server error, refused our credentials or sent a body that is not the JSON expected;
   * only the fields it feeds are null. (Unreachable or 502/503/504 is `SERVICE_UNAVAILABLE`.)
   */
  BAD_GATEWAY: 'BAD_GATEWAY',
  /**
   * An existing system behind a connector subgraph did not answer within its source's `timeoutMs`;
   * only the fields it feeds are null, the rest of the response still comes back.
   */
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  /** A subgraph could not be reached or did not answer GraphQL; `extensions.serviceName` names it. */
  DOWNSTREAM_SERVICE_ERROR: 'DOWNSTREAM_SERVICE_ERROR',
  /**
   * A subgraph did not answer within its timeout (GATEWAY_SUBGRAPH_TIMEOUT); its fields are null,
   * `extensions.serviceName` names it, the rest of the response still comes back.
   */
  SUBGRAPH_TIMEOUT: 'SUBGRAPH_TIMEOUT',
  /** A subgraph's answer was larger than GATEWAY_SUBGRAPH_MAX_RESPONSE_BYTES; only its fields are lost. */
  SUBGRAPH_RESPONSE_TOO_LARGE: 'SUBGRAPH_RESPONSE_TOO_LARGE',
  /**
   * A subgraph failed so often that the gateway stopped calling it for a while (its circuit breaker
   * is open); only its fields are lost; retry after a few seconds.
   */
  SUBGRAPH_CIRCUIT_OPEN: 'SUBGRAPH_CIRCUIT_OPEN',
  /** The whole request ran past GATEWAY_REQUEST_DEADLINE (HTTP 504); its subgraph fetches were cancelled. */
  GATEWAY_TIMEOUT: 'GATEWAY_TIMEOUT',
  /** Anything unexpected; the message is masked and the detail is logged with the request id. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The codes a subgraph raises on purpose (the rest belong to the gateway and Apollo Server). */
export const SubgraphErrorCode = {
  BAD_USER_INPUT: ErrorCode.BAD_USER_INPUT,
  NOT_FOUND: ErrorCode.NOT_FOUND,
  CONFLICT: ErrorCode.CONFLICT,
  ILLEGAL_TRANSITION: ErrorCode.ILLEGAL_TRANSITION,
  FORBIDDEN: ErrorCode.FORBIDDEN,
  UNAUTHENTICATED: ErrorCode.UNAUTHENTICATED,
  SERVICE_UNAVAILABLE: ErrorCode.SERVICE_UNAVAILABLE,
  TIMEOUT: ErrorCode.TIMEOUT,
  /** A peer subgraph a write must check with (kit/runtime/peers.ts) could not be asked; nothing was written. */
  DOWNSTREAM_SERVICE_ERROR: ErrorCode.DOWNSTREAM_SERVICE_ERROR,
  /** An existing system behind a connector answered unusably (kit/connectors/http.ts). */
  BAD_GATEWAY: ErrorCode.BAD_GATEWAY,
  /** An existing system behind a connector did not answer in time (kit/connectors/http.ts). */
  UPSTREAM_TIMEOUT: ErrorCode.UPSTREAM_TIMEOUT,
  INTERNAL_SERVER_ERROR: ErrorCode.INTERNAL_SERVER_ERROR,
  GRAPHQL_VALIDATION_FAILED: ErrorCode.GRAPHQL_VALIDATION_FAILED,
  GRAPHQL_PARSE_FAILED: ErrorCode.GRAPHQL_PARSE_FAILED,
} as const satisfies Partial<Record<ErrorCode, ErrorCode>>;

export type SubgraphErrorCode = (typeof SubgraphErrorCode)[keyof typeof SubgraphErrorCode];

/**
 * The only `extensions` keys a client sees: the code, the subgraph an error came from, and the input
 * field a BAD_USER_INPUT names. Anything else (stack traces, SQL, upstream responses) is private
 * and is removed by the gateway before the response leaves it.
 */
export const CLIENT_EXTENSIONS = ['code', 'serviceName', 'field'] as const;
