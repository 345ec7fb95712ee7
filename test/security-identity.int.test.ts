/**
 * Security regression suite, identity and schema exposure: one test per attack row of
 * shared/security.md §(a) rows 20–26 (introspection, suggestions, federation fields, a subgraph called
 * without the gateway's signature, hostile JWTs), against every registered subgraph behind the gateway
 * over real HTTP. Rows not here: 19 (gateway ≥2.13.2), 25 (no client header is forwarded), 28 (trusted
 * documents: test/trusted-documents.int.test.ts); query shape and HTTP: test/security-requests.int.test.ts.
 */
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { CALLER_HEADER, GATEWAY_ISSUER } from '../common/identity';
import {
  as,
  bearer,
  now,
  post,
  PUBLIC_PEM,
  refused,
  send,
  stranger,
  token,
  useSecurityStack,
} from './support/security';

const stack = useSecurityStack();

describe('§a rows 20–24: schema exposure', () => {
  const introspect = { query: '{ __schema { queryType { name } } }' };

  test('20. introspection: refused for anonymous and citizen callers, allowed for the others', async () => {
    refused(await post(introspect), 400, 'GRAPHQL_VALIDATION_FAILED');
    refused(await post(introspect, await bearer(as.citizen())), 400, 'GRAPHQL_VALIDATION_FAILED');
    expect((await post({ query: '{ __typename }' })).body).toEqual({ data: { __typename: 'Query' } });
    for (const role of ['official', 'analyst', 'partner', 'admin'] as const) {
      const a = await post(introspect, await bearer(as[role]()));
      expect({ role, status: a.status, body: a.body }).toEqual({
        role,
        status: 200,
        body: { data: { __schema: { queryType: { name: 'Query' } } } },
      });
    }
  });

  test('21. deep introspection → 400', async () => {
    const deep = `{ __schema { types { fields { type { fields { type { fields { type { fields { type { name } } } } } } } } } } }`;
    refused(await post({ query: deep }, await bearer(as.analyst())), 400, 'GRAPHQL_VALIDATION_FAILED');
  });

  test('22. field suggestions: none for anonymous and citizen callers, shown to analysts', async () => {
    const probe = { query: '{ documnts(first: 1) { totalCount } }' };
    const anonymous = await post(probe);
    refused(anonymous, 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(anonymous.text).not.toMatch(/Did you mean/);
    expect((await post(probe, await bearer(as.citizen()))).text).not.toMatch(/Did you mean/);
    expect((await post(probe, await bearer(as.analyst()))).text).toMatch(/Did you mean/);
  });

  test('23. _entities and _service through the gateway → 400, not in the API schema', async () => {
    refused(await post({ query: '{ _service { sdl } }' }), 400, 'GRAPHQL_VALIDATION_FAILED');
    refused(
      await post({
        query: '{ _entities(representations: [{ __typename: "Agency", code: "x" }]) { __typename } }',
      }),
      400,
      'GRAPHQL_VALIDATION_FAILED',
    );
  });

  test('24. a subgraph called directly, without the gateway signature, refuses with 401', async () => {
    for (const [name, sub] of stack().subgraphs) {
      const url = `http://127.0.0.1:${(sub.app.server.address() as { port: number }).port}/graphql`;
      for (const query of ['{ _service { sdl } }', '{ _entities(representations: []) { __typename } }']) {
        const bare = await send({
          url,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query }),
        });
        expect({
          name,
          status: bare.status,
          code: bare.body.errors?.[0]?.extensions?.code,
          data: bare.body.data,
        }).toEqual({
          name,
          status: 401,
          code: 'UNAUTHENTICATED',
          data: null,
        });
      }
      // A caller token signed with another key, or expired: refused too.
      const wrongKey = generateKeyPairSync('ed25519').privateKey;
      const forged = await new SignJWT({ role: 'admin' })
        .setProtectedHeader({ alg: 'EdDSA', typ: 'govgraph-caller+jwt' })
        .setIssuer(GATEWAY_ISSUER)
        .setAudience(name)
        .setIssuedAt()
        .setExpirationTime('1m')
        .sign(wrongKey);
      const a = await send({
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json', [CALLER_HEADER]: forged },
        body: JSON.stringify({ query: '{ _service { sdl } }' }),
      });
      expect(a.status).toBe(401);
      // The in-process helper signs as the gateway: the same request is then answered.
      const ok = await send({
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await sub.gatewayHeaders()) },
        body: JSON.stringify({ query: '{ _service { sdl } }' }),
      });
      expect(ok.status).toBe(200);
    }
  });
});

describe('§a row 26: hostile JWTs → 401 UNAUTHENTICATED, no data', () => {
  const query = { query: '{ documents(first: 1) { nodes { numberSymbol } } }' };
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const claims = { sub: 'u-1', role: 'admin', iss: 'https://idp.test', aud: 'govgraph', exp: now() + 600 };

  test.each([
    ['alg: none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`],
    ['signed with another key', () => token({ role: 'admin' }, { key: stranger.privateKey })],
    ['expired', () => token({ role: 'admin' }, { exp: now() - 3600 })],
    ['not valid yet (nbf in an hour)', () => token({ role: 'admin' }, { nbf: now() + 3600 })],
    ['wrong audience', () => token({ role: 'admin' }, { aud: 'someone-else' })],
    ['wrong issuer', () => token({ role: 'admin' }, { iss: 'https://evil.test' })],
    [
      'HS256 signed with the public key (algorithm confusion)',
      async () => {
        const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
        return `${input}.${createHmac('sha256', PUBLIC_PEM).update(input).digest('base64url')}`;
      },
    ],
    ['garbage', async () => 'not.a.jwt'],
    ['unknown role', () => token({ role: 'superuser' })],
    ['official without an agency', () => token({ role: 'official' })],
  ])('%s', async (_label, make) => {
    const a = await post(query, await bearer(make()));
    refused(a, 401, 'UNAUTHENTICATED');
  });

  test('a malformed Authorization header → 401', async () => {
    refused(await post(query, { authorization: 'Basic dXNlcjpwYXNz' }), 401, 'UNAUTHENTICATED');
  });

  test('a valid token through the gateway is answered', async () => {
    const a = await post(query, await bearer(as.official()));
    expect(a.status).toBe(200);
    expect(a.body.errors).toBeUndefined();
  });
});
