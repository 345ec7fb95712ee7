import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { GraphQLInputObjectType, GraphQLScalarType } from 'graphql';
import { composeSupergraph } from '../../schema/compose';
import { scalarResolvers } from '../runtime/scalars';
import { withSharedSdl } from '../runtime/sdl';

const LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])';

const owner = withSharedSdl(`${LINK}
type Query { agencies(first: Int, after: String): AgencyPage! }
type Agency @key(fields: "code") { code: ID! stats(period: PeriodInput!): Int! since: Date }
type AgencyPage { nodes: [Agency!]! pageInfo: PageInfo! }`);

const partner = withSharedSdl(`${LINK}
type Query { permits(period: PeriodInput, first: Int): PermitPage! }
type Agency @key(fields: "code") { code: ID! permitCount(period: PeriodInput!): Int! }
type Permit { id: ID! issuedAt: DateTime! }
type PermitPage { nodes: [Permit!]! pageInfo: PageInfo! }`);

test('two subgraphs carrying the shared SDL compose (PageInfo shareable, identical inputs and scalars)', () => {
  const supergraph = composeSupergraph([
    { name: 'owner', url: 'http://owner/graphql', typeDefs: owner },
    { name: 'partner', url: 'http://partner/graphql', typeDefs: partner },
  ]);
  expect(supergraph).toMatch(/type PageInfo\s+@join__type\(graph: OWNER\)\s+@join__type\(graph: PARTNER\)/);
  expect(supergraph).toContain('input PeriodInput');
  expect(supergraph).toContain('scalar DateTime');
});

test('the shared scalars come with their resolvers', () => {
  const schema = buildSubgraphSchema({ typeDefs: parse(owner), resolvers: { ...scalarResolvers } });
  const date = schema.getType('Date') as GraphQLScalarType;
  expect(date.parseValue('2024-02-29')).toBe('2024-02-29');
  expect(() => date.parseValue('2024-02-30')).toThrow(
    '"2024-02-30" is not a calendar date (February 2024 has 29 days)',
  );
  const period = schema.getType('PeriodInput') as GraphQLInputObjectType;
  expect(Object.values(period.getFields()).map((f) => `${f.name}: ${String(f.type)}`)).toEqual([
    'from: Date!',
    'to: Date!',
  ]);
});

test('a subgraph that does not import @shareable is told so', () => {
  expect(() =>
    withSharedSdl('extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])'),
  ).toThrow(/@shareable/);
  expect(() => withSharedSdl('type Query { a: Int }')).toThrow(/@shareable/);
});
