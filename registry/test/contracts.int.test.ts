/**
 * Schema contracts in the registry over real HTTP on embedded PostgreSQL: officials set, read and
 * delete contracts per environment, each change in the hash-chained audit log; a partner reads only
 * the contracts it is served, one by one; the gateways' document is signed with an ETag; a contract that leaves
 * no Query field, a partner given two contracts and a publish that would empty a contract are refused
 * with stable codes.
 */
import { verifyChain } from '../../kit/runtime/auditlog';
import {
  importSupergraphPublicKey,
  SIGNATURE_HEADER,
  supergraphSignatureProblem,
} from '../../common/supergraphSignature';
import { parseContractDefinitions } from '../../schema/contracts';
import { call, OFFICIAL, OTHER_PARTNER, PARTNER, startTestRegistry, tokenFor } from './support';
import type { TestRegistry } from './support';

let registry: TestRegistry;
let official: string;
let partner: string;
let scoped: string;
const ENV = '/v1/environments/production';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@tag"])';
const AGENCIES = `${LINK}
type Agency @key(fields: "code") { code: ID! name: String! }
type Query { agency(code: ID!): Agency }
`;
/** Permits, tagged `permits` (or not). */
const permits = (tag = '@tag(name: "permits")') => `${LINK}
type Agency @key(fields: "code") { code: ID! permits: [Permit!]! ${tag} }
type Permit ${tag} { number: ID! holder: String }
type Query { permit(number: ID!): Permit ${tag} }
`;

beforeAll(async () => {
  registry = await startTestRegistry();
  [official, partner, scoped] = await Promise.all([
    tokenFor(registry, OFFICIAL),
    tokenFor(registry, PARTNER),
    tokenFor(registry, { ...OTHER_PARTNER, scope: 'permits:read' }),
  ]);
  for (const [name, sdl] of [
    ['agencies', AGENCIES],
    ['permits', permits()],
  ] as const)
    expect(
      await call(registry, 'POST', `${ENV}/subgraphs/${name}/publish`, {
        token: official,
        body: { sdl, url: `http://${name}.test/graphql` },
      }),
    ).toMatchObject({ status: 200 });
});
afterAll(() => registry.close());

const put = (name: string, body: unknown, token = official) =>
  call(registry, 'PUT', `${ENV}/contracts/${name}`, { token, body });

test('set, read, list (signed), delete: audited; partners read only their own', async () => {
  const set = await put('no-permits', { exclude: ['permits'], partners: [PARTNER.agency] });
  expect(set).toMatchObject({
    status: 200,
    body: {
      changed: true,
      queryFields: 1,
      unknownTags: [],
      contract: { name: 'no-permits', exclude: ['permits'], partners: [PARTNER.agency], revision: 1 },
    },
  });
  expect(set.body.contract.author).toBe(OFFICIAL.sub);
  // The same definition again writes nothing.
  expect(await put('no-permits', { exclude: ['permits'], partners: [PARTNER.agency] })).toMatchObject({
    status: 200,
    body: { changed: false, contract: { revision: 1 } },
  });
  expect(await put('only-permits', { include: ['permits'], partners: ['scope:permits:read'] })).toMatchObject(
    { status: 200, body: { queryFields: 1, contract: { revision: 1 } } },
  );
  // A tag nothing carries is reported (a typo would exclude nothing).
  expect(await put('typo', { exclude: ['permitz'] })).toMatchObject({
    status: 200,
    body: { unknownTags: ['permitz'], queryFields: 2 },
  });
  expect(await put('typo', { exclude: ['permits', 'mail'] })).toMatchObject({
    status: 200,
    body: { unknownTags: ['mail'], contract: { revision: 2 } },
  });

  // The gateways' document: every contract, signed by the registry's key, with an ETag.
  const list = await call(registry, 'GET', `${ENV}/contracts`, { token: official });
  expect(list.status).toBe(200);
  expect(parseContractDefinitions(list.body)).toEqual({
    'no-permits': { include: [], exclude: ['permits'], partners: [PARTNER.agency] },
    'only-permits': { include: ['permits'], exclude: [], partners: ['scope:permits:read'] },
    typo: { include: [], exclude: ['permits', 'mail'], partners: [] },
  });
  const raw = await fetch(new URL(`${ENV}/contracts`, registry.url), {
    headers: { authorization: `Bearer ${official}` },
  });
  const text = await raw.text();
  const key = importSupergraphPublicKey(registry.keys.publicKey);
  expect(supergraphSignatureProblem(text, raw.headers.get(SIGNATURE_HEADER), key)).toBeNull();
  expect(
    supergraphSignatureProblem(text.replace('"permits"', '"mail"'), raw.headers.get(SIGNATURE_HEADER), key),
  ).toMatch(/does not verify/);
  const etag = raw.headers.get('etag')!;
  expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
  const again = await fetch(new URL(`${ENV}/contracts`, registry.url), {
    headers: { authorization: `Bearer ${official}`, 'if-none-match': etag },
  });
  expect(again.status).toBe(304);

  // A partner reads the contracts it is served, one by one; not the gateways' document (a gateway
  // given a partner's token must fail, not serve a document without the other partners).
  expect(await call(registry, 'GET', `${ENV}/contracts`, { token: partner })).toMatchObject({
    status: 403,
    body: { error: { code: 'FORBIDDEN' } },
  });
  expect(await call(registry, 'GET', `${ENV}/contracts/only-permits`, { token: scoped })).toMatchObject({
    status: 200,
    body: { name: 'only-permits', partners: ['scope:permits:read'] },
  });
  expect(await call(registry, 'GET', `${ENV}/contracts/no-permits`, { token: partner })).toMatchObject({
    status: 200,
    body: { env: 'production', name: 'no-permits', exclude: ['permits'] },
  });
  expect(await call(registry, 'GET', `${ENV}/contracts/only-permits`, { token: partner })).toMatchObject({
    status: 404,
    body: { error: { code: 'NOT_FOUND', message: 'no contract "only-permits" in production' } },
  });

  // What the partner gets: the contract's API schema.
  const schema = await call(registry, 'GET', `${ENV}/contracts/no-permits/schema`, { token: partner });
  expect(schema.status).toBe(200);
  expect(schema.body).toContain('agency(code: ID!): Agency');
  expect(schema.body).not.toMatch(/permit/i);
  const other = await call(registry, 'GET', `${ENV}/contracts/only-permits/schema`, { token: scoped });
  expect(other.body).toContain('permit(number: ID!): Permit');
  expect(other.body).not.toContain('agency');

  // Deleting a contract still served to partners is refused (they would see the whole graph), and
  // nothing changes; with its partners set to none it goes.
  expect(await call(registry, 'DELETE', `${ENV}/contracts/no-permits`, { token: official })).toMatchObject({
    status: 409,
    body: {
      error: {
        code: 'CONTRACT_IN_USE',
        message: `contract "no-permits" is still served to ${PARTNER.agency} in production: give them another contract, or set its partners to none first (they would then see the whole graph)`,
        partners: [PARTNER.agency],
      },
    },
  });
  expect(await call(registry, 'GET', `${ENV}/contracts/no-permits`, { token: partner })).toMatchObject({
    status: 200,
    body: { name: 'no-permits', revision: 1 },
  });

  // Deleting: officials only; a second time NOT_FOUND.
  expect(await call(registry, 'DELETE', `${ENV}/contracts/typo`, { token: partner })).toMatchObject({
    status: 403,
    body: { error: { code: 'FORBIDDEN' } },
  });
  expect(await call(registry, 'DELETE', `${ENV}/contracts/typo`, { token: official })).toMatchObject({
    status: 200,
    body: { deleted: 'typo', revision: 2 },
  });
  expect(await call(registry, 'DELETE', `${ENV}/contracts/typo`, { token: official })).toMatchObject({
    status: 404,
    body: { error: { code: 'NOT_FOUND' } },
  });

  const audit = await registry.testDb.query<{
    subject: string;
    operation: string;
    recordIds: string[];
    written: any;
  }>(
    `SELECT subject, operation, record_ids AS "recordIds", written FROM audit_log
      WHERE operation LIKE '%Contract' ORDER BY seq`,
  );
  expect(audit.map((e) => [e.operation, e.recordIds[0]])).toEqual([
    ['setContract', 'production/contracts/no-permits@1'],
    ['setContract', 'production/contracts/only-permits@1'],
    ['setContract', 'production/contracts/typo@1'],
    ['setContract', 'production/contracts/typo@2'],
    ['deleteContract', 'production/contracts/typo@2'],
  ]);
  expect(audit.every((e) => e.subject === OFFICIAL.sub)).toBe(true);
  expect(audit[3]!.written).toMatchObject({
    exclude: ['permits', 'mail'],
    previous: { exclude: ['permitz'] },
  });
  expect(await verifyChain(registry.testDb)).toMatchObject({ ok: true });
});

test('refusals: roles, an empty contract, a partner given two contracts, bad input', async () => {
  expect(await put('mine', { exclude: ['permits'] }, partner)).toMatchObject({
    status: 403,
    body: { error: { code: 'FORBIDDEN', message: 'a partner token may not change contracts' } },
  });
  expect(await call(registry, 'GET', `${ENV}/contracts`)).toMatchObject({
    status: 401,
    body: { error: { code: 'UNAUTHENTICATED' } },
  });
  expect(await put('nothing', { include: ['nope'] })).toMatchObject({
    status: 422,
    body: {
      error: {
        code: 'CONTRACT_EMPTY',
        message: 'contract "nothing" leaves no Query field on the current graph of production',
      },
    },
  });
  expect(await put('second', { exclude: ['permits'], partners: [PARTNER.agency] })).toMatchObject({
    status: 409,
    body: { error: { code: 'CONTRACT_CONFLICT' } },
  });
  expect((await put('second', { exclude: ['permits'], partners: [PARTNER.agency] })).body.error.message).toBe(
    `partner ${PARTNER.agency} is already served contract "no-permits" in production: remove it there first`,
  );
  for (const [name, body, message] of [
    ['x', {}, 'body: give at least one include or exclude tag'],
    [
      'x',
      { exclude: ['a'], partners: ['two words'] },
      'body.partners.0: must be an agency code or scope:<scope>',
    ],
    ['x', { exclude: ['a'], extra: 1 }, 'body: Unrecognized key: "extra"'],
    ['Bad_Name', { exclude: ['a'] }, 'path.name: must be lower-case letters, digits and hyphens'],
  ] as const)
    expect(await put(name, body)).toMatchObject({
      status: 400,
      body: { error: { code: 'BAD_REQUEST', message } },
    });
  // Nothing refused was stored.
  expect(Object.keys((await call(registry, 'GET', `${ENV}/contracts`, { token: official })).body)).toEqual([
    'no-permits',
    'only-permits',
  ]);
});

test('a publish or rollback that would leave a contract with no Query field is refused', async () => {
  // only-permits includes what is tagged `permits`: untagging it would empty the contract.
  const check = await call(registry, 'POST', `${ENV}/subgraphs/permits/check`, {
    token: official,
    body: { sdl: permits('') },
  });
  expect(check.body).toMatchObject({ ok: false });
  expect(check.body.compositionErrors).toEqual([
    'contract "only-permits" would leave no Query field (the gateways serving it would refuse this supergraph); change the contract first',
  ]);
  expect(
    await call(registry, 'POST', `${ENV}/subgraphs/permits/publish`, {
      token: official,
      body: { sdl: permits('') },
    }),
  ).toMatchObject({ status: 422, body: { error: { code: 'COMPOSITION_FAILED' } } });
  // With the contract gone the same publish goes through; a rollback to the tagged version is then
  // fine, and setting the contract again works on it.
  expect(await call(registry, 'DELETE', `${ENV}/contracts/only-permits`, { token: official })).toMatchObject({
    status: 409,
    body: { error: { code: 'CONTRACT_IN_USE', partners: ['scope:permits:read'] } },
  });
  expect(await put('only-permits', { include: ['permits'], partners: [] })).toMatchObject({ status: 200 });
  expect(await call(registry, 'DELETE', `${ENV}/contracts/only-permits`, { token: official })).toMatchObject({
    status: 200,
  });
  expect(
    await call(registry, 'POST', `${ENV}/subgraphs/permits/publish`, {
      token: official,
      body: { sdl: permits('') },
    }),
  ).toMatchObject({ status: 200, body: { version: 2 } });
  expect(await put('only-permits', { include: ['permits'] })).toMatchObject({
    status: 422,
    body: { error: { code: 'CONTRACT_EMPTY' } },
  });
  expect(
    await call(registry, 'POST', `${ENV}/subgraphs/permits/rollback`, { token: official, body: { to: 1 } }),
  ).toMatchObject({ status: 200 });
  expect(await put('only-permits', { include: ['permits'] })).toMatchObject({ status: 200 });
  // Now rolling forward to the untagged version would empty it: refused.
  expect(
    await call(registry, 'POST', `${ENV}/subgraphs/permits/rollback`, { token: official, body: { to: 2 } }),
  ).toMatchObject({ status: 422, body: { error: { code: 'COMPOSITION_FAILED' } } });
});

test('contracts are per environment; one set before anything is published is not checked yet', async () => {
  const staging = await call(registry, 'PUT', '/v1/environments/staging/contracts/early', {
    token: official,
    body: { exclude: ['permits'] },
  });
  expect(staging).toMatchObject({
    status: 200,
    body: { env: 'staging', queryFields: null, unknownTags: [] },
  });
  expect(
    await call(registry, 'GET', '/v1/environments/staging/contracts/early/schema', { token: official }),
  ).toMatchObject({
    status: 404,
    body: { error: { code: 'NOT_FOUND', message: 'nothing is published in staging yet' } },
  });
  expect(
    (await call(registry, 'GET', '/v1/environments/staging/contracts', { token: official })).body,
  ).toEqual({
    early: { include: [], exclude: ['permits'], partners: [] },
  });
  expect(
    Object.keys((await call(registry, 'GET', `${ENV}/contracts`, { token: official })).body),
  ).not.toContain('early');
});
