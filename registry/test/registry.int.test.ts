/**
 * The registry over real HTTP on embedded PostgreSQL: publish stores versions and serves a signed
 * supergraph with an ETag; check classifies changes by coordinate; a breaking publish is refused
 * unless overridden (and the override is audited); rollback brings an earlier version back; partners
 * change only their own subgraphs; bad input gets a stable code, never a stack.
 */
import { verifyChain } from '../../kit/runtime/auditlog';
import {
  importSupergraphPublicKey,
  SIGNATURE_HEADER,
  supergraphSignatureProblem,
} from '../../common/supergraphSignature';
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

beforeAll(async () => {
  registry = await startTestRegistry();
  partner = await tokenFor(registry, PARTNER);
  official = await tokenFor(registry, OFFICIAL);
});
afterAll(() => registry.close());

const publish = (name: string, body: unknown, token = official) =>
  call(registry, 'POST', `${ENV}/subgraphs/${name}/publish`, { token, body });

test('publish → a signed supergraph with an ETag; check names each change by coordinate; rollback restores', async () => {
  expect(await call(registry, 'GET', `${ENV}/supergraph`)).toMatchObject({
    status: 404,
    body: { error: { code: 'NOT_FOUND' } },
  });
  const first = await publish('agencies', { sdl: AGENCIES, url: 'http://agencies.test/graphql' });
  expect(first).toMatchObject({ status: 200, body: { published: true, version: 1 } });
  const v1 = await publish('permits', { sdl: permits(), url: 'http://permits.test/graphql' }, partner);
  expect(v1).toMatchObject({
    status: 200,
    body: { published: true, version: 1, changes: expect.any(Array) },
  });
  expect(v1.body.changes.map((c: any) => [c.severity, c.coordinate])).toEqual(
    expect.arrayContaining([
      ['safe', 'Agency.permits'],
      ['safe', 'Query.permit'],
    ]),
  );

  // The served supergraph: its hash is the ETag; the signature verifies with the registry's public key.
  const served = await call(registry, 'GET', `${ENV}/supergraph`);
  expect(served.status).toBe(200);
  expect(served.body).toContain('type Permit');
  expect(served.headers.get('etag')).toBe(`"${v1.body.supergraphHash}"`);
  const publicKey = (await call(registry, 'GET', '/v1/public-key')).body.trim();
  expect(publicKey).toBe(registry.keys.publicKey);
  const key = importSupergraphPublicKey(publicKey);
  expect(supergraphSignatureProblem(served.body, served.headers.get(SIGNATURE_HEADER), key)).toBeNull();
  expect(
    supergraphSignatureProblem(`${served.body}\n# x`, served.headers.get(SIGNATURE_HEADER), key),
  ).toMatch(/does not verify/);
  const again = await fetch(new URL(`${ENV}/supergraph`, registry.url), {
    headers: { 'if-none-match': served.headers.get('etag')! },
  });
  expect(again.status).toBe(304);

  // Publishing the same SDL again stores nothing.
  expect(await publish('permits', { sdl: permits() }, partner)).toMatchObject({
    status: 200,
    body: { published: false, version: 1, supergraphHash: v1.body.supergraphHash },
  });

  // Check: removing Permit.holder is breaking, adding a field safe; nothing is stored.
  const checked = await call(registry, 'POST', `${ENV}/subgraphs/permits/check`, {
    token: partner,
    body: { sdl: permits({ holder: false, extra: 'expiresOn: String' }) },
  });
  expect(checked.status).toBe(200);
  expect(checked.body).toMatchObject({ ok: false, compositionErrors: [] });
  expect(checked.body.changes.map((c: any) => [c.severity, c.type, c.coordinate])).toEqual([
    ['breaking', 'FIELD_REMOVED', 'Permit.holder'],
    ['safe', 'FIELD_ADDED', 'Permit.expiresOn'],
  ]);

  // Publish refuses the breaking change without an override reason …
  const refused = await publish('permits', { sdl: permits({ holder: false }) }, partner);
  expect(refused).toMatchObject({
    status: 409,
    body: {
      error: { code: 'CHECK_FAILED', changes: [{ severity: 'breaking', coordinate: 'Permit.holder' }] },
    },
  });
  expect(refused.body.error.message).toContain('Permit.holder');
  // … and takes it with one: version 2, a new supergraph.
  const v2 = await publish(
    'permits',
    { sdl: permits({ holder: false }), overrideReason: 'holder moved to the people subgraph' },
    partner,
  );
  expect(v2).toMatchObject({ status: 200, body: { published: true, version: 2, overridden: true } });
  expect((await call(registry, 'GET', `${ENV}/supergraph`)).body).not.toContain('holder');

  // A proposal that does not compose: the composition's own messages.
  const clash = await call(registry, 'POST', `${ENV}/subgraphs/permits/check`, {
    token: partner,
    body: { sdl: permits().replace('code: ID! permits', 'code: Int! permits') },
  });
  expect(clash.body.ok).toBe(false);
  expect(clash.body.compositionErrors.join('\n')).toMatch(/Agency\.code/);

  // Rollback to v1: the first supergraph comes back, byte for byte (same hash).
  const back = await call(registry, 'POST', `${ENV}/subgraphs/permits/rollback`, {
    token: partner,
    body: { to: 1 },
  });
  expect(back).toMatchObject({
    status: 200,
    body: { rolledBack: true, from: 2, to: 1, supergraphHash: v1.body.supergraphHash },
  });
  expect((await call(registry, 'GET', `${ENV}/supergraph`)).headers.get('etag')).toBe(
    `"${v1.body.supergraphHash}"`,
  );
  const versions = await call(registry, 'GET', `${ENV}/subgraphs/permits/versions`, { token: partner });
  expect(versions.body.versions.map((v: any) => [v.version, v.current, v.author])).toEqual([
    [2, false, PARTNER.sub],
    [1, true, PARTNER.sub],
  ]);

  // Every publish, the override and the rollback are in the hash-chained audit log, in order.
  const audit = await registry.testDb.query<{
    subject: string;
    operation: string;
    recordIds: string[];
    written: any;
  }>(`SELECT subject, operation, record_ids AS "recordIds", written FROM audit_log ORDER BY seq`);
  expect(audit.map((e) => [e.subject, e.operation, e.recordIds[0]])).toEqual([
    [OFFICIAL.sub, 'publishSubgraph', 'production/agencies@1'],
    [PARTNER.sub, 'publishSubgraph', 'production/permits@1'],
    [PARTNER.sub, 'overrideSchemaCheck', 'production/permits@2'],
    [PARTNER.sub, 'publishSubgraph', 'production/permits@2'],
    [PARTNER.sub, 'rollbackSubgraph', 'production/permits@1'],
  ]);
  expect(audit[2]!.written).toMatchObject({
    reason: 'holder moved to the people subgraph',
    breaking: ['Permit.holder'],
  });
  expect(await verifyChain(registry.testDb)).toMatchObject({ ok: true, entries: 5 });
});

test('environments are separate', async () => {
  const staging = await call(registry, 'POST', '/v1/environments/staging/subgraphs/agencies/publish', {
    token: official,
    body: { sdl: AGENCIES, url: 'http://agencies.staging/graphql' },
  });
  expect(staging).toMatchObject({ status: 200, body: { version: 1 } });
  expect((await call(registry, 'GET', '/v1/environments/staging/supergraph')).body).not.toContain('Permit');
});

test('who may change what: tokens, roles, ownership', async () => {
  const body = { sdl: permits() };
  expect(await call(registry, 'POST', `${ENV}/subgraphs/permits/check`, { body })).toMatchObject({
    status: 401,
    body: { error: { code: 'UNAUTHENTICATED' } },
  });
  expect(
    await call(registry, 'POST', `${ENV}/subgraphs/permits/check`, {
      body,
      token: `${partner.slice(0, -4)}AAAA`,
    }),
  ).toMatchObject({
    status: 401,
    body: { error: { code: 'UNAUTHENTICATED', message: 'Invalid or expired token' } },
  });
  const analyst = await tokenFor(registry, { sub: 'a-1', role: 'analyst' });
  expect(
    await call(registry, 'POST', `${ENV}/subgraphs/permits/check`, { body, token: analyst }),
  ).toMatchObject({
    status: 403,
    body: { error: { code: 'FORBIDDEN', message: 'a analyst token may not use the registry' } },
  });
  const other = await tokenFor(registry, OTHER_PARTNER);
  const foreign = await publish('permits', { sdl: permits({ extra: 'x: Int' }) }, other);
  expect(foreign).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
  expect(foreign.body.error.message).toContain('belongs to agency 000.00.31.H26');
  expect(
    await call(registry, 'POST', `${ENV}/subgraphs/permits/rollback`, { token: other, body: { to: 2 } }),
  ).toMatchObject({ status: 403 });
});

test('bad input: a stable code and a message naming the part, never a stack', async () => {
  const cases: [string, unknown, RegExp][] = [
    [`${ENV}/subgraphs/Permits!/check`, { sdl: permits() }, /^path\.name: must be lower-case/],
    [`${ENV}/subgraphs/permits/check`, { sdl: '' }, /^body\.sdl: must not be empty/],
    [`${ENV}/subgraphs/permits/check`, { sdl: permits(), extra: 1 }, /^body: .*extra/],
    [
      `${ENV}/subgraphs/permits/publish`,
      { sdl: permits(), url: 'ftp://x' },
      /^body\.url: must be an http\(s\) URL/,
    ],
    [`${ENV}/subgraphs/permits/rollback`, { to: 'one' }, /^body\.to: /],
    [`${ENV}/subgraphs/newone/publish`, { sdl: permits() }, /needs a url/],
  ];
  for (const [path, body, message] of cases) {
    const answer = await call(registry, 'POST', path, { token: official, body });
    expect({ path, status: answer.status, code: answer.body.error?.code }).toEqual({
      path,
      status: 400,
      code: 'BAD_REQUEST',
    });
    expect(answer.body.error.message).toMatch(message);
    expect(JSON.stringify(answer.body)).not.toMatch(/\n\s+at /);
  }
  const notJson = await fetch(new URL(`${ENV}/subgraphs/permits/check`, registry.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${official}` },
    body: '{"sdl":',
  });
  expect(notJson.status).toBe(400);
  expect(await notJson.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  expect(
    await call(registry, 'POST', `${ENV}/subgraphs/permits/rollback`, { token: official, body: { to: 99 } }),
  ).toMatchObject({
    status: 404,
    body: { error: { code: 'NOT_FOUND', message: '"permits" has no version 99 in production' } },
  });
  // A parse error in the proposal is a failed check naming the line, not a server error.
  const garbage = await call(registry, 'POST', `${ENV}/subgraphs/permits/check`, {
    token: official,
    body: { sdl: 'type Query { x: }' },
  });
  expect(garbage).toMatchObject({ status: 200, body: { ok: false } });
  expect(garbage.body.compositionErrors[0]).toMatch(/Syntax Error/);
});

test('probes: /health, and /ready when the database answers', async () => {
  const health = await fetch(new URL('/health', registry.url));
  expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
  const ready = await fetch(new URL('/ready', registry.url));
  expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
});
