/**
 * Regression tests for the federation gateway audit cases (graphql-hive/federation-gateway-audit)
 * that stock @apollo/gateway 2.14.4 fails and govgraph fixes, each with the audit's own subgraphs
 * (SDL, resolvers and data trimmed to what the case needs) behind the real gateway:
 *
 * - `keys-mashup`: after a `@requires`, the planner re-entered subgraph b with a key b declares
 *   `resolvable: false`; fixed by patches/@apollo+query-graphs+2.14.4.patch, which prefers a
 *   resolvable key and keeps the old choice when there is none (non-resolvable-interface-object #6).
 * - `non-resolvable-interface-object` #1: the planner finds no way to `Node.field` and plans
 *   nothing, which answered `{"data":{}}`; gateway/engine/plan/planCheck.ts turns it into an error.
 */
import { serve, stopAll } from './support/auditGateway';
import type { AuditCase, Resolvers } from './support/auditGateway';

const A_DATA: Record<string, { id: string; pId: string; name: string; compositeId: Record<string, string> }> =
  {
    '1': {
      id: '1',
      pId: 'a.1.pId',
      name: 'a.1',
      compositeId: { one: 'a.1.compositeId.one', two: 'a.1.compositeId.two', three: 'a.1.compositeId.three' },
    },
  };

const keysMashup: AuditCase = {
  subgraphs: [
    {
      name: 'a',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
        type A
          @key(fields: "id", resolvable: true)
          @key(fields: "pId", resolvable: false)
          @key(fields: "compositeId { one two }", resolvable: false)
          @key(fields: "id compositeId { two three }", resolvable: false) {
          id: ID!
          pId: ID!
          compositeId: CompositeID!
          name: String!
        }
        type CompositeID { one: ID! two: ID! three: ID! }`,
      resolvers: {
        A: { __resolveReference: (ref: { id: string }) => A_DATA[ref.id] ?? null },
      } as Resolvers,
    },
    {
      name: 'b',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@requires", "@external"])
        type Query { b: B }
        type B @key(fields: "id") { id: ID! a: [A!]! }
        type A
          @key(fields: "compositeId { one two }", resolvable: false)
          @key(fields: "id compositeId { two three }", resolvable: true)
          @key(fields: "pId", resolvable: false)
          @key(fields: "id", resolvable: false) {
          id: ID!
          pId: ID!
          compositeId: CompositeID!
          name: String! @external
          nameInB: String! @requires(fields: "name")
        }
        type CompositeID { one: ID! two: ID! three: ID! }`,
      resolvers: {
        Query: { b: () => ({ id: '100', a: ['1'] }) },
        B: {
          a: ({ a }: { a: string[] }) =>
            a.map((id) => ({ id, pId: A_DATA[id].pId, compositeId: A_DATA[id].compositeId })),
        },
        A: {
          // As in the audit: found by id, which only the resolvable key (id compositeId { two three }) carries.
          __resolveReference: (ref: { id?: string; name?: string }) => {
            const a = ref.id === undefined ? undefined : A_DATA[ref.id];
            return a ? { ...a, name: ref.name } : null;
          },
          nameInB: ({ name }: { name?: string }) => {
            if (!name) throw new Error('A.name was not provided');
            return `b.a.nameInB ${name}`;
          },
        },
      } as Resolvers,
    },
  ],
};

const BREAD = { __typename: 'Bread', id: 'p1', name: 'Bread' };

const nonResolvableInterfaceObject: AuditCase = {
  subgraphs: [
    {
      name: 'a',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])
        interface Node @key(fields: "id") { id: ID! }
        type Product @key(fields: "id", resolvable: false) @interfaceObject { id: ID! }
        type Query { a: Node product: Product! }`,
      resolvers: {
        Query: { a: () => ({ __typename: 'Node', id: 'n1' }), product: () => ({ id: 'p1' }) },
      } as Resolvers,
    },
    {
      name: 'b',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])
        type Node @key(fields: "id", resolvable: false) @interfaceObject { id: ID! field: String }
        interface Product @key(fields: "id") { id: ID! }
        type Bread implements Product @key(fields: "id") { id: ID! name: String! }
        type Query { b: Node }`,
      resolvers: {
        Query: { b: () => ({ id: 'n1', field: 'foo' }) },
        Product: { __resolveReference: (ref: { id: string }) => (ref.id === BREAD.id ? BREAD : null) },
        Bread: { __resolveReference: (ref: { id: string }) => (ref.id === BREAD.id ? BREAD : null) },
      } as Resolvers,
    },
  ],
};

afterAll(stopAll);

test('keys-mashup: after @requires, subgraph b is re-entered with its resolvable key', async () => {
  const gql = await serve(keysMashup);
  expect(await gql('{ b { id a { id name nameInB } } }')).toEqual({
    data: { b: { id: '100', a: [{ id: '1', name: 'a.1', nameInB: 'b.a.nameInB a.1' }] } },
  });
});

test('non-resolvable-interface-object: a field no subgraph can reach is an error, not a silent {}', async () => {
  const gql = await serve(nonResolvableInterfaceObject);
  expect(await gql('{ a { field } }')).toEqual({
    errors: [
      {
        message: 'Cannot query field "a": no subgraph can resolve it for this operation',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      },
    ],
  });
  // What the planner can reach still works, and operations with nothing to fetch still answer.
  expect(await gql('{ b { id field } }')).toEqual({ data: { b: { id: 'n1', field: 'foo' } } });
  expect(await gql('{ __typename }')).toEqual({ data: { __typename: 'Query' } });
  expect(await gql('{ b @skip(if: true) { id } }')).toEqual({ data: {} });
  // Subgraph a has only a non-resolvable key for Product: the patch must still plan through it
  // (audit case #6, which a stricter version of the patch broke).
  expect(await gql('{ product { ... on Bread { id } } }')).toEqual({ data: { product: { id: 'p1' } } });
});
