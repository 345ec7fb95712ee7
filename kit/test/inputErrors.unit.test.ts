/**
 * Request errors about a value name the argument's path (kit/runtime/inputErrors.ts over common/inputPath.ts):
 * literals and variables, arguments and input fields, lists, our scalars and the built-in types.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, validate } from 'graphql';
import type { GraphQLError } from 'graphql';
import { formatInputError } from '../runtime/inputErrors';
import { DateScalar } from '../runtime/scalars';

const schema = buildSubgraphSchema({
  typeDefs: parse(`
    scalar Date
    input PeriodInput { from: Date! to: Date! }
    input ResultInput { on: Date! }
    input ChangeInput { date: Date! results: [ResultInput!] }
    type Query { stats(period: PeriodInput!): Int page(first: Int): Int }
    type Mutation { change(input: ChangeInput!): Int }
  `),
  resolvers: { Date: DateScalar } as never,
});

/** The client's form of each error of `query` (validation first, then execution as graphql-js runs them). */
function errorsOf(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const invalid = validate(schema, document);
  const errors: readonly GraphQLError[] = invalid.length
    ? invalid
    : ((execute({ schema, document, variableValues: variables }) as { errors?: GraphQLError[] }).errors ??
      []);
  return errors.map((e) => formatInputError(e) ?? { unmapped: e.message });
}

test('a literal our scalar refuses: BAD_USER_INPUT naming the input field, with the reason (not "field=Date")', () => {
  expect(errorsOf('{ stats(period: { from: "2026-02-30", to: "2026-03-31" }) }')).toEqual([
    {
      message: 'period.from: "2026-02-30" is not a calendar date (February 2026 has 28 days)',
      locations: [{ line: 1, column: 25 }],
      extensions: { code: 'BAD_USER_INPUT', field: 'period.from' },
    },
  ]);
});

test('a variable our scalar refuses, deep in an input and a list: the path under the argument, not the variable', () => {
  const query = 'mutation($i: ChangeInput!) { change(input: $i) }';
  const variables = { i: { date: '2024-01-01', results: [{ on: '2024-01-02' }, { on: '0000-01-01' }] } };
  expect(errorsOf(query, variables)).toEqual([
    {
      message: 'input.results[1].on: year 0 is outside 1900–2100',
      locations: [{ line: 1, column: 10 }],
      extensions: { code: 'BAD_USER_INPUT', field: 'input.results[1].on' },
    },
  ]);
});

test('a variable used inside an object literal is named by where it is used', () => {
  expect(
    errorsOf('query($d: Date!) { stats(period: { from: "2024-01-01", to: $d }) }', { d: '2024-02-30' }),
  ).toEqual([
    {
      message: 'period.to: "2024-02-30" is not a calendar date (February 2024 has 29 days)',
      locations: [{ line: 1, column: 7 }],
      extensions: { code: 'BAD_USER_INPUT', field: 'period.to' },
    },
  ]);
});

test('built-in types: a variable is BAD_USER_INPUT, a literal GRAPHQL_VALIDATION_FAILED, both naming the argument', () => {
  expect(errorsOf('query($n: Int) { page(first: $n) }', { n: 2 ** 31 })).toEqual([
    {
      message: 'first: Int cannot represent non 32-bit signed integer value: 2147483648',
      locations: [{ line: 1, column: 7 }],
      extensions: { code: 'BAD_USER_INPUT', field: 'first' },
    },
  ]);
  expect(errorsOf('{ page(first: 2147483648) }')).toEqual([
    {
      message: 'first: Int cannot represent non 32-bit signed integer value: 2147483648',
      locations: [{ line: 1, column: 15 }],
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', field: 'first' },
    },
  ]);
  expect(errorsOf('{ stats(period: { from: "2024-01-01" }) }')).toEqual([
    {
      message: 'period.to: Field "PeriodInput.to" of required type "Date!" was not provided.',
      locations: [{ line: 1, column: 17 }],
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', field: 'period.to' },
    },
  ]);
});

test('a required variable left out is BAD_USER_INPUT naming the argument it feeds', () => {
  expect(errorsOf('query($d: Date!) { stats(period: { from: $d, to: $d }) }')).toEqual([
    {
      message: 'period.from: Variable "$d" of required type "Date!" was not provided.',
      locations: [{ line: 1, column: 7 }],
      extensions: { code: 'BAD_USER_INPUT', field: 'period.from' },
    },
  ]);
});

test('errors that are not about a value are left to the server', () => {
  expect(errorsOf('{ nope }')).toEqual([{ unmapped: 'Cannot query field "nope" on type "Query".' }]);
});
