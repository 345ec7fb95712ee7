/**
 * Both engines answer alike: the same operations through a gateway on the govgraph engine and one on
 * stock @apollo/gateway (GATEWAY_ENGINE=apollo), over the same subgraphs, give deep-equal responses —
 * Workload A's heavy query (@requires, @provides, repeated entities), abstract types across
 * subgraphs, @skip/@include with variables and defaults, aliases, __typename, introspection, subgraph
 * errors on root fields and on entities, and null propagation. Each case also states what the client
 * must see, so the comparison cannot pass on two equally wrong answers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GraphQLError } from 'graphql';
import pino from 'pino';
import { createGateway } from '../gateway/server';
import type { Gateway } from '../gateway/server';
import { startSubgraph } from '../gateway/test/support/fixtures';
import type { RunningServer } from '../gateway/test/support/fixtures';
import { composeSupergraph } from '../schema/compose';
import { QUERY as WORKLOAD_A, SUBGRAPHS as WORKLOAD_A_SUBGRAPHS } from '../scripts/bench-gateways/workloadA';
import { defaultConfig, defaultFeatures } from '../gateway/test/support/config';

const FED =
  '@link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires", "@shareable"])';

const CATALOG_SDL = `extend schema ${FED}
interface Item { id: ID!  title: String }
type Book implements Item @key(fields: "id") { id: ID!  title: String  pages: Int! }
type Magazine implements Item @key(fields: "id") { id: ID!  title: String  issue: Int }
type Query { items: [Item!]!  item(id: ID!): Item  broken: Book }`;

const STOCK_SDL = `extend schema ${FED}
type Book @key(fields: "id") { id: ID!  pages: Int! @external  weight: Float @requires(fields: "pages")  stock: Int! }
type Magazine @key(fields: "id") { id: ID!  stock: Int! }`;

const ITEMS = [
  { __typename: 'Book', id: 'b1', title: 'Luật Đất đai', pages: 300 },
  { __typename: 'Magazine', id: 'm1', title: 'Tạp chí Cộng sản', issue: 12 },
  { __typename: 'Book', id: 'b2', title: 'Sổ tay', pages: 40 },
  { __typename: 'Book', id: 'b1', title: 'Luật Đất đai', pages: 300 }, // a repeated entity
];

const catalogResolvers = {
  Query: {
    items: () => ITEMS,
    item: (_: unknown, { id }: { id: string }) => ITEMS.find((i) => i.id === id) ?? null,
    // pages is Int! but the record has none: the subgraph itself reports the error.
    broken: () => ({ id: 'x', title: 'Thiếu trang', pages: null }),
  },
  Item: { __resolveType: (item: { __typename: string }) => item.__typename },
  Book: { __resolveReference: ({ id }: { id: string }) => ITEMS.find((i) => i.id === id) },
  Magazine: { __resolveReference: ({ id }: { id: string }) => ITEMS.find((i) => i.id === id) },
};

const stockResolvers = {
  Book: {
    __resolveReference: (ref: { id: string; pages?: number }) => {
      if (ref.id === 'b2')
        throw new GraphQLError('Kho b2 đang kiểm kê', { extensions: { code: 'NOT_FOUND' } });
      return { ...ref, stock: 7 };
    },
    weight: ({ pages }: { pages: number }) => pages / 100,
  },
  // stock is Int!, and m1 has none: null propagates to the nearest nullable parent.
  Magazine: { __resolveReference: ({ id }: { id: string }) => ({ id, stock: null }) },
};

interface Case {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  /** What the client must see (checked on the govgraph engine; apollo must then be equal). */
  expect(body: any): void;
}

const CASES: Case[] = [
  {
    name: 'Workload A: nested entities, @requires and @provides, repeated representations',
    query: WORKLOAD_A,
    expect: (body) => {
      expect(body.errors).toBeUndefined();
      expect(body.data.users).toHaveLength(6);
      const product = body.data.users[0].reviews[0].product;
      expect(product).toMatchObject({ upc: '1', name: 'Table', price: 899, weight: 100, inStock: true });
      expect(product.shippingEstimate).toBe(50);
      expect(product.reviews[0].author).toMatchObject({ id: '1', username: 'urigo', name: 'Uri Goldshtein' });
      expect(JSON.stringify(body).length).toBeGreaterThan(80_000);
    },
  },
  {
    name: 'abstract types, fragments by type, __typename and aliases',
    query: `{ items { __typename kind: __typename id ... on Book { title pages } ... on Magazine { issue } } }`,
    expect: (body) =>
      expect(body.data.items[1]).toEqual({ __typename: 'Magazine', kind: 'Magazine', id: 'm1', issue: 12 }),
  },
  {
    name: '@skip/@include by variables and defaults',
    query: `query ($withTitle: Boolean = true, $noId: Boolean!) {
      items { id @skip(if: $noId) ... on Book @include(if: $withTitle) { title } } }`,
    variables: { noId: true },
    expect: (body) => expect(body.data.items[0]).toEqual({ title: 'Luật Đất đai' }),
  },
  {
    name: '@include(false) prunes a fetch from the plan',
    query: `query ($w: Boolean!) { item(id: "b1") { id ... on Book { title stock @include(if: $w) } } }`,
    variables: { w: false },
    expect: (body) => expect(body).toEqual({ data: { item: { id: 'b1', title: 'Luật Đất đai' } } }),
  },
  {
    name: '@requires through a second subgraph',
    query: `{ item(id: "b1") { ... on Book { title weight } } }`,
    expect: (body) => expect(body.data.item).toEqual({ title: 'Luật Đất đai', weight: 3 }),
  },
  {
    name: 'entity errors carry the client path; non-null violations null the parent',
    query: `{ items { id ... on Book { stock } ... on Magazine { stock } } }`,
    expect: (body) => {
      expect(body.data).toBeNull(); // items is [Item!]!: a null element nulls the list, then data
      expect(body.errors).toEqual([
        expect.objectContaining({
          message: 'Kho b2 đang kiểm kê',
          extensions: { code: 'NOT_FOUND', serviceName: 'stock' },
        }),
      ]);
    },
  },
  {
    name: 'a subgraph error on a root field',
    query: `{ broken { id title pages } }`,
    expect: (body) => {
      expect(body.data).toEqual({ broken: null });
      expect(body.errors[0].path).toEqual(['broken', 'pages']);
    },
  },
  {
    name: 'introspection next to data',
    query: `{ __type(name: "Book") { name fields { name } } item(id: "m1") { __typename } }`,
    expect: (body) => {
      expect(body.data.__type.name).toBe('Book');
      expect(body.data.item).toEqual({ __typename: 'Magazine' });
    },
  },
];

const logger = pino({ level: 'silent' });
const servers: RunningServer[] = [];
const gateways: Gateway[] = [];
let dir: string;
const urls: Record<'govgraph' | 'apollo', string> = { govgraph: '', apollo: '' };

beforeAll(async () => {
  const parts = [];
  for (const s of [
    ...WORKLOAD_A_SUBGRAPHS,
    { name: 'catalog', typeDefs: CATALOG_SDL, resolvers: catalogResolvers },
    { name: 'stock', typeDefs: STOCK_SDL, resolvers: stockResolvers },
  ]) {
    const server = await startSubgraph(s.typeDefs, s.resolvers as never);
    servers.push(server);
    parts.push({ name: s.name, url: server.url, typeDefs: s.typeDefs });
  }
  dir = mkdtempSync(path.join(os.tmpdir(), 'govgraph-engines-'));
  const file = path.join(dir, 'supergraph.graphql');
  writeFileSync(file, composeSupergraph(parts));
  for (const engine of ['govgraph', 'apollo'] as const) {
    const gateway = createGateway(
      defaultConfig({
        SUPERGRAPH_PATH: file,
        GATEWAY_PORT: '0',
        GATEWAY_ENGINE: engine,
        GATEWAY_MAX_COST: '100000000',
        GATEWAY_SCHEMA_ROLES: 'anonymous',
      }),
      { logger, features: defaultFeatures },
    );
    gateways.push(gateway);
    urls[engine] = (await gateway.start()).url;
  }
}, 60_000);

afterAll(async () => {
  for (const g of gateways) await g.stop();
  for (const s of servers) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function post(url: string, query: string, variables?: Record<string, unknown>) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await res.json() };
}

test.each(CASES)(
  '$name: same answer from both engines',
  async ({ query, variables, expect: check }) => {
    const ours = await post(urls.govgraph, query, variables);
    const stock = await post(urls.apollo, query, variables);
    check(ours.body);
    expect(ours).toEqual(stock);
  },
  60_000,
);
