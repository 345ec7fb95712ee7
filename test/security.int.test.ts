/**
 * Security regression suite: one test per applicable attack row of shared/security.md §(a), against
 * every registered subgraph behind the gateway over real HTTP. Each asserts the status, the
 * `extensions.code` and that nothing leaks (no stack, no internal URL or address, no data).
 * Rows not here: 6 (fragment bomb: the planner's own caps, gateway ≥2.10.1), 11/14/16/17 (HTTP edge,
 * gateway/test/httpEdge.int.test.ts), 19 (gateway ≥2.13.2), 25 (no client header is forwarded), 28
 * (trusted documents: test/trusted-documents.int.test.ts).
 */
import { createHmac, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { CALLER_HEADER, GATEWAY_ISSUER } from '../common/identity';
import { startFederatedStack } from './support/subgraphs';
import type { FederatedStack } from './support/subgraphs';

jest.setTimeout(120_000);

const idp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const PUBLIC_PEM = idp.publicKey.export({ format: 'pem', type: 'spki' }).toString();
const AGENCY = '000.00.21.H26';

let stack: FederatedStack;

beforeAll(async () => {
  stack = await startFederatedStack({
    scale: 0.02,
    gatewayEnv: { GATEWAY_JWT_PUBLIC_KEY: PUBLIC_PEM, GATEWAY_JWT_ISSUER: 'https://idp.test' },
  });
});

afterAll(async () => {
  await stack?.close();
});

const now = () => Math.floor(Date.now() / 1000);

function token(
  claims: Record<string, unknown>,
  o: { key?: KeyObject; aud?: string; iss?: string; exp?: number; nbf?: number } = {},
): Promise<string> {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject(String(claims.sub ?? 'u-1'))
    .setIssuer(o.iss ?? 'https://idp.test')
    .setAudience(o.aud ?? 'govgraph')
    .setIssuedAt()
    .setExpirationTime(o.exp ?? now() + 600);
  if (o.nbf !== undefined) jwt.setNotBefore(o.nbf);
  return jwt.sign(o.key ?? idp.privateKey);
}

const as = {
  citizen: () => token({ role: 'citizen', citizen_id: '001085012345' }),
  official: () => token({ role: 'official', agency: AGENCY }),
  analyst: () => token({ role: 'analyst' }),
  partner: () => token({ role: 'partner', agency: AGENCY, scope: 'documents:read' }),
  admin: () => token({ role: 'admin' }),
};

interface Answer {
  status: number;
  text: string;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}

async function send(init: RequestInit & { url?: string; search?: string }): Promise<Answer> {
  const res = await fetch((init.url ?? stack.url) + (init.search ?? ''), init);
  const text = await res.text();
  let body: Answer['body'] = {};
  try {
    body = JSON.parse(text);
  } catch {
    // asserted by the caller through `text`
  }
  return { status: res.status, text, body };
}

/**
 * POSTs like Apollo Client (`accept: application/graphql-response+json`), whose request errors are
 * 4xx. A client that accepts only `application/json` gets the same errors with 200 (GraphQL over
 * HTTP; gateway/httpStatus.ts), asserted in gateway/test/httpEdge.int.test.ts.
 */
function post(body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return send({
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const bearer = async (t: string | Promise<string>) => ({ authorization: `Bearer ${await t}` });

/** The status, the first error's code, and no stack, internal address or data in the answer. */
function refused(a: Answer, status: number, code: string): void {
  expect(a.status).toBe(status);
  expect(a.body.errors?.[0]?.extensions?.code).toBe(code);
  expect(a.body.data ?? null).toBeNull();
  expect(a.text).not.toMatch(/stacktrace|\bat .+:\d+:\d+|127\.0\.0\.1|localhost|https?:\/\/(?!idp\.test)/i);
}

const nest = (depth: number) =>
  `{ agency(code: "${AGENCY}") { ${'parent { '.repeat(depth)}name${' }'.repeat(depth)} name } }`;

describe('§a rows 1–10: query shape and size', () => {
  test('1. deep nesting (20, 200, 2000 levels) → 400, no stack overflow', async () => {
    refused(await post({ query: nest(20) }), 400, 'GRAPHQL_VALIDATION_FAILED');
    expect((await post({ query: nest(20) })).body.errors?.[0]?.message).toMatch(
      /depth 22 exceeds the limit of 10/,
    );
    refused(await post({ query: nest(200) }), 400, 'GRAPHQL_VALIDATION_FAILED');
    refused(await post({ query: nest(2000) }), 400, 'GRAPHQL_PARSE_FAILED'); // past the token limit
  });

  test('2. alias overload (500 aliases) → 400', async () => {
    const query = `{ ${Array.from({ length: 500 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const a = await post({ query });
    refused(a, 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(a.body.errors?.[0]?.message).toMatch(/Alias count 500 exceeds the limit of 15/);
  });

  test('3. field duplication (__typename ×10 000) → 400 token limit, answered fast', async () => {
    const started = performance.now();
    refused(await post({ query: `{ ${'__typename '.repeat(10_000)}}` }), 400, 'GRAPHQL_PARSE_FAILED');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  test('4. directive overload → 400 with at most 100 errors (+1 "aborted")', async () => {
    const spreads = Array.from({ length: 60 }, () => '...F @include(if: true)').join(' ');
    const a = await post({
      query: `{ agency(code: "${AGENCY}") { ${spreads} } } fragment F on Agency { name }`,
    });
    refused(a, 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(a.body.errors?.[0]?.message).toMatch(/Directive count 60 exceeds the limit of 50/);
    const unknown = await post({ query: `{ __typename ${'@aa '.repeat(300)}}` });
    refused(unknown, 400, 'GRAPHQL_VALIDATION_FAILED');
    // graphql-js stops at 100 errors and adds one saying validation was aborted.
    expect(unknown.body.errors!.length).toBeLessThanOrEqual(101);
  });

  test('5. circular fragments → 400', async () => {
    const query = '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }';
    refused(await post({ query }), 400, 'GRAPHQL_VALIDATION_FAILED');
  });

  test('7. array batch → 400 BAD_REQUEST', async () => {
    const a = await post(Array.from({ length: 100 }, () => ({ query: '{ __typename }' })));
    refused(a, 400, 'BAD_REQUEST');
    expect(a.body.errors?.[0]?.message).toMatch(/batching/i);
  });

  test('8. several operations without operationName → 400 OPERATION_RESOLUTION_FAILURE', async () => {
    refused(
      await post({ query: 'query A { __typename } query B { __typename }' }),
      400,
      'OPERATION_RESOLUTION_FAILURE',
    );
  });

  test('9. huge document (1 MB of tokens, under the body limit) → 400 GRAPHQL_PARSE_FAILED', async () => {
    refused(await post({ query: `{ ${'a '.repeat(400_000)}}` }), 400, 'GRAPHQL_PARSE_FAILED');
  });

  test('10. oversized body → 413 PAYLOAD_TOO_LARGE with a JSON body', async () => {
    refused(await post({ query: `# ${'x'.repeat(1_100_000)}\n{ __typename }` }), 413, 'PAYLOAD_TOO_LARGE');
  });

  test('27. cost amplification (first: 10000, nested lists) → 400', async () => {
    const a = await post({
      query: '{ documents(first: 10000) { nodes { recipients { name } assignments { state } } } }',
    });
    refused(a, 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(a.body.errors?.[0]?.message).toMatch(/Estimated query cost \d+ exceeds the limit of 5000/);
  });

  test('27b. the cost of a repeated operation is checked every time; with variables it follows them', async () => {
    const query = '{ documents(first: 10000) { nodes { recipients { name } assignments { state } } } }';
    // The cost of an operation without variables is computed once: the second refusal is the cached one.
    for (let i = 0; i < 2; i++) refused(await post({ query }), 400, 'GRAPHQL_VALIDATION_FAILED');
    const sized =
      'query Sized($n: Int) { documents(first: $n) { nodes { recipients { name } assignments { state } } } }';
    refused(await post({ query: sized, variables: { n: 10000 } }), 400, 'GRAPHQL_VALIDATION_FAILED');
    const small = await post({ query: sized, variables: { n: 5 } }, await bearer(as.analyst()));
    expect(small.status).toBe(200);
    expect(small.body.errors).toBeUndefined();
  });

  test('a normal query passes every limit', async () => {
    const a = await post(
      {
        query:
          '{ documents(first: 20) { nodes { numberSymbol issuer { name parent { name } } recipients { name } } } }',
      },
      await bearer(as.analyst()),
    );
    expect(a.status).toBe(200);
    expect(a.body.errors).toBeUndefined();
  });
});

describe('§a rows 12–18: HTTP', () => {
  test('12. malformed JSON → 400 JSON error, no HTML', async () => {
    const a = await post('{"query": "{ __typename }"');
    refused(a, 400, 'BAD_REQUEST');
    expect(a.text).not.toMatch(/<html/i);
  });

  test('13. POST with a wrong content-type (xml, none) → 400', async () => {
    refused(
      await send({ method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<q/>' }),
      400,
      'BAD_REQUEST',
    );
    refused(
      await send({ method: 'POST', body: new Uint8Array(Buffer.from('{"query":"{__typename}"}')) }),
      400,
      'BAD_REQUEST',
    );
  });

  test('15. CSRF: GET without a preflight header, POST text/plain, form or multipart → 400', async () => {
    const get = await send({ method: 'GET', search: '?query=%7B__typename%7D' });
    refused(get, 400, 'BAD_REQUEST');
    expect(get.body.errors?.[0]?.message).toMatch(/CSRF/);
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const a = await send({
        method: 'POST',
        headers: { 'content-type': type },
        body: '{"query":"{__typename}"}',
      });
      refused(a, 400, 'BAD_REQUEST');
      expect(a.body.errors?.[0]?.message).toMatch(/CSRF/);
    }
    const preflighted = await send({
      method: 'GET',
      search: '?query=%7B__typename%7D',
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(preflighted.body).toEqual({ data: { __typename: 'Query' } });
  });

  test('18. bad variables: wrong type, missing non-null → 400 BAD_USER_INPUT; variables as a string → 400 BAD_REQUEST', async () => {
    const query = 'query($id: ID!) { document(id: $id) { numberSymbol } }';
    refused(await post({ query, variables: { id: { nested: true } } }), 400, 'BAD_USER_INPUT');
    refused(await post({ query, variables: {} }), 400, 'BAD_USER_INPUT');
    refused(await post({ query, variables: '{"id":"1"}' }), 400, 'BAD_REQUEST');
  });
});

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
    for (const [name, sub] of stack.subgraphs) {
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
