/**
 * The cost estimate reads `@cost` and `@listSize` from the supergraph (gateway/features/limits/cost.ts): weights of
 * fields and types, slicing arguments (given, from a variable, or defaulted), assumed sizes and sized
 * fields of connections; fields without them keep the first/last/limit rule.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, parse } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import { composeSupergraph } from '../../schema/compose';
import { estimateCost, jsonListItems, readCostAnnotations } from '../features/limits/cost';

const TYPES = `
type Query {
  documents(first: Int = 20, after: String): DocumentConnection!
  search(query: String!, first: Int = 20): DocumentConnection!
  units(level: Int): [Unit!]!
  recent(first: Int, last: Int): [Document!]!
  plain(first: Int): DocumentConnection!
}
type Mutation { split(input: SplitInput!): [Document!]! tag(ids: [ID!]!, labels: [String!]): Int! }
input SplitInput { parcelIds: [ID!]! results: [ResultInput!] note: String }
input ResultInput { area: String! holders: [String!] }
type DocumentConnection { edges: [DocumentEdge!]! nodes: [Document!]! total: Int! }
type DocumentEdge { cursor: String! node: Document! }
type Document { id: ID! score: Float! unit: Unit! related(ids: [ID!]): Int! }
type Unit { name: String! children: [Unit!]! }
`;

const SUBGRAPH = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@cost", "@listSize"])
type Query {
  documents(first: Int = 20, after: String): DocumentConnection!
    @listSize(slicingArguments: ["first"], sizedFields: ["edges", "nodes"])
  search(query: String!, first: Int = 20): DocumentConnection!
    @listSize(slicingArguments: ["first"], sizedFields: ["edges", "nodes"]) @cost(weight: 5)
  units(level: Int): [Unit!]! @listSize(assumedSize: 50)
  recent(first: Int, last: Int): [Document!]! @listSize(slicingArguments: ["first", "last"], requireOneSlicingArgument: false)
  plain(first: Int): DocumentConnection!
}
type DocumentConnection { edges: [DocumentEdge!]! nodes: [Document!]! total: Int! }
type DocumentEdge { cursor: String! node: Document! }
type Document { id: ID! score: Float! @cost(weight: 2) unit: Unit! }
type Unit @cost(weight: 3) { name: String! children: [Unit!]! }
`;

const schema = buildSchema(TYPES);
const annotations = readCostAnnotations(
  composeSupergraph([{ name: 's', url: 'http://s', typeDefs: SUBGRAPH }]),
);

function cost(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  const operation = document.definitions[0] as OperationDefinitionNode;
  return estimateCost(schema, document, operation, variables, 10, annotations);
}

test('the annotations are read from the composed supergraph', () => {
  expect(annotations.weights).toEqual(
    new Map([
      ['Query.search', 5],
      ['Document.score', 2],
      ['Unit', 3],
    ]),
  );
  expect(annotations.listSizes.get('Query.units')).toEqual({ assumedSize: 50 });
  expect(annotations.listSizes.get('Query.documents')).toMatchObject({
    slicingArguments: ['first'],
    sizedFields: ['edges', 'nodes'],
  });
});

test('slicing arguments size the connection’s sized fields: given, from a variable, or defaulted', () => {
  expect(cost('{ documents(first: 5) { nodes { id } } }')).toBe(1 + 5 * 1);
  expect(cost('query($n: Int) { documents(first: $n) { edges { node { id } } } }', { n: 40 })).toBe(
    1 + 40 * (1 + 1),
  );
  // No `first` given: its default (20), not the global 10.
  expect(cost('{ documents { nodes { id } } }')).toBe(1 + 20);
  // `total` is not a sized field.
  expect(cost('{ documents(first: 5) { total } }')).toBe(1);
});

test('@cost weights a field or every field returning a type; the largest slicing argument wins', () => {
  expect(cost('{ search(query: "x", first: 10) { nodes { id } } }')).toBe(5 + 10 * 1);
  expect(cost('{ documents(first: 2) { nodes { score } } }')).toBe(1 + 2 * (1 + 2));
  expect(cost('{ documents(first: 2) { nodes { unit { name } } } }')).toBe(1 + 2 * (1 + 3));
  expect(cost('{ recent(first: 3, last: 7) { id } }')).toBe(7);
});

test('assumedSize sizes a list without slicing arguments; unannotated fields keep the first/limit rule', () => {
  expect(cost('{ units { name } }')).toBe(50 * 3);
  expect(cost('{ units { children { name } } }')).toBe(50 * (3 + 10 * 3));
  expect(cost('{ plain(first: 30) { nodes { id } } }')).toBe(1 + 30);
  expect(cost('{ plain { nodes { id } } }')).toBe(1 + 10);
});

test('the committed supergraph annotates the big lists of every subgraph', () => {
  const real = readCostAnnotations(
    readFileSync(path.join(__dirname, '../../schema/supergraph.graphql'), 'utf8'),
  );
  for (const field of [
    'Query.documents',
    'Query.searchDocuments',
    'Query.dossiers',
    'Query.procedures',
    'Query.budgetLines',
    'Query.landParcels',
    'Query.officials',
    'Query.messages',
  ])
    expect([field, real.listSizes.get(field)?.slicingArguments]).toEqual([field, ['first']]);
  expect(real.weights.get('Query.searchDocuments')).toBe(5);
  expect(real.listSizes.get('Query.administrativeUnits')).toEqual({ assumedSize: 50 });
});

describe('finding 5: list values given to arguments count 1 per item, inline or in variables', () => {
  test('a mutation input: every item of every list, at any depth', () => {
    const results = Array.from({ length: 30_000 }, () => ({ area: '1' }));
    const split = 'mutation($i: SplitInput!) { split(input: $i) { id } }';
    // The returned list counts 10 (no size argument); the input 1 + 30,000.
    expect(cost(split, { i: { parcelIds: ['a'], results } })).toBe(1 + 30_000 + 10);
    expect(cost(split, { i: { parcelIds: ['a'], results: [{ area: '1', holders: ['x', 'y'] }] } })).toBe(
      1 + 1 + 2 + 10,
    );
    // Part of the input inline, part in a variable; a scalar in a list's place counts nothing.
    const mixed =
      'mutation($r: [ResultInput!]) { split(input: { parcelIds: ["a", "b"], results: $r }) { id } }';
    expect(cost(mixed, { r: [{ area: '1' }, { area: '2' }, { area: '3' }] })).toBe(2 + 3 + 10);
    expect(cost(mixed, { r: { area: '1' } })).toBe(2 + 10);
  });

  test('arguments of leaf fields, variables’ defaults, and variables given but unused', () => {
    expect(cost('mutation { tag(ids: ["a", "b", "c"], labels: ["x"]) }')).toBe(4);
    expect(cost('mutation($ids: [ID!]! = ["a", "b"]) { tag(ids: $ids) }')).toBe(2);
    expect(cost('mutation($ids: [ID!]! = ["a", "b"]) { tag(ids: $ids) }', { ids: ['a'] })).toBe(1);
    expect(cost('mutation($ids: [ID!]!, $x: [ID!]) { tag(ids: $ids) }', { ids: [], x: ['a', 'b'] })).toBe(0);
  });

  test('a list argument of a field inside a list is counted once per item of that list', () => {
    const q = 'query($n: Int, $ids: [ID!]) { documents(first: $n) { nodes { related(ids: $ids) } } }';
    expect(cost(q, { n: 3, ids: ['a', 'b'] })).toBe(1 + 3 * (1 + 2));
    expect(cost(q, { n: 100, ids: ['a', 'b'] })).toBe(1 + 100 * (1 + 2));
  });

  test('deeply nested lists in variables are counted without recursion', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(jsonListItems(deep)).toBe(100_000);
    expect(jsonListItems({ a: [1, 2, { b: [3] }], c: 'x' })).toBe(4);
  });
});
