/**
 * The whole path of one subgraph fetch, for both engines: `createTransport` gives each subgraph a
 * client whose `fetch` builds the request (headers, request id, JSON body), runs the features' fetch
 * chain (chain.ts) down to the dispatch (undici.ts for the govgraph engine, `httpFetch` for the
 * reference engine) and returns the decoded answer. The fetch never leaves transport/ until it
 * returns, except through the wrappers features contribute.
 *
 * It masks failures: the client never sees a subgraph URL, HTTP status text or response body.
 * Transport failures become DOWNSTREAM_SERVICE_ERROR naming the subgraph; GraphQL errors returned by
 * the subgraph keep their message and code (the engine adds `extensions.serviceName`). Private
 * extensions are removed later, once, for every error (errors.ts).
 */
import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import { CLIENT_REQUEST_ID_HEADER } from '../../common/requestId';
import { ErrorCode } from '../../schema/error-codes';
import type { GatewayContext } from '../context';
import { DownstreamServiceError } from '../errors';
import { chainFetch, SubgraphHttpError } from './chain';
import type {
  SubgraphCall,
  SubgraphFetch,
  SubgraphFetchWrapper,
  SubgraphRequestBody,
  SubgraphResponse,
} from './chain';
import { httpFetch } from './fetch';
import { pooledFetch } from './undici';

/** An Apollo Server cache policy (the request's `overallCachePolicy`): a subgraph's answer narrows it. */
export interface CachePolicy {
  restrict?: (hint: { maxAge?: number; scope?: 'PUBLIC' | 'PRIVATE' }) => void;
}

export interface SubgraphClient {
  /** The subgraph's name in the supergraph, e.g. `documents`. */
  readonly name: string;
  readonly url: string;
  /**
   * One fetch. Resolves with the subgraph's answer (its GraphQL errors included); rejects with a
   * GraphQLError naming the subgraph when the fetch failed as a whole.
   *
   * @param cachePolicy the client request's cache policy, narrowed by the answer's `Cache-Control`
   * @param headers headers the planner asks for (e.g. federated tracing); the transport's win
   */
  fetch(
    body: SubgraphRequestBody,
    context: GatewayContext,
    cachePolicy?: CachePolicy,
    headers?: Iterable<[string, string]>,
  ): Promise<SubgraphResponse>;
}

export interface TransportOptions {
  /** The features' wrappers, outermost first. */
  wrappers: readonly SubgraphFetchWrapper[];
  /** The innermost link: undici pools (govgraph engine) or the global `fetch` (reference engine). */
  dispatch: 'undici' | 'fetch';
}

export interface Transport {
  client(name: string, url: string): SubgraphClient;
  /** Closes connection pools. */
  close(): Promise<void>;
}

export function createTransport(options: TransportOptions): Transport {
  const pooled = options.dispatch === 'undici' ? pooledFetch() : undefined;
  const fetch = chainFetch(options.wrappers, pooled ? pooled.fetch : httpFetch);
  return {
    client: (name, url) => subgraphClient(name, url, fetch),
    close: async () => pooled?.close(),
  };
}

function subgraphClient(name: string, url: string, fetch: SubgraphFetch): SubgraphClient {
  return {
    name,
    url,
    async fetch(body, context, cachePolicy, extraHeaders) {
      const headers = new Headers();
      if (extraHeaders) for (const [header, value] of extraHeaders) headers.append(header, value);
      headers.set('content-type', 'application/json');
      headers.set('accept', 'application/graphql-response+json, application/json');
      headers.set('x-request-id', context.requestId);
      if (context.clientRequestId) headers.set(CLIENT_REQUEST_ID_HEADER, context.clientRequestId);
      const call: SubgraphCall = { subgraph: name, request: { url, headers, body }, context };
      let response: SubgraphResponse;
      try {
        response = await fetch(call);
      } catch (error) {
        context.logger.warn({ err: error, subgraph: name, url }, `subgraph "${name}" fetch failed`);
        return fromFailure(name, error);
      }
      if (cachePolicy) restrictCachePolicy(cachePolicy, response);
      return response;
    },
  };
}

/** Turns a failed fetch into what the client may see. Throws for whole-fetch failures. */
function fromFailure(serviceName: string, error: unknown): SubgraphResponse {
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
function restrictCachePolicy(policy: CachePolicy, response: SubgraphResponse): void {
  if (typeof policy.restrict !== 'function') return;
  const header = response.http?.headers.get('cache-control') ?? '';
  const maxAge = /(?:^|,)\s*max-age=(\d+)\s*(?:,|$)/i.exec(header)?.[1];
  const hint: { maxAge: number; scope?: 'PUBLIC' | 'PRIVATE' } = { maxAge: maxAge ? Number(maxAge) : 0 };
  if (/(?:^|,)\s*private\s*(?:,|$)/i.test(header)) hint.scope = 'PRIVATE';
  else if (/(?:^|,)\s*public\s*(?:,|$)/i.test(header)) hint.scope = 'PUBLIC';
  policy.restrict(hint);
}
