/**
 * The one way the gateway talks to subgraphs: @apollo/gateway calls `process` for every fetch of a
 * query plan, and it runs the features' fetch chain (subgraphFetch.ts) down to one HTTP POST.
 *
 * It forwards the request id (the gateway's own; the client's own id as `x-client-request-id`) and masks failures: the client never sees a subgraph URL, HTTP status
 * text or response body. Transport failures become DOWNSTREAM_SERVICE_ERROR naming the subgraph;
 * GraphQL errors returned by the subgraph keep their message and code (@apollo/gateway adds
 * `extensions.serviceName`). Private extensions are removed later, once, for every error (errors.ts).
 */
import { randomUUID } from 'node:crypto';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import { CLIENT_REQUEST_ID_HEADER } from '../common/requestId';
import { ErrorCode } from '../schema/error-codes';
import type { GatewayContext, GatewayLogger } from './context';
import { DownstreamServiceError } from './errors';
import { SubgraphHttpError } from './subgraphFetch';
import type { SubgraphCall, SubgraphFetch, SubgraphResponse } from './subgraphFetch';

type ProcessOptions = GraphQLDataSourceProcessOptions<GatewayContext>;
type GatewayResponse = Awaited<ReturnType<GraphQLDataSource<GatewayContext>['process']>>;
/** The options of a fetch that serves a client operation (the public types name the kind only by enum). */
type OperationOptions = Extract<ProcessOptions, { incomingRequestContext: unknown }>;

export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  /** Used when a fetch has no client request (e.g. health checks). */
  logger: GatewayLogger;
  /** The features' fetch chain ending in `httpFetch`. */
  fetch: SubgraphFetch;
}

const isOperation = (options: ProcessOptions): options is OperationOptions =>
  'incomingRequestContext' in options;

export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  readonly name: string;
  readonly url: string;
  private readonly log: GatewayLogger;
  private readonly fetch: SubgraphFetch;

  constructor(options: SubgraphDataSourceOptions) {
    this.name = options.name;
    this.url = options.url;
    this.log = options.logger;
    this.fetch = options.fetch;
  }

  async process(options: ProcessOptions): Promise<GatewayResponse> {
    const { query, operationName, variables, extensions, http } = options.request;
    if (!query) throw new Error('subgraph fetch without a query');
    const context: GatewayContext = isOperation(options)
      ? options.context
      : { requestId: randomUUID(), logger: this.log };
    // Headers the planner asks for (e.g. federated tracing) come first; ours win.
    const headers = new Headers();
    for (const [name, value] of http?.headers ?? []) headers.append(name, value);
    headers.set('content-type', 'application/json');
    headers.set('accept', 'application/graphql-response+json, application/json');
    headers.set('x-request-id', context.requestId);
    if (context.clientRequestId) headers.set(CLIENT_REQUEST_ID_HEADER, context.clientRequestId);
    const call: SubgraphCall = {
      subgraph: this.name,
      request: { url: this.url, headers, body: { query, operationName, variables, extensions } },
      context,
    };

    let response: SubgraphResponse;
    try {
      response = await this.fetch(call);
    } catch (error) {
      context.logger.warn(
        { err: error, subgraph: this.name, url: this.url },
        `subgraph "${this.name}" fetch failed`,
      );
      return this.fromFailure(error);
    }
    if (isOperation(options)) restrictCachePolicy(options, response);
    return response as GatewayResponse;
  }

  /** Turns a failed fetch into what the client may see. Throws for whole-fetch failures. */
  private fromFailure(error: unknown): GatewayResponse {
    const serviceName = this.name;
    if (error instanceof GraphQLError && typeof error.extensions.code === 'string') {
      // A wrapper refused on purpose (e.g. an open circuit): its code and message stand.
      throw new GraphQLError(error.message, { extensions: { ...error.extensions, serviceName } });
    }
    if (error instanceof SubgraphHttpError) {
      if (error.status === 401) {
        throw new GraphQLError(`Subgraph "${serviceName}" requires authentication`, {
          extensions: { code: ErrorCode.UNAUTHENTICATED, serviceName },
        });
      }
      if (error.status === 403) {
        throw new GraphQLError(`Subgraph "${serviceName}" refused the request`, {
          extensions: { code: ErrorCode.FORBIDDEN, serviceName },
        });
      }
      // GraphQL-over-HTTP: a 4xx with a GraphQL body is a request error the subgraph explained.
      const errors = graphQLErrorsOf(error.body);
      if (error.status >= 400 && error.status < 500 && errors) return { errors };
    }
    throw new DownstreamServiceError(serviceName);
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

/**
 * A subgraph's `Cache-Control` narrows the response's cache policy, as in @apollo/gateway's own
 * data source: no max-age means 0, so an uncacheable subgraph keeps the whole response uncacheable.
 */
function restrictCachePolicy(options: OperationOptions, response: SubgraphResponse): void {
  const policy = options.incomingRequestContext.overallCachePolicy as
    | { restrict?: (hint: { maxAge?: number; scope?: 'PUBLIC' | 'PRIVATE' }) => void }
    | undefined;
  if (typeof policy?.restrict !== 'function') return;
  const header = response.http?.headers.get('cache-control') ?? '';
  const maxAge = /(?:^|,)\s*max-age=(\d+)\s*(?:,|$)/i.exec(header)?.[1];
  const hint: { maxAge: number; scope?: 'PUBLIC' | 'PRIVATE' } = { maxAge: maxAge ? Number(maxAge) : 0 };
  if (/(?:^|,)\s*private\s*(?:,|$)/i.test(header)) hint.scope = 'PRIVATE';
  else if (/(?:^|,)\s*public\s*(?:,|$)/i.test(header)) hint.scope = 'PUBLIC';
  policy.restrict(hint);
}
