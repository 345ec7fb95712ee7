/**
 * Two tiny Federation 2 subgraphs for the gateway's tests: `products` owns the Product entity,
 * `reviews` extends it. Served by Fastify + mercurius on port 0, like the real subgraphs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { GraphQLError, parse } from 'graphql';
import mercurius from 'mercurius';
import { composeSupergraph } from '../../../schema/compose';

/** A resolver map as `buildSubgraphSchema` takes it (its type is not on the package's public surface). */
type ResolverMap = NonNullable<
  Extract<Parameters<typeof buildSubgraphSchema>[0], { resolvers?: unknown }>['resolvers']
>;

export const PRODUCTS_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

"""Sản phẩm — a product in the fixture catalogue."""
type Product @key(fields: "upc") {
  upc: String!
  """Tên sản phẩm — the name shown to buyers."""
  name: String!
  price: Int!
}

type Query {
  """One product by its code; an empty code is rejected with BAD_USER_INPUT, code "gone" with NOT_FOUND."""
  product(upc: String!): Product
  topProducts: [Product!]!
  """The value of one HTTP header of the request this subgraph received (null when absent)."""
  requestHeader(name: String!): String
}
`;

export const REVIEWS_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

type Product @key(fields: "upc") {
  upc: String!
  """Đánh giá — reviews of this product (null when the reviews system is down)."""
  reviews: [Review!]
}

"""Đánh giá — one review of a product."""
type Review {
  id: ID!
  body: String!
}

type Query {
  reviewCount: Int!
}
`;

/**
 * The engine the gateway tests run on: the default (govgraph) unless the jest project sets
 * `GATEWAY_ENGINE` (the `integration-apollo` project runs the gateway suites on stock @apollo/gateway).
 */
export function engineEnv(): Record<string, string> {
  const engine = process.env.GATEWAY_ENGINE;
  return engine ? { GATEWAY_ENGINE: engine } : {};
}

const PRODUCTS = [
  { upc: 'p1', name: 'Bàn làm việc', price: 1200 },
  { upc: 'p2', name: 'Ghế xoay', price: 450 },
];
const REVIEWS: Record<string, { id: string; body: string }[]> = {
  p1: [{ id: 'r1', body: 'Chắc chắn' }],
  p2: [
    { id: 'r2', body: 'Êm' },
    { id: 'r3', body: 'Hơi ồn' },
  ],
};

const productsResolvers: ResolverMap = {
  Query: {
    product: (_: unknown, { upc }: { upc: string }) => {
      if (upc === '')
        throw new GraphQLError('upc must not be empty', { extensions: { code: 'BAD_USER_INPUT' } });
      if (upc === 'gone') {
        // A record error carrying the kind of private detail a careless subgraph might attach.
        throw new GraphQLError('Product gone not found', {
          extensions: { code: 'NOT_FOUND', sql: 'SELECT * FROM products WHERE upc = $1', table: 'products' },
        });
      }
      return PRODUCTS.find((p) => p.upc === upc) ?? null;
    },
    topProducts: () => PRODUCTS,
    requestHeader: (_: unknown, { name }: { name: string }, context: unknown) => {
      const value = (context as SubgraphContext).headers[name.toLowerCase()];
      return typeof value === 'string' ? value : null;
    },
  },
  Product: {
    __resolveReference: (ref: { upc: string }) => PRODUCTS.find((p) => p.upc === ref.upc) ?? null,
  },
};

const reviewsResolvers: ResolverMap = {
  Query: { reviewCount: () => Object.values(REVIEWS).flat().length },
  Product: {
    __resolveReference: (ref: { upc: string }) => ({ upc: ref.upc }),
    reviews: (product: { upc: string }) => REVIEWS[product.upc] ?? [],
  },
};

interface SubgraphContext {
  headers: Record<string, string | string[] | undefined>;
}

export interface RunningServer {
  url: string;
  /** The x-request-id header of every request received, in order. */
  requestIds: string[];
  /** The W3C traceparent header of every request received (undefined when absent), in order. */
  traceparents: (string | undefined)[];
  close(): Promise<void>;
}

async function listen(app: FastifyInstance, route = '/graphql'): Promise<RunningServer> {
  const requestIds: string[] = [];
  const traceparents: (string | undefined)[] = [];
  app.addHook('onRequest', async (request) => {
    requestIds.push(String(request.headers['x-request-id']));
    const traceparent = request.headers.traceparent;
    traceparents.push(typeof traceparent === 'string' ? traceparent : undefined);
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}${route}`, requestIds, traceparents, close: () => app.close() };
}

export async function startSubgraph(typeDefs: string, resolvers: ResolverMap): Promise<RunningServer> {
  const app = Fastify();
  await app.register(mercurius, {
    schema: buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers }),
    path: '/graphql',
    context: (request): SubgraphContext => ({ headers: request.headers }),
  });
  return listen(app);
}

export const startProducts = (): Promise<RunningServer> => startSubgraph(PRODUCTS_SDL, productsResolvers);
export const startReviews = (): Promise<RunningServer> => startSubgraph(REVIEWS_SDL, reviewsResolvers);

/** A broken "subgraph" that answers every request with a fixed status and body. */
export async function startStatusServer(
  status: number,
  contentType: string,
  body: string,
): Promise<RunningServer> {
  const app = Fastify();
  app.all('/graphql', async (_req, reply) =>
    reply.code(status).header('content-type', contentType).send(body),
  );
  return listen(app);
}

/** Answers every request with an HTML 500 page that must never reach clients. */
export const startHtmlErrorServer = (secret: string): Promise<RunningServer> =>
  startStatusServer(500, 'text/html', `<html><body>Internal error ${secret}</body></html>`);

/** Composes the fixtures into a supergraph file in a fresh temp dir. */
export function writeSupergraph(urls: { products: string; reviews: string }): {
  file: string;
  cleanup(): void;
} {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'govgraph-gateway-'));
  const file = path.join(dir, 'supergraph.graphql');
  writeFileSync(
    file,
    composeSupergraph([
      { name: 'products', url: urls.products, typeDefs: PRODUCTS_SDL },
      { name: 'reviews', url: urls.reviews, typeDefs: REVIEWS_SDL },
    ]),
  );
  return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
