/**
 * The compiled shaper against @apollo/gateway's own `computeResponse` (the reference engine's
 * shaping): same data and same errors for valid data, invalid leaves, nulls in non-null positions
 * (bubbling to the nearest nullable parent), lists, abstract types, aliases and skip/include.
 */
import { buildSchema, operationFromDocument } from '@apollo/federation-internals';
import { computeResponse } from '@apollo/gateway/dist/resultShaping';
import { parse } from 'graphql';
import { compileShaper } from '../../engine/shape/shape';

const schema = buildSchema(`
  interface Node { id: ID! }
  type Book implements Node { id: ID!  title: String!  pages: Int  tags: [String!] }
  type Shelf implements Node { id: ID!  books: [Book!]!  label: String }
  enum Color { RED GREEN }
  type Query { node: Node  shelf: Shelf  color: Color  total: Float  n: Int! }
`);

const noIntrospection = () => {
  throw new Error('no introspection in this test');
};

function both(query: string, input: Record<string, unknown>, variables: Record<string, unknown> = {}) {
  const operation = operationFromDocument(schema, parse(query), { validate: false });
  const ours = compileShaper(operation, noIntrospection)(structuredClone(input), variables);
  const reference = computeResponse({
    operation,
    variables,
    input: structuredClone(input),
    introspectionHandling: noIntrospection,
  });
  const plain = (r: { data: unknown; errors: { message: string; path?: unknown }[] }) =>
    JSON.parse(
      JSON.stringify({ data: r.data, errors: r.errors.map((e) => ({ message: e.message, path: e.path })) }),
    );
  return { ours: plain(ours), reference: plain(reference as never) };
}

const SHELF = {
  shelf: {
    __typename: 'Shelf',
    id: 's1',
    label: 'Luật',
    books: [
      { __typename: 'Book', id: 'b1', title: 'Đất đai', pages: 300, tags: ['a'] },
      { __typename: 'Book', id: 'b2', title: 'Nhà ở', pages: 120, tags: null },
    ],
  },
};

test.each([
  ['valid data, aliases and __typename', '{ shelf { kind: __typename label books { id t: title } } }', SHELF],
  [
    'an invalid leaf becomes null with an error',
    '{ shelf { books { id pages } } }',
    { shelf: { books: [{ id: 'b1', pages: 'many' }] } },
  ],
  [
    'a null non-null field nulls its object, then the non-null list, then the nullable parent',
    '{ shelf { label books { id title } } }',
    { shelf: { label: 'x', books: [{ id: 'b1', title: null }] } },
  ],
  ['a null non-null root field nulls data', '{ n }', { n: null }],
  ['enums and floats are checked', '{ color total }', { color: 'BLUE', total: 1.5 }],
  [
    'abstract types by __typename',
    '{ node { id ... on Book { title } ... on Shelf { label } } }',
    { node: { __typename: 'Shelf', id: 's1', label: 'L' } },
  ],
  [
    'integers that are not integral',
    '{ n shelf { books { pages } } }',
    { n: 1.5, shelf: { books: [{ pages: 2 }] } },
  ],
])('%s: same as computeResponse', (_name, query, input) => {
  const { ours, reference } = both(query, input);
  expect(ours).toEqual(reference);
});

test('skip and include read variables and defaults', () => {
  const query =
    'query ($a: Boolean = true, $b: Boolean!) { shelf { label @include(if: $a) id @skip(if: $b) } }';
  for (const variables of [{ b: true }, { a: false, b: false }]) {
    const { ours, reference } = both(query, SHELF, variables);
    expect(ours).toEqual(reference);
  }
  expect(both(query, SHELF, { b: true }).ours).toEqual({ data: { shelf: { label: 'Luật' } }, errors: [] });
});

test('what the client sees when a non-null field is null', () => {
  const { ours } = both('{ shelf { label books { id title } } }', {
    shelf: { label: 'x', books: [{ id: 'b1', title: null }] },
  });
  expect(ours).toEqual({
    data: { shelf: null },
    errors: [
      {
        message: 'Cannot return null for non-nullable field Book.title.',
        path: ['shelf', 'books', 0, 'title'],
      },
    ],
  });
});

test('response names that are Object.prototype properties are read and written as own properties', () => {
  const query =
    '{ shelf { constructor: label toString: label books { valueOf: title hasOwnProperty: id } } }';
  const input = {
    shelf: {
      constructor: 'Luật',
      toString: 'L',
      books: [{ valueOf: 'Đất đai', hasOwnProperty: 'b1' }],
    },
  };
  const { ours, reference } = both(query, input);
  expect(ours).toEqual(reference);
  expect(ours.data).toEqual({
    shelf: { constructor: 'Luật', toString: 'L', books: [{ valueOf: 'Đất đai', hasOwnProperty: 'b1' }] },
  });
  // Missing from the data: null, not the inherited function.
  expect(both('{ shelf { constructor: label } }', { shelf: {} }).ours.data).toEqual({
    shelf: { constructor: null },
  });
});
