/** The limits feature's counting: tokens, the shape of a document, and the cost estimate. */
import { buildSchema, parse } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import { estimateCost, exceedsTokens, measure } from '../features/limits';
import { asksIntrospection } from '../features/schemaVisibility';

const schema = buildSchema(`
  type Query { documents(first: Int): DocumentConnection! tags: [String!]! agency: Agency }
  type DocumentConnection { nodes: [Document!]! totalCount: Int! }
  type Document { id: ID! recipients: [Agency!]! issuer: Agency! }
  type Agency { name: String! parent: Agency children: [Agency!]! }
`);

function cost(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  const operation = document.definitions.find(
    (d) => d.kind === 'OperationDefinition',
  ) as OperationDefinitionNode;
  return estimateCost(schema, document, operation, variables, 10);
}

test('tokens: short documents are never lexed; long ones are counted up to the limit', () => {
  expect(exceedsTokens('{a}', 3)).toBe(false); // as short as the limit: cannot exceed it
  expect(exceedsTokens('{ a b c }', 4)).toBe(true);
  expect(exceedsTokens(`{ ${'a '.repeat(100)}}`, 101)).toBe(true);
  expect(exceedsTokens(`{ ${'a '.repeat(100)}}`, 102)).toBe(false);
  expect(exceedsTokens('"unterminated', 3)).toBe(false); // the parser reports syntax errors
});

test('shape: depth counts fields (fragments expanded, cycles cut), aliases, root fields and directives', () => {
  const s = measure(
    parse(`query Q @a { x: agency { ...F } y: agency { name @b } }
      fragment F on Agency { parent { parent { name } } ...G }
      fragment G on Agency { ...F }`),
  );
  expect(s).toEqual({ depth: 4, aliases: 2, rootFields: 2, directives: 2 });
  expect(measure(parse('{ __schema { types { fields { name } } } }')).depth).toBe(0);
});

test('cost: first sizes a connection’s nodes; other lists count the default size', () => {
  expect(cost('{ agency { name } }')).toBe(1);
  expect(cost('{ documents(first: 20) { totalCount nodes { id } } }')).toBe(1 + 20 * 1);
  expect(cost('{ documents(first: 20) { nodes { issuer { name } } } }')).toBe(1 + 20 * (1 + 1));
  expect(cost('{ documents(first: 20) { nodes { recipients { name } } } }')).toBe(1 + 20 * (1 + 10));
  expect(cost('query($n: Int) { documents(first: $n) { nodes { id } } }', { n: 500 })).toBe(1 + 500);
  expect(cost('{ documents { nodes { id } } }')).toBe(1 + 10);
  expect(cost('{ agency { children { children { name } } } }')).toBe(1 + 10 * (1 + 10));
  expect(cost('{ ... on Query { agency { name } } }')).toBe(1);
});

test('introspection is spotted anywhere, __typename is not introspection', () => {
  expect(asksIntrospection(parse('{ __schema { types { name } } }'))).toBe(true);
  expect(asksIntrospection(parse('{ ...F } fragment F on Query { __type(name: "X") { name } }'))).toBe(true);
  expect(asksIntrospection(parse('{ ... on Query { __type(name: "Agency") { name } } }'))).toBe(true);
  expect(asksIntrospection(parse('{ __typename agency { __typename } }'))).toBe(false);
});
