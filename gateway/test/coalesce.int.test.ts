/**
 * Entity fetches coalesced across paths (gateway/engine/execute/coalesce.ts): the same entity fetch planned
 * at `root` and at `root.children.@` is one subgraph request on the govgraph engine (two on the
 * reference engine), and both answer the same — values merged at each path, and an entity's error
 * reported at that entity's own path.
 */
import { GraphQLError } from 'graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { serve, stopAll } from './support/auditGateway';
import type { AuditCase, Query, Resolvers } from './support/auditGateway';

const operations: string[] = [];

const tree: AuditCase = {
  subgraphs: [
    {
      name: 'tree',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { root(withBad: Boolean): Node }
        type Node @key(fields: "id") { id: ID! children: [Node] }`,
      resolvers: {
        Query: { root: (_: unknown, { withBad }: { withBad?: boolean }) => ({ id: 'r', withBad }) },
        Node: {
          __resolveReference: ({ id }: { id: string }) => ({ id }),
          children: ({ id, withBad }: { id: string; withBad?: boolean }) =>
            id === 'r' ? [{ id: 'c1' }, { id: withBad ? 'bad' : 'c2' }, { id: 'c3' }] : [],
        },
      } as Resolvers,
    },
    {
      name: 'scores',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Node @key(fields: "id") { id: ID! score: Int }`,
      resolvers: {
        Node: {
          __resolveReference: ({ id }: { id: string }) => {
            if (id === 'bad')
              throw new GraphQLError('no score for bad', { extensions: { code: 'NOT_FOUND' } });
            return { id };
          },
          score: ({ id }: { id: string }, _: unknown, _c: unknown, info: GraphQLResolveInfo) => {
            operations.push(info.operation.name?.value ?? '');
            return id.length;
          },
        },
      } as Resolvers,
    },
  ],
};

let query: Query;
beforeAll(async () => {
  query = await serve(tree);
});
afterAll(stopAll);

type Body = {
  data: unknown;
  errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
};

test('one entity fetch at two paths: one subgraph request, values merged at both paths', async () => {
  operations.length = 0;
  const body = (await query('query Tree { root { id score children { id score } } }')) as Body;
  expect(body).toEqual({
    data: {
      root: {
        id: 'r',
        score: 1,
        children: [
          { id: 'c1', score: 2 },
          { id: 'c2', score: 2 },
          { id: 'c3', score: 2 },
        ],
      },
    },
  });
  // Four scores resolved: on the govgraph engine in one subgraph operation, on the reference engine
  // in one per path.
  expect(operations).toHaveLength(4);
  expect(new Set(operations).size).toBe(process.env.GATEWAY_ENGINE === 'apollo' ? 2 : 1);
});

test('a coalesced request the subgraph fails as a whole is asked again per path: only the failing path is lost', async () => {
  // This subgraph (mercurius) fails all of `_entities` when one entity's field throws.
  const body = (await query('query Tree { root(withBad: true) { id score children { id score } } }')) as Body;
  expect(body.data).toEqual({
    root: {
      id: 'r',
      score: 1,
      children: [
        { id: 'c1', score: null },
        { id: 'bad', score: null },
        { id: 'c3', score: null },
      ],
    },
  });
  expect(body.errors).toEqual([
    {
      message: 'no score for bad',
      path: ['root', 'children', '@', '_entities'],
      extensions: { code: 'NOT_FOUND', serviceName: 'scores' },
    },
  ]);
});
