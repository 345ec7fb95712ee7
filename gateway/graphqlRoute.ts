/**
 * `GET|POST /graphql`: hands the Fastify request to Apollo Server (`executeHTTPGraphQLRequest`) with
 * the per-request context, and Apollo's answer back to Fastify (with the status GraphQL over HTTP
 * gives its media type, httpStatus.ts).
 */
import { Readable } from 'node:stream';
import { HeaderMap } from '@apollo/server';
import type { ApolloServer, HTTPGraphQLRequest, HTTPGraphQLResponse } from '@apollo/server';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { GatewayContext } from './context';
import { rejectUnsupportedEncoding } from './httpEdge';
import { graphqlHttpStatus } from './httpStatus';

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
      const execute = () => apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context });
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
