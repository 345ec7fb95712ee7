/**
 * Representations deduplicated by the values read in place must dedupe exactly as keying the JSON
 * of each built representation did: two entities share an index if and only if their
 * representations are equal, an entity sends nothing when its representation is null or has no
 * `__typename`, and what is sent is the built representation of the first entity with it.
 */
import type { FetchNode, QueryPlanSelectionNode } from '@apollo/query-planner';
import { buildSchema } from 'graphql';
import { deepMerge, representationSet, selectRepresentation } from '../../engine/execute/representations';

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
  { __typename: 'Product', upc: '7' },
  { __typename: 'Product', id: '7' },
  { __typename: 'Product', upc: '7', id: '7' },
  { __typename: 'Product', upc: '1', price: true, weight: { kg: 2 } },
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
  'fragments that may each miss a field': [
    field('__typename'),
    on('Product', [field('upc')]),
    on('Node', [field('id')]),
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

describe('representation sets', () => {
  for (const [label, requires] of Object.entries(REQUIRES)) {
    it(`dedupe exactly as the representations' JSON: ${label}`, () => {
      const fetch = fetchOf(requires);
      for (const a of ENTITIES) {
        const alone = representationSet(fetch, schema);
        expect([a, alone.add(a) === -1]).toEqual([a, reference(fetch, a) === null]);
        if (reference(fetch, a) === null) continue;
        expect(alone.representations).toEqual([selectRepresentation(schema, a, requires)]);
        for (const b of ENTITIES) {
          if (reference(fetch, b) === null) continue;
          const set = representationSet(fetch, schema);
          const same = set.add(a) === set.add(b);
          expect([a, b, same]).toEqual([a, b, reference(fetch, a) === reference(fetch, b)]);
          expect(set.representations).toHaveLength(same ? 1 : 2);
        }
      }
    });
  }

  it('key the built, rewritten representation when the plan rewrites inputs', () => {
    const fetch = {
      requires: [on('Product', [field('__typename'), field('upc')])],
      inputRewrites: [{ kind: 'ValueSetter', path: ['... on Product', '__typename'], setValueTo: 'Node' }],
    } as unknown as FetchNode;
    const set = representationSet(fetch, schema);
    expect(set.add({ __typename: 'Product', upc: '1' })).toBe(0);
    expect(set.add({ __typename: 'Product', upc: '1', extra: true })).toBe(0);
    expect(set.add({ __typename: 'Product', upc: '2' })).toBe(1);
    expect(set.representations).toEqual([
      { __typename: 'Node', upc: '1' },
      { __typename: 'Node', upc: '2' },
    ]);
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
