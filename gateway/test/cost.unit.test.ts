/**
 * The cost estimate reads `@cost` and `@listSize` from the supergraph (gateway/cost.ts): weights of
 * fields and types, slicing arguments (given, from a variable, or defaulted), assumed sizes and sized
 * fields of connections; fields without them keep the first/last/limit rule.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, parse } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import { composeSupergraph } from '../../schema/compose';
import { estimateCost, readCostAnnotations } from '../cost';

const TYPES = `
type Query {
  documents(first: Int = 20, after: String): DocumentConnection!
  search(query: String!, first: Int = 20): DocumentConnection!
  units(level: Int): [Unit!]!
  recent(first: Int, last: Int): [Document!]!
  plain(first: Int): DocumentConnection!
}
type DocumentConnection { edges: [DocumentEdge!]! nodes: [Document!]! total: Int! }
type DocumentEdge { cursor: String! node: Document! }
type Document { id: ID! score: Float! unit: Unit! }
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
