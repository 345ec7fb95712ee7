/**
 * `GET|POST /graphql`: hands the Fastify request to Apollo Server (`executeHTTPGraphQLRequest`) with
 * the per-request context, and Apollo's answer back to Fastify (with the status GraphQL over HTTP
 * gives its media type, httpStatus.ts).
 */
import { Readable } from 'node:stream';
import { HeaderMap } from '@apollo/server';
import type { ApolloServer, HTTPGraphQLRequest } from '@apollo/server';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { GatewayContext } from './context';
import { rejectUnsupportedEncoding } from './httpEdge';
import { graphqlHttpStatus } from './httpStatus';

export interface GraphqlRouteOptions {
  path: string;
  apollo: ApolloServer<GatewayContext>;
  /** Builds the context of one request (core fields plus the features'). */
  context(request: FastifyRequest): Promise<GatewayContext>;
}

export function registerGraphqlRoute(app: FastifyInstance, options: GraphqlRouteOptions): void {
  const { apollo } = options;
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
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest,
        context: () => options.context(request),
      });
      for (const [name, value] of response.headers) reply.header(name, value);
      reply.code(graphqlHttpStatus(response));
      if (response.body.kind === 'complete') return reply.send(response.body.string);
      return reply.send(Readable.from(response.body.asyncIterator));
    },
  });
}
