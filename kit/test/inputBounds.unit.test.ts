/**
 * Text bounds every field gets (kit/runtime/inputBounds.ts) and strict cursor parts (kit/runtime/pagination.ts): blank
 * and overlong strings are refused naming their path before the resolver runs; a cursor part that no
 * column could hold is not a position.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse } from 'graphql';
import { boundTextInputs, MAX_ID_LENGTH, MAX_STRING_LENGTH } from '../runtime/inputBounds';
import { cursorPart } from '../runtime/pagination';

let calls = 0;
const schema = buildSubgraphSchema({
  typeDefs: parse(`
    input HolderInput { name: String! note: String }
    input ChangeInput { id: ID! holders: [HolderInput!] tags: [String!] }
    type Query { find(code: ID!, first: Int): Int }
    type Mutation { change(input: ChangeInput!): Int }
  `),
  resolvers: { Query: { find: () => ++calls }, Mutation: { change: () => ++calls } } as never,
});
boundTextInputs(schema);

function run(query: string, variables: Record<string, unknown> = {}) {
  const r = execute({ schema, document: parse(query), variableValues: variables }) as {
    errors?: { message: string; extensions: Record<string, unknown> }[];
  };
  return r.errors?.map((e) => ({ message: e.message, field: e.extensions.field })) ?? [];
}

test('blank and overlong text is refused naming its path, before the resolver runs', () => {
  calls = 0;
  const M = 'mutation($i: ChangeInput!) { change(input: $i) }';
  expect(run('{ find(code: "  ") }')).toEqual([
    { message: 'code: must not be blank (leave it out instead)', field: 'code' },
  ]);
  expect(run(M, { i: { id: '1', holders: [{ name: 'An' }, { name: 'Bình', note: '' }] } })).toEqual([
    {
      message: 'input.holders[1].note: must not be blank (leave it out instead)',
      field: 'input.holders[1].note',
    },
  ]);
  expect(run(M, { i: { id: 'x'.repeat(MAX_ID_LENGTH + 1) } })).toEqual([
    { message: 'input.id: must be at most 200 characters', field: 'input.id' },
  ]);
  expect(run(M, { i: { id: '1', tags: ['a', 'x'.repeat(MAX_STRING_LENGTH + 1)] } })).toEqual([
    { message: 'input.tags[1]: must be at most 10,000 characters', field: 'input.tags[1]' },
  ]);
  expect(calls).toBe(0);
  expect(run(M, { i: { id: 'x'.repeat(MAX_ID_LENGTH), tags: ['x'.repeat(MAX_STRING_LENGTH)] } })).toEqual([]);
  expect(run('{ find(code: "000.00.46.H62", first: 5) }')).toEqual([]);
  expect(calls).toBe(2);
});

test('cursor parts: only what the column could hold', () => {
  expect([2_147_483_647, -1, 0].map(cursorPart.int)).toEqual([true, true, true]);
  expect([2_147_483_648, 1e21, 1.5, '1'].map(cursorPart.int)).toEqual([false, false, false, false]);
  expect([1, 2 ** 53 - 1].map(cursorPart.id)).toEqual([true, true]);
  expect([0, -1, 2 ** 53, '7'].map(cursorPart.id)).toEqual([false, false, false, false]);
  expect(['2024-02-29', '1900-01-01', '2100-12-31'].map(cursorPart.date)).toEqual([true, true, true]);
  expect(['2023-02-29', '0000-01-01', '1899-12-31', '2024-1-1'].map(cursorPart.date)).toEqual([
    false,
    false,
    false,
    false,
  ]);
  expect(['2024-03-14T01:30:00.000Z', '2024-03-14 08:30:00+07'].map(cursorPart.instant)).toEqual([
    true,
    true,
  ]);
  expect(
    ['2026-02-30T03:00:00.000Z', '0000-01-01T00:00:00Z', '1', '2024-03-14T24:00:00Z'].map(cursorPart.instant),
  ).toEqual([false, false, false, false]);
  expect([
    cursorPart.text()('x'.repeat(200)),
    cursorPart.text()('x'.repeat(201)),
    cursorPart.text()(1),
  ]).toEqual([true, false, false]);
});
