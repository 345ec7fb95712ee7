/**
 * The check's classification (registry/check.ts): breaking, dangerous and safe changes of the API
 * schema, each with its coordinate, breaking first; a proposal composed with the other subgraphs.
 */
import { buildSchema } from 'graphql';
import { checkProposal, classify } from '../check';
import { AGENCIES, permits } from './support';

test('each change is classified and named by its schema coordinate, breaking first', async () => {
  const before = buildSchema(`
    type Query { permit(number: ID!, year: Int): Permit }
    type Permit { number: ID! holder: String kind: Kind }
    enum Kind { BUILDING MINING }
  `);
  const after = buildSchema(`
    type Query { permit(number: ID!, year: Int!): Permit }
    type Permit { number: ID! kind: Kind expiresOn: String }
    enum Kind { BUILDING MINING FORESTRY }
  `);
  expect(await classify(before, after)).toEqual([
    {
      severity: 'breaking',
      type: 'FIELD_REMOVED',
      coordinate: 'Permit.holder',
      message: "Field 'holder' was removed from object type 'Permit'",
    },
    {
      severity: 'breaking',
      type: 'FIELD_ARGUMENT_TYPE_CHANGED',
      coordinate: 'Query.permit.year',
      message: expect.stringContaining("'year'"),
    },
    {
      severity: 'dangerous',
      type: 'ENUM_VALUE_ADDED',
      coordinate: 'Kind.FORESTRY',
      message: expect.stringContaining('FORESTRY'),
    },
    {
      severity: 'safe',
      type: 'FIELD_ADDED',
      coordinate: 'Permit.expiresOn',
      message: "Field 'expiresOn' was added to object type 'Permit'",
    },
  ]);
});

test('a proposal is composed with the other subgraphs; the first of an environment has nothing to break', async () => {
  const agencies = { name: 'agencies', url: 'http://a/graphql', typeDefs: AGENCIES };
  const current = [agencies, { name: 'permits', url: 'http://p/graphql', typeDefs: permits() }];
  expect(await checkProposal([], agencies)).toMatchObject({ ok: true, changes: [], compositionErrors: [] });
  // An enum value added is dangerous (a client's switch may not know it): reported, passes.
  const withKind = (values: string) => `${permits({ extra: 'kind: Kind' })}\nenum Kind { ${values} }`;
  const dangerousOnly = await checkProposal(
    [agencies, { name: 'permits', url: 'http://p/graphql', typeDefs: withKind('BUILDING') }],
    { name: 'permits', url: 'http://p/graphql', typeDefs: withKind('BUILDING MINING') },
  );
  expect(dangerousOnly).toMatchObject({
    ok: true,
    changes: [{ severity: 'dangerous', type: 'ENUM_VALUE_ADDED', coordinate: 'Kind.MINING' }],
  });
  const removed = await checkProposal(current, {
    name: 'permits',
    url: 'http://p/graphql',
    typeDefs: permits({ holder: false }),
  });
  expect(removed).toMatchObject({
    ok: false,
    changes: [{ severity: 'breaking', coordinate: 'Permit.holder' }],
  });
  expect(removed.supergraphSdl).toContain('join__graph');
  // Removing a field another subgraph's entity shares is checked on the composed API schema.
  const agencyRemoved = await checkProposal(current, {
    name: 'agencies',
    url: 'http://a/graphql',
    typeDefs: AGENCIES.replace('name: String!', ''),
  });
  expect(agencyRemoved.changes).toEqual([
    expect.objectContaining({ severity: 'breaking', coordinate: 'Agency.name' }),
  ]);
});
