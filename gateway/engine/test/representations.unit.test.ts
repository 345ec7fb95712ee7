/**
 * Representation keys read straight from entities must dedupe exactly as keying the JSON of the
 * built representation did: two entities share a key if and only if their representations are
 * equal, and an entity gets no key when its representation is null or has no `__typename`.
 */
import type { FetchNode, QueryPlanSelectionNode } from '@apollo/query-planner';
import { buildSchema } from 'graphql';
import { deepMerge, representationKeyOf, selectRepresentation } from '../representations';

const schema = buildSchema(`
  interface Node { id: ID! }
  type Product implements Node { id: ID!  upc: String!  price: Int  weight: Int  tags: [String] }
  type User implements Node { id: ID!  name: String }
  type Query { node: Node }
`);

const field = (name: string, selections?: QueryPlanSelectionNode[]): QueryPlanSelectionNode =>
  ({ kind: 'Field', name, ...(selections && { selections }) }) as QueryPlanSelectionNode;
const on = (typeCondition: string | undefined, selections: QueryPlanSelectionNode[]) =>
  ({ kind: 'InlineFragment', typeCondition, selections }) as QueryPlanSelectionNode;
const fetchOf = (requires: QueryPlanSelectionNode[]) => ({ requires }) as unknown as FetchNode;

/** The key the engine used before: the JSON of the built representation. */
function reference(fetch: FetchNode, entity: Record<string, unknown>): string | null {
  const representation = selectRepresentation(schema, entity, fetch.requires!);
  return representation && representation.__typename ? JSON.stringify(representation) : null;
}

const ENTITIES: Record<string, unknown>[] = [
  { __typename: 'Product', upc: '1', price: 10, weight: 2 },
  { __typename: 'Product', upc: '1', price: 10, weight: 2, extra: 'ignored' },
  { weight: 2, price: 10, upc: '1', __typename: 'Product' },
  { __typename: 'Product', upc: '1', price: 10 },
  { __typename: 'Product', upc: '1', price: null, weight: 2 },
  { __typename: 'Product', upc: '1', price: '10', weight: 2 },
  { __typename: 'Product', upc: '10', price: 1, weight: 2 },
  { __typename: 'Product', upc: '1:n1;', price: 0, weight: 2 },
  { __typename: 'Product', upc: 'a"b', price: 0, weight: 2 },
  { __typename: 'Product', upc: '1', price: true, weight: { kg: 2 } },
  { __typename: 'Product', upc: '1', price: false, weight: [2] },
  { __typename: 'Product', upc: '2' },
  { __typename: 'User', id: 'u1', name: 'An' },
  { __typename: 'User', id: 'u1' },
  { __typename: 'User', id: 'u2', name: 'An' },
  { upc: '1', price: 10, weight: 2 },
  { __typename: '', upc: '1' },
  { __typename: 'Unknown', upc: '1', id: 'u1' },
];

const REQUIRES: Record<string, QueryPlanSelectionNode[]> = {
  'one fragment': [on('Product', [field('__typename'), field('upc')])],
  'fragment with a partial field list': [
    on('Product', [field('__typename'), field('price'), field('weight'), field('upc')]),
  ],
  'top-level fields': [field('__typename'), field('upc')],
  'top-level typename and fragments': [
    field('__typename'),
    on('Product', [field('upc'), field('price')]),
    on('User', [field('id'), field('name')]),
  ],
  'abstract type condition': [on('Node', [field('__typename'), field('id')])],
  'fragment without a type condition': [field('__typename'), on(undefined, [field('upc')])],
  'nested selection (built and keyed by JSON)': [
    on('Product', [field('__typename'), field('upc'), field('weight', [field('kg')])]),
  ],
  'repeated name (built and keyed by JSON)': [
    field('__typename'),
    on('Product', [field('__typename'), field('upc')]),
  ],
};

describe('representation keys', () => {
  for (const [label, requires] of Object.entries(REQUIRES)) {
    it(`dedupe exactly as the representations' JSON: ${label}`, () => {
      const fetch = fetchOf(requires);
      const keyOf = representationKeyOf(fetch);
      for (const a of ENTITIES) {
        const key = keyOf(schema, a);
        expect(key === null).toBe(reference(fetch, a) === null);
        for (const b of ENTITIES) {
          if (key === null || reference(fetch, b) === null) continue;
          expect([a, b, key === keyOf(schema, b)]).toEqual([
            a,
            b,
            reference(fetch, a) === reference(fetch, b),
          ]);
        }
      }
    });
  }

  it('key the JSON of the built representation when the plan rewrites inputs', () => {
    const fetch = {
      requires: [on('Product', [field('__typename'), field('upc')])],
      inputRewrites: [{ kind: 'ValueSetter', path: ['... on Product', '__typename'], setValueTo: 'Node' }],
    } as unknown as FetchNode;
    const key = representationKeyOf(fetch)(schema, { __typename: 'Product', upc: '1' });
    expect(key).toBe(JSON.stringify({ __typename: 'Product', upc: '1' }));
  });
});

describe('deepMerge', () => {
  it('merges nested objects and equal-length lists in place', () => {
    const target = { a: { x: 1 }, list: [{ y: 1 }, 2], keep: 'k' };
    deepMerge(target, { a: { z: 2 }, list: [{ w: 3 }, 4], added: undefined, n: null });
    expect(target).toEqual({ a: { x: 1, z: 2 }, list: [{ y: 1, w: 3 }, 4], keep: 'k', n: null });
  });

  it('makes inherited names own properties instead of writing through the prototype', () => {
    const target: Record<string, unknown> = {};
    deepMerge(target, JSON.parse('{"constructor": {"name": "x"}, "__proto__": {"polluted": true}}'));
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect(Object.keys(target)).toEqual(['constructor', '__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(target, 'constructor')?.value).toEqual({ name: 'x' });
  });
});
