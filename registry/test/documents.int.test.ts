/**
 * Trusted documents always count as usage (issue 19), over HTTP on embedded PostgreSQL: a client's
 * registered manifest makes a breaking change to what its operations select fail the check, naming the
 * client and operation as a trusted document, though nothing ever ran it and whatever the usage
 * window; an override passes and is audited; replacing the manifest without that operation lets the
 * change pass. Bad manifests and documents that do not validate get stable codes; partners register
 * only their own clients.
 */
import { createHash } from 'node:crypto';
import { verifyChain } from '../../kit/runtime/auditlog';
import {
  AGENCIES,
  call,
  OFFICIAL,
  OTHER_PARTNER,
  PARTNER,
  permits,
  startTestRegistry,
  tokenFor,
} from './support';
import type { TestRegistry } from './support';

let registry: TestRegistry;
let partner: string;
let official: string;
const ENV = '/v1/environments/production';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
/** govgraph's (and Codegen's) manifest format: `{ hash: document }`. */
const manifest = (...documents: string[]) => Object.fromEntries(documents.map((d) => [sha256(d), d]));

const PERMIT_VIEW = 'query PermitView($n: ID!) { permit(number: $n) { number holder } }';
const PERMIT_DATES =
  'query PermitDates($n: ID!) { permit(number: $n) { ...Dates } }\nfragment Dates on Permit { issuedOn }';

const register = (client: string, body: unknown, token = official) =>
  call(registry, 'PUT', `${ENV}/clients/${client}/documents`, { token, body });
const check = (sdl: string) =>
  call(registry, 'POST', `${ENV}/subgraphs/permits/check`, { token: partner, body: { sdl } });
const breaking = (body: any) =>
  Object.fromEntries(
    body.changes.filter((c: any) => c.severity === 'breaking').map((c: any) => [c.coordinate, c.usedBy]),
  );

beforeAll(async () => {
  // Usage checks on with a 1-day window: only the trusted documents can make these checks fail.
  registry = await startTestRegistry({ REGISTRY_USAGE_CHECKS: 'true', REGISTRY_USAGE_WINDOW_DAYS: '1' });
  partner = await tokenFor(registry, PARTNER);
  official = await tokenFor(registry, OFFICIAL);
  await call(registry, 'POST', `${ENV}/subgraphs/agencies/publish`, {
    token: official,
    body: { sdl: AGENCIES, url: 'http://agencies.test/graphql' },
  });
  await call(registry, 'POST', `${ENV}/subgraphs/permits/publish`, {
    token: partner,
    body: { sdl: permits(), url: 'http://permits.test/graphql' },
  });
});
afterAll(() => registry.close());

test('a trusted document nothing ran blocks a breaking change; replaced without it, the change passes; an override is audited', async () => {
  const first = await register('portal', { manifest: manifest(PERMIT_VIEW, PERMIT_DATES) });
  expect(first).toMatchObject({
    status: 200,
    body: {
      client: 'portal',
      registered: true,
      documents: 2,
      operations: ['PermitDates', 'PermitView'],
      added: ['PermitDates', 'PermitView'],
      removed: [],
    },
  });
  // The same set again stores nothing new.
  expect((await register('portal', { manifest: manifest(PERMIT_DATES, PERMIT_VIEW) })).body).toMatchObject({
    registered: false,
    manifestHash: first.body.manifestHash,
  });

  // Permit.holder: selected by PermitView, which never ran → the check fails, naming it.
  const holder = await check(permits({ holder: false }));
  expect(holder.body.ok).toBe(false);
  expect(breaking(holder.body)).toEqual({
    'Permit.holder': [{ client: 'portal', operation: 'PermitView', count: 0, trusted: true }],
  });
  const refused = await call(registry, 'POST', `${ENV}/subgraphs/permits/publish`, {
    token: partner,
    body: { sdl: permits({ holder: false }) },
  });
  expect(refused).toMatchObject({ status: 409, body: { error: { code: 'CHECK_FAILED' } } });
  expect(refused.body.error.message).toContain(
    'Permit.holder (used by portal: PermitView (trusted document))',
  );

  // A removed type counts the documents that select its fields (through a fragment too); a recorded
  // use of a trusted operation adds its count to it.
  const today = (await registry.testDb.query<{ d: string }>(`SELECT current_date::text AS d`))[0]!.d;
  await call(registry, 'POST', `${ENV}/usage`, {
    token: official,
    body: {
      reports: [
        {
          day: today,
          client: 'portal',
          operation: 'PermitDates',
          coordinates: ['Permit.issuedOn'],
          count: 4,
        },
      ],
    },
  });
  const typeGone =
    await check(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
    type Agency @key(fields: "code") { code: ID! permitCount: Int }
    type Query { permitCount: Int }`);
  expect(breaking(typeGone.body).Permit).toEqual([
    { client: 'portal', operation: 'PermitDates', count: 4, trusted: true },
    { client: 'portal', operation: 'PermitView', count: 0, trusted: true },
  ]);

  // The portal's manifest replaced without PermitView: removing Permit.holder now passes.
  expect((await register('portal', { manifest: manifest(PERMIT_DATES) })).body).toMatchObject({
    registered: true,
    documents: 1,
    added: [],
    removed: ['PermitView'],
  });
  expect(await check(permits({ holder: false }))).toMatchObject({
    status: 200,
    body: { ok: true, changes: [{ severity: 'breaking', coordinate: 'Permit.holder', usedBy: [] }] },
  });

  // Permit.issuedOn is still selected (PermitDates): published anyway with a reason, audited.
  const withoutDates = permits().replace('issuedOn: String!', '');
  const overridden = await call(registry, 'POST', `${ENV}/subgraphs/permits/publish`, {
    token: partner,
    body: { sdl: withoutDates, overrideReason: 'issuedOn moves to the certificates subgraph' },
  });
  expect(overridden).toMatchObject({ status: 200, body: { published: true, overridden: true } });

  // The portal's manifest no longer validates against the graph now served: refused, named.
  const stale = await register('portal', { manifest: manifest(PERMIT_DATES) });
  expect(stale).toMatchObject({
    status: 422,
    body: {
      error: {
        code: 'DOCUMENTS_INVALID',
        documents: [
          { hash: sha256(PERMIT_DATES), errors: ['Cannot query field "issuedOn" on type "Permit".'] },
        ],
      },
    },
  });

  const audit = await registry.testDb.query<{
    subject: string;
    operation: string;
    recordIds: string[];
    written: any;
  }>(
    `SELECT subject, operation, record_ids AS "recordIds", written FROM audit_log
      WHERE operation <> 'publishSubgraph' ORDER BY seq`,
  );
  expect(audit.map((e) => [e.subject, e.operation, e.recordIds[0]])).toEqual([
    [OFFICIAL.sub, 'registerTrustedDocuments', 'production/portal'],
    [OFFICIAL.sub, 'registerTrustedDocuments', 'production/portal'],
    [PARTNER.sub, 'overrideSchemaCheck', 'production/permits@2'],
  ]);
  expect(audit[1]!.written).toMatchObject({
    client: 'portal',
    documents: 1,
    added: [],
    removed: ['PermitView'],
  });
  expect(audit[2]!.written).toMatchObject({
    reason: 'issuedOn moves to the certificates subgraph',
    breaking: ['Permit.issuedOn (used by portal: PermitDates (4×, trusted document))'],
  });
  expect(await verifyChain(registry.testDb)).toMatchObject({ ok: true });
});

test('Apollo’s and Codegen’s (sha1) manifests are read; bad manifests and documents get stable codes', async () => {
  const agencyName = 'query AgencyName { agency(code: "1") { name } }';
  const apollo = {
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: [{ id: sha256(agencyName), name: 'AgencyName', type: 'query', body: agencyName }],
  };
  expect((await register('dashboard', { manifest: apollo })).body).toMatchObject({
    documents: 1,
    operations: ['AgencyName'],
  });
  expect((await register('mobile', { manifest: { [sha1(agencyName)]: agencyName } })).body).toMatchObject({
    operations: ['AgencyName'],
  });

  const cases: [string, unknown, number, string, string | RegExp][] = [
    ['portal', {}, 400, 'BAD_REQUEST', 'body.manifest: is required'],
    ['portal', { manifest: [], extra: 1 }, 400, 'BAD_REQUEST', /^body: Unrecognized key/],
    ['Portal App', { manifest: {} }, 400, 'BAD_REQUEST', /^path\.client: must be letters/],
    [
      'portal',
      { manifest: [] },
      400,
      'MANIFEST_INVALID',
      'body.manifest is not a manifest (an object of hash → document, or an Apollo persisted-query manifest)',
    ],
    [
      'portal',
      { manifest: { ...apollo, version: 2 } },
      400,
      'MANIFEST_INVALID',
      'body.manifest has format "apollo-persisted-query-manifest" version 2: expected "apollo-persisted-query-manifest" version 1 with operations',
    ],
    [
      'portal',
      { manifest: { [sha256('x')]: agencyName } },
      400,
      'MANIFEST_INVALID',
      `body.manifest: "${sha256('x')}" is not the sha256 (or sha1) of its document`,
    ],
    [
      'portal',
      { manifest: manifest('query Broken { agency(code: "1") { ') },
      422,
      'DOCUMENTS_INVALID',
      /^1 of 1 documents do not validate against the graph production serves: [0-9a-f]{12}: Syntax Error: Expected Name, found <EOF>\./,
    ],
    [
      'portal',
      { manifest: manifest(agencyName, 'query Nope { agency(code: "1") { nope } }') },
      422,
      'DOCUMENTS_INVALID',
      /^1 of 2 documents do not validate against the graph production serves: [0-9a-f]{12}: Cannot query field "nope" on type "Agency"\./,
    ],
  ];
  for (const [client, body, status, code, message] of cases) {
    const answer = await register(client, body);
    expect({ client, body, status: answer.status, code: answer.body.error?.code }).toEqual({
      client,
      body,
      status,
      code,
    });
    expect(answer.body.error.message).toMatch(message);
  }
  // Nothing published in an environment: nothing to validate against.
  expect(
    await call(registry, 'PUT', '/v1/environments/qa/clients/portal/documents', {
      token: official,
      body: { manifest: manifest(agencyName) },
    }),
  ).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
});

test('a partner registers only its own clients; officials any', async () => {
  const doc = 'query Permit { permit(number: "1") { number } }';
  const other = await tokenFor(registry, OTHER_PARTNER);
  expect(await register('permits-app', { manifest: manifest(doc) }, partner)).toMatchObject({ status: 200 });
  expect(await register('permits-app', { manifest: {} }, other)).toMatchObject({
    status: 403,
    body: {
      error: {
        code: 'FORBIDDEN',
        message: `client "permits-app" belongs to agency ${PARTNER.agency}, not ${OTHER_PARTNER.agency}`,
      },
    },
  });
  // The platform's clients (registered by an official) are not a partner's to replace.
  expect(await register('dashboard', { manifest: {} }, partner)).toMatchObject({
    status: 403,
    body: {
      error: {
        code: 'FORBIDDEN',
        message: `client "dashboard" belongs to the platform, not ${PARTNER.agency}`,
      },
    },
  });
  // An official may replace a partner's client's set (as it may publish a partner's subgraph); an empty
  // manifest unregisters every document.
  expect(await register('permits-app', { manifest: {} })).toMatchObject({
    status: 200,
    body: { documents: 0, removed: ['Permit'] },
  });
  const analyst = await tokenFor(registry, { sub: 'a', role: 'analyst', agency: '000.00.21.H26' });
  expect(await register('permits-app', { manifest: {} }, analyst)).toMatchObject({
    status: 403,
    body: { error: { code: 'FORBIDDEN' } },
  });
  expect(await register('permits-app', { manifest: {} }, '')).toMatchObject({
    status: 401,
    body: { error: { code: 'UNAUTHENTICATED' } },
  });
});
