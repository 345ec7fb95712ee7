/**
 * Contract schemas cut by @tag (schema/contracts.ts), on a small composed graph and on this
 * repository's own supergraph with its committed contracts file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLObjectType, GraphQLSchema } from 'graphql';
import { composeSupergraph } from './compose';
import { contractSchema, parseContractDefinitions } from './contracts';

const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@tag"])`;
const sdl = composeSupergraph([
  {
    name: 'a',
    url: 'http://a',
    typeDefs: `${LINK}
      type Query { permit(id: ID!): Permit @tag(name: "public") secret: Secret @tag(name: "internal") }
      type Permit @key(fields: "id") { id: ID! holder: String @tag(name: "internal") year: Int }
      type Secret { code: String }`,
  },
  {
    name: 'b',
    url: 'http://b',
    typeDefs: `${LINK}
      type Permit @key(fields: "id") { id: ID! fee: Int @tag(name: "billing") }`,
  },
]);
const api = (s: string) => Supergraph.build(s, { supportedFeatures: null }).apiSchema().toGraphQLJSSchema();
const fields = (schema: GraphQLSchema, type: string) =>
  Object.keys((schema.getType(type) as GraphQLObjectType | undefined)?.getFields() ?? {}).sort();

test('exclude removes tagged fields and the types only they reached', () => {
  const c = contractSchema(api(sdl), sdl, { include: [], exclude: ['internal'] });
  expect(fields(c, 'Query')).toEqual(['permit']);
  expect(fields(c, 'Permit')).toEqual(['fee', 'id', 'year']);
  expect(c.getType('Secret')).toBeUndefined();
});

test('include keeps only tagged fields of untagged types; a tag from another subgraph counts', () => {
  const c = contractSchema(api(sdl), sdl, { include: ['public', 'billing'], exclude: [] });
  expect(fields(c, 'Query')).toEqual(['permit']);
  expect(fields(c, 'Permit')).toEqual(['fee']);
});

test('a contract that leaves a type without fields removes the fields returning it', () => {
  const c = contractSchema(api(sdl), sdl, { include: ['public'], exclude: [] });
  // Permit has no field tagged "public": it goes, and Query.permit with it; nothing is left.
  expect(c.getQueryType()).toBeUndefined();
});

test("the repository's partner-dossiers contract hides budgets and mail, keeps dossiers", () => {
  const supergraph = readFileSync(path.join(__dirname, 'supergraph.graphql'), 'utf8');
  const defs = parseContractDefinitions(
    JSON.parse(readFileSync(path.join(__dirname, 'contracts.json'), 'utf8')),
  );
  const c = contractSchema(api(supergraph), supergraph, defs['partner-dossiers']!);
  expect(fields(c, 'Query')).toEqual(expect.arrayContaining(['dossier', 'dossiers', 'documents']));
  for (const hidden of ['budgetLines', 'budgetDisclosure', 'official', 'mailbox'])
    expect(fields(c, 'Query')).not.toContain(hidden);
  expect(fields(c, 'Agency')).not.toEqual(expect.arrayContaining(['budget']));
  expect(fields(c, 'Agency')).not.toContain('mailStats');
  expect(c.getType('BudgetLine')).toBeUndefined();
  expect(c.getMutationType()?.getFields().recordBudgetExecution).toBeUndefined();
});

test('a bad contracts file is refused with the part named', () => {
  expect(() => parseContractDefinitions({ Bad: { exclude: ['x'] } })).toThrow('contract "Bad": names are');
  expect(() => parseContractDefinitions({ ok: { include: 'x' } })).toThrow(
    'contract "ok": include must be a list',
  );
  expect(() => parseContractDefinitions({ ok: {} })).toThrow('at least one include or exclude tag');
});
