/**
 * The one way the gateway talks to subgraphs. Every subgraph fetch goes through `SubgraphDataSource`
 * so that transport concerns (pooling, signing, timeouts, retries) have a single place to live.
 *
 * It forwards the request id and masks failures: the client never sees a subgraph URL, HTTP status
 * text or response body. Transport failures become DOWNSTREAM_SERVICE_ERROR naming the subgraph;
 * GraphQL errors returned by the subgraph keep their message and code (the gateway adds
 * `extensions.serviceName`), minus any debugging extensions.
 */
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { FetcherResponse } from '@apollo/utils.fetcher';
import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import type { GatewayContext, GatewayLogger } from './context';
import { DownstreamServiceError, GatewayErrorCode } from './errors';

/** Extensions that only help someone debugging the subgraph; never forwarded to clients. */
export const PRIVATE_EXTENSIONS = ['stacktrace', 'exception', 'response'] as const;

export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  /** Used when a fetch has no request-scoped logger (e.g. health checks). */
  logger: GatewayLogger;
}

/** A non-2xx answer from a subgraph; stays inside the gateway (logged, never sent). */
class SubgraphHttpError extends GraphQLError {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`subgraph answered HTTP ${status}`);
    this.name = 'SubgraphHttpError';
  }
}

export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly name: string;
  private readonly log: GatewayLogger;

  constructor(options: SubgraphDataSourceOptions) {
    super({ url: options.url });
    this.name = options.name;
    this.log = options.logger;
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const requestId =
      options.kind === GraphQLDataSourceRequestKind.INCOMING_OPERATION
        ? options.context?.requestId
        : undefined;
    if (requestId) options.request.http?.headers.set('x-request-id', requestId);
  }

  override async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    let response: GatewayGraphQLResponse;
    try {
      response = await super.process(options);
    } catch (error) {
      const log =
        (options.kind === GraphQLDataSourceRequestKind.INCOMING_OPERATION && options.context?.logger) ||
        this.log;
      log.warn({ err: error, subgraph: this.name, url: this.url }, `subgraph "${this.name}" fetch failed`);
      return this.fromFailure(error);
    }
    if (!response.errors) return response;
    return { ...response, errors: response.errors.map(stripPrivateExtensions) };
  }

  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    let body: unknown;
    try {
      body = await this.parseBody(response);
    } catch {
      body = undefined;
    }
    return new SubgraphHttpError(response.status, body);
  }

  /** Turns a failed fetch into what the client may see. Throws for whole-fetch failures. */
  private fromFailure(error: unknown): GatewayGraphQLResponse {
    if (error instanceof SubgraphHttpError) {
      const extensions = { serviceName: this.name };
      if (error.status === 401) {
        throw new GraphQLError(`Subgraph "${this.name}" requires authentication`, {
          extensions: { ...extensions, code: GatewayErrorCode.UNAUTHENTICATED },
        });
      }
      if (error.status === 403) {
        throw new GraphQLError(`Subgraph "${this.name}" refused the request`, {
          extensions: { ...extensions, code: GatewayErrorCode.FORBIDDEN },
        });
      }
      // GraphQL-over-HTTP: a 4xx with a GraphQL body is a request error the subgraph explained.
      const errors = graphQLErrorsOf(error.body);
      if (error.status >= 400 && error.status < 500 && errors) {
        return { errors: errors.map(stripPrivateExtensions) };
      }
    }
    throw new DownstreamServiceError(this.name);
  }
}

function graphQLErrorsOf(body: unknown): GraphQLFormattedError[] | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const errors = (body as { errors?: unknown }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  if (!errors.every((e) => typeof e === 'object' && e !== null && typeof e.message === 'string'))
    return undefined;
  return errors as GraphQLFormattedError[];
}

export function stripPrivateExtensions(error: GraphQLFormattedError): GraphQLFormattedError {
  if (!error.extensions) return error;
  const extensions: Record<string, unknown> = { ...error.extensions };
  for (const key of PRIVATE_EXTENSIONS) delete extensions[key];
  return { ...error, extensions };
}
