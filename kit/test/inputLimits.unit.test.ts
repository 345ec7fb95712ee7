/**
 * Bounded input lists (kit/runtime/inputLimits.ts; issue 14, finding 5): every list input of every registered
 * subgraph declares `@maxItems`, and a longer list — inline, in variables, nested — is refused with
 * BAD_USER_INPUT naming its path.
 */
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';
import { loadRegistry, ROOT } from '../../schema/registry';
import { checkInputLimits, unboundedListInputs } from '../runtime/inputLimits';
import { subgraphSdl, withSharedSdl } from '../runtime/sdl';

const LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])';

const fixture = buildSubgraphSchema(
  parse(
    withSharedSdl(`${LINK}
type Query {
  agencies(codes: [ID!]! @maxItems(n: 3), tags: [String!]): [String!]!
}
type Mutation { plan(input: PlanInput!): Int! }
input PlanInput { name: String steps: [StepInput!]! @maxItems(n: 2) }
input StepInput { notes: [String!] @maxItems(n: 2) matrix: [[Int!]!] @maxItems(n: 1) }`),
  ),
);

describe('every list input of every registered subgraph has a maximum', () => {
  test.each(loadRegistry().map((e) => [e.name, e] as const))('%s', (_name, entry) => {
    const schema = buildSubgraphSchema(parse(subgraphSdl(path.join(ROOT, entry.dir), entry.name)));
    expect(unboundedListInputs(schema)).toEqual([]);
  });

  test('the walk finds a list input without one (arguments and input fields alike)', () => {
    expect(unboundedListInputs(fixture)).toEqual(['Query.agencies(tags:)']);
    const more = buildSubgraphSchema(
      parse(
        withSharedSdl(`${LINK}
type Query { a(x: [Int]): Int }
input Filter { ids: [ID!]! }
type Mutation { b(f: Filter): Int }`),
      ),
    );
    expect(unboundedListInputs(more)).toEqual(['Filter.ids', 'Query.a(x:)']);
  });
});

/** The BAD_USER_INPUT a check throws, as [field, message]; null when it passes. */
function refusal(query: string, variables?: Record<string, unknown>): [unknown, string] | null {
  try {
    checkInputLimits(fixture, parse(query), variables);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    const e = error as GraphQLError;
    expect(e.extensions.code).toBe('BAD_USER_INPUT');
    return [e.extensions.field, e.message];
  }
}

describe('a list over its maximum is refused, naming its path', () => {
  test('an argument, inline or in a variable', () => {
    expect(refusal('{ agencies(codes: ["a", "b", "c"]) }')).toBeNull();
    expect(refusal('{ agencies(codes: ["a", "b", "c", "d"]) }')).toEqual([
      'codes',
      'codes: at most 3 items, got 4',
    ]);
    const q = 'query Q($c: [ID!]!) { agencies(codes: $c) }';
    expect(refusal(q, { c: ['a', 'b'] })).toBeNull();
    expect(refusal(q, { c: Array.from({ length: 30_000 }, (_, i) => String(i)) })).toEqual([
      'codes',
      'codes: at most 3 items, got 30000',
    ]);
  });

  test('an input field, and a list inside a list item, inline or in variables at any depth', () => {
    expect(refusal('mutation { plan(input: { steps: [{}, {}, {}] }) }')).toEqual([
      'input.steps',
      'input.steps: at most 2 items, got 3',
    ]);
    expect(
      refusal('mutation { plan(input: { steps: [{ notes: ["a"] }, { notes: ["a", "b", "c"] }] }) }'),
    ).toEqual(['input.steps[1].notes', 'input.steps[1].notes: at most 2 items, got 3']);
    const whole = 'mutation M($i: PlanInput!) { plan(input: $i) }';
    expect(refusal(whole, { i: { steps: [{ notes: ['a', 'b'] }, {}] } })).toBeNull();
    expect(refusal(whole, { i: { steps: [{}, { matrix: [[1], [2]] }] } })).toEqual([
      'input.steps[1].matrix',
      'input.steps[1].matrix: at most 1 item, got 2',
    ]);
    const part = 'mutation M($s: [StepInput!]!) { plan(input: { name: "x", steps: $s }) }';
    expect(refusal(part, { s: [{}, {}, {}] })).toEqual([
      'input.steps',
      'input.steps: at most 2 items, got 3',
    ]);
    const item = 'mutation M($n: [String!]) { plan(input: { steps: [{ notes: $n }] }) }';
    expect(refusal(item, { n: ['a', 'b', 'c'] })).toEqual([
      'input.steps[0].notes',
      'input.steps[0].notes: at most 2 items, got 3',
    ]);
  });

  test('a single value given for a list counts as one item; null and absent values pass', () => {
    expect(refusal('{ agencies(codes: "a") }')).toBeNull();
    expect(refusal('mutation M($i: PlanInput!) { plan(input: $i) }', { i: { steps: 'x' } })).toBeNull();
    expect(refusal('mutation M($i: PlanInput) { plan(input: $i) }', {})).toBeNull();
    expect(refusal('mutation { plan(input: { steps: null }) }')).toBeNull();
  });

  test('fragments are checked too', () => {
    expect(refusal('query { ...F } fragment F on Query { agencies(codes: ["a","b","c","d"]) }')).toEqual([
      'codes',
      'codes: at most 3 items, got 4',
    ]);
  });
});
