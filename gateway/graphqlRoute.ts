/**
 * `GET|POST /graphql`: hands the Fastify request to Apollo Server (`executeHTTPGraphQLRequest`) with
 * the per-request context, and Apollo's answer back to Fastify (with the status GraphQL over HTTP
 * gives its media type, httpStatus.ts). A client that accepts incremental delivery
 * (`multipart/mixed;deferSpec=20220824`) gets a deferring operation's answer as a multipart
 * stream: Apollo's answer first, then what the engine deferred (incremental.ts, docs/defer.md).
 */
import { Readable } from 'node:stream';
import { HeaderMap } from '@apollo/server';
import type { ApolloServer, HTTPGraphQLRequest, HTTPGraphQLResponse } from '@apollo/server';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { GatewayContext } from './context';
import { toClientError } from './errors';
import { rejectUnsupportedEncoding } from './httpEdge';
import { graphqlHttpStatus } from './httpStatus';
import {
  acceptIncremental,
  acceptsDeferSpec,
  acceptsJson,
  multipartBody,
  MULTIPART_CONTENT_TYPE,
  singlePartBody,
  takeDeferral,
} from './incremental';

export interface GraphqlRouteOptions {
  path: string;
  apollo: ApolloServer<GatewayContext>;
  /** Builds the context of one request (core fields plus the features'). */
  context(request: FastifyRequest): Promise<GatewayContext>;
  /** The features' wrappers around Apollo's handling of a request, first = outermost. */
  wrappers?: readonly GraphqlRequestWrapper[];
}

/** One `/graphql` request as a wrapper sees it. */
export interface GraphqlRequestCall {
  readonly request: FastifyRequest;
  /** What Apollo Server is given: method, headers, search string, parsed body. */
  readonly http: HTTPGraphQLRequest;
  /**
   * The request's context, built once (the features' context hooks: identity, rate limiting) and
   * shared with Apollo; rejects with the error that refuses the request (Apollo then answers it).
   */
  context(): Promise<GatewayContext>;
}

export type GraphqlRequestWrapper = (
  call: GraphqlRequestCall,
  next: () => Promise<HTTPGraphQLResponse>,
) => Promise<HTTPGraphQLResponse>;

export function registerGraphqlRoute(app: FastifyInstance, options: GraphqlRouteOptions): void {
  const { apollo } = options;
  const wrappers = options.wrappers ?? [];
  app.route({
    method: ['GET', 'POST'],
    url: options.path,
    onRequest: rejectUnsupportedEncoding,
    handler: async (request, reply) => {
      const headers = new HeaderMap();
      for (const [name, value] of Object.entries(request.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      const q = request.url.indexOf('?');
      const httpGraphQLRequest: HTTPGraphQLRequest = {
        method: request.method.toUpperCase(),
        headers,
        search: q === -1 ? '' : request.url.slice(q),
        body: request.body,
      };
      let built: Promise<GatewayContext> | undefined;
      const context = () => (built ??= options.context(request));
      const accept = headers.get('accept');
      const execute = acceptsDeferSpec(accept)
        ? () => executeIncremental(apollo, httpGraphQLRequest, context, acceptsJson(accept))
        : () => apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context });
      const response = await wrappers.reduceRight<() => Promise<HTTPGraphQLResponse>>(
        (next, wrap) => () => wrap({ request, http: httpGraphQLRequest, context }, next),
        execute,
      )();
      for (const [name, value] of response.headers) reply.header(name, value);
      reply.code(graphqlHttpStatus(response));
      // Sent as bytes: the string is encoded once, not re-scanned for its length and joined to the headers.
      if (response.body.kind === 'complete') return reply.send(Buffer.from(response.body.string));
      return reply.send(Readable.from(response.body.asyncIterator));
    },
  });
}

/**
 * A request whose client takes multipart (deferSpec=20220824) responses: Apollo is asked for JSON
 * (it answers a gateway's result as one single result), the context is marked so that the engine
 * may defer, and a deferring answer becomes the multipart stream. A client that takes only
 * multipart gets a non-deferring answer as one part with `hasNext: false`.
 */
async function executeIncremental(
  apollo: ApolloServer<GatewayContext>,
  http: HTTPGraphQLRequest,
  context: () => Promise<GatewayContext>,
  takesJson: boolean,
): Promise<HTTPGraphQLResponse> {
  const headers = new HeaderMap(http.headers);
  if (!takesJson) headers.set('accept', 'application/json');
  let marked: GatewayContext | undefined;
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { ...http, headers },
    context: async () => {
      marked = await context();
      acceptIncremental(marked);
      return marked;
    },
  });
  const deferral = marked && takeDeferral(marked);
  if (response.body.kind !== 'complete' || (!deferral && takesJson)) return response;
  const status = response.status ?? 200;
  if (status !== 200) return response;
  const initial = JSON.parse(response.body.string) as Record<string, unknown>;
  response.headers.set('content-type', MULTIPART_CONTENT_TYPE);
  return {
    ...response,
    body: {
      kind: 'chunked',
      asyncIterator: deferral
        ? multipartBody(initial, deferral, (error) => toClientError(error))
        : singlePartBody(initial),
    },
  };
}
