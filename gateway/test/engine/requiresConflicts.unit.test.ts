import { Supergraph } from '@apollo/federation-internals';
import { parse, print } from 'graphql';
import { composeSupergraph } from '../../../schema/compose';
import { requiresConflicts, splitRequiresConflicts } from '../../engine/plan/requiresConflicts';

const supergraph = Supergraph.build(
  composeSupergraph([
    {
      name: 'a',
      url: 'http://a',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])
        type Product @key(fields: "upc") {
          upc: String!
          price(currency: String!): Int @external
          weight: Int @external
          usd: Int @requires(fields: "price(currency: \\"USD\\")")
          eur: Int @requires(fields: "price(currency: \\"EUR\\") weight")
          alsoUsd: Int @requires(fields: "price(currency: \\"USD\\") weight")
        }
        type Mutation { touch: Product }`,
    },
    {
      name: 'b',
      url: 'http://b',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { products: [Product] }
        type Product @key(fields: "upc") { upc: String! price(currency: String!): Int weight: Int }`,
    },
  ]),
);
const conflicts = requiresConflicts(supergraph);
const schema = supergraph.apiSchema().toGraphQLJSSchema();
const split = (query: string) => splitRequiresConflicts(parse(query), schema, conflicts).map((d) => print(d));

test('fields whose @requires select one field with other arguments conflict; same arguments do not', () => {
  expect(conflicts.get('Product')).toEqual(
    new Map([
      ['usd', new Set(['eur'])],
      ['eur', new Set(['usd', 'alsoUsd'])],
      ['alsoUsd', new Set(['eur'])],
    ]),
  );
});

test('a query selecting conflicting fields is planned in variants, compatible fields together', () => {
  expect(split('{ products { upc usd eur alsoUsd } }')).toEqual([
    print(parse('{ products { upc usd alsoUsd } }')),
    print(parse('{ products { upc eur } }')),
  ]);
  // Through fragments too (grouped in document order); a selection set left empty selects __typename.
  expect(split('{ products { ...A ... on Product { eur } } } fragment A on Product { usd }')).toEqual([
    print(parse('{ products { ...A ... on Product { eur } } } fragment A on Product { __typename }')),
    print(parse('{ products { ...A ... on Product { __typename } } } fragment A on Product { usd }')),
  ]);
});

test('queries without a conflict and mutations are planned as they are', () => {
  const document = parse('{ products { usd alsoUsd } }');
  expect(splitRequiresConflicts(document, schema, conflicts)).toEqual([document]);
  const mutation = parse('mutation { touch { usd eur } }');
  expect(splitRequiresConflicts(mutation, schema, conflicts)).toEqual([mutation]);
});
