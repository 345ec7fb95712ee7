/**
 * The kit's subgraph server: what a caller (the gateway) sees for each kind of error, and that only
 * the gateway may call (a caller token it signed for this subgraph, common/identity.ts).
 */
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { SignJWT } from 'jose';
import type { CryptoKey } from 'jose';
import pino from 'pino';
import { ANONYMOUS } from '../runtime/context';
import type { Caller } from '../runtime/context';
import type { Database } from '../runtime/db';
import { badInput } from '../runtime/errors';
import {
  CALLER_HEADER,
  createCallerSigner,
  createCallerVerifier,
  CALLER_TOKEN_MAX_AGE_SECONDS,
  GATEWAY_ISSUER,
  generateGatewayKeys,
  importGatewayPrivateKey,
  signCallerToken,
} from '../../common/identity';
import { createSubgraphServer } from '../runtime/server';
import { createTestDatabase } from '../testing';

const keys = generateGatewayKeys();
let signingKey: CryptoKey;
const OFFICIAL: Caller = {
  subject: 'u-7',
  role: 'official',
  agencyCode: '000.00.21.H26',
  citizenId: null,
  scopes: [],
};

let db: Database;
let app: ReturnType<typeof createSubgraphServer>;

const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query { ok: String! broken: String bad(n: Int!): Int requestId: String! caller: String! }
`;

beforeAll(async () => {
  db = await createTestDatabase();
  app = createSubgraphServer({
    name: 'fixture',
    typeDefs,
    resolvers: {
      Query: {
        ok: () => 'ok',
        broken: () => {
          throw new Error('connection to 10.0.0.5:5432 lost; password=hunter2');
        },
        bad: (_: unknown, { n }: { n: number }) => {
          if (n < 0) throw badInput('n', 'must not be negative');
          return n;
        },
        requestId: (_: unknown, __: unknown, ctx: { requestId: string }) => ctx.requestId,
        caller: (_: unknown, __: unknown, ctx: { caller: Caller }) => JSON.stringify(ctx.caller),
      },
    },
    createLoaders: () => ({}),
    db,
    logger: pino({ level: 'silent' }),
    maxPageSize: 100,
    gatewayPublicKey: keys.publicKey,
  });
  await app.ready();
  signingKey = await importGatewayPrivateKey(keys.privateKey);
});

afterAll(async () => {
  await app.close();
  await db.close();
});

const signed = async (caller: Caller = ANONYMOUS) => ({
  [CALLER_HEADER]: await signCallerToken(caller, signingKey, { audience: 'fixture' }),
});

const post = async (query: string, headers: Record<string, string>) => {
  const res = await app.inject({ method: 'POST', url: '/graphql', payload: { query }, headers });
  return { status: res.statusCode, body: res.json() };
};

const gql = async (query: string, headers: Record<string, string> = {}) =>
  post(query, { ...(await signed()), ...headers });

test('an unexpected resolver failure is masked, the rest of the data survives', async () => {
  const r = await gql('{ ok broken }');
  expect(r.status).toBe(200);
  expect(r.body.data).toEqual({ ok: 'ok', broken: null });
  expect(r.body.errors[0]).toMatchObject({
    message: 'Internal server error',
    path: ['broken'],
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
  expect(JSON.stringify(r.body)).not.toMatch(/hunter2|10\.0\.0\.5|stack/);
});

test('catalogued errors keep their message, code and field', async () => {
  const r = await gql('{ bad(n: -1) }');
  expect(r.body.errors[0]).toMatchObject({
    message: 'n: must not be negative',
    extensions: { code: 'BAD_USER_INPUT', field: 'n' },
  });
});

test('syntax and validation errors get their own codes', async () => {
  expect((await gql('{ ok')).body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  expect((await gql('{ nope }')).body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect((await gql('{ bad(n: "x") }')).body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
});

test('the request id from the gateway reaches the resolver context; one of no request id shape is replaced', async () => {
  expect((await gql('{ requestId }', { 'x-request-id': 'req-42' })).body.data.requestId).toBe('req-42');
  const odd = (await gql('{ requestId }', { 'x-request-id': `<b>${'x'.repeat(200)}` })).body.data.requestId;
  expect(odd).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
});

test('health and readiness', async () => {
  expect((await app.inject({ url: '/health' })).json()).toEqual({ status: 'ok', subgraph: 'fixture' });
  expect((await app.inject({ url: '/ready' })).statusCode).toBe(200);
});

describe('only the gateway may call', () => {
  const refused = (r: { status: number; body: any }) => {
    expect(r.status).toBe(401);
    expect(r.body).toEqual({
      data: null,
      errors: [
        { message: 'This subgraph answers the gateway only', extensions: { code: 'UNAUTHENTICATED' } },
      ],
    });
  };

  test('no caller token: 401, even for _service and _entities', async () => {
    refused(await post('{ ok }', {}));
    refused(await post('{ _service { sdl } }', {}));
    refused(await post('{ _entities(representations: [{ __typename: "X" }]) { __typename } }', {}));
  });

  test('a token signed with another key, expired, for another subgraph, or garbage: 401', async () => {
    const other = await importGatewayPrivateKey(generateGatewayKeys().privateKey);
    const forged = await signCallerToken(OFFICIAL, other, { audience: 'fixture' });
    refused(await post('{ ok }', { [CALLER_HEADER]: forged }));
    const expired = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'govgraph-caller+jwt' })
      .setIssuer(GATEWAY_ISSUER)
      .setAudience('fixture')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 300)
      .sign(signingKey);
    refused(await post('{ ok }', { [CALLER_HEADER]: expired }));
    const elsewhere = await signCallerToken(OFFICIAL, signingKey, { audience: 'land' });
    refused(await post('{ ok }', { [CALLER_HEADER]: elsewhere }));
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"role":"admin"}').toString('base64url')}.`;
    refused(await post('{ ok }', { [CALLER_HEADER]: none }));
    refused(await post('{ ok }', { [CALLER_HEADER]: 'garbage' }));
  });

  test('a valid token: the resolver sees the caller it names', async () => {
    const r = await post('{ caller }', await signed(OFFICIAL));
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body.data.caller)).toEqual(OFFICIAL);
    expect(JSON.parse((await gql('{ caller }')).body.data.caller)).toEqual(ANONYMOUS);
  });

  test('a subgraph with no gateway key refuses everything but its probes', async () => {
    const closed = createSubgraphServer({
      name: 'closed',
      typeDefs,
      resolvers: { Query: { ok: () => 'ok' } },
      createLoaders: () => ({}),
      db,
      logger: pino({ level: 'silent' }),
      maxPageSize: 100,
    });
    try {
      const res = await closed.inject({ method: 'POST', url: '/graphql', payload: { query: '{ ok }' } });
      expect(res.statusCode).toBe(401);
      expect((await closed.inject({ url: '/health' })).statusCode).toBe(200);
    } finally {
      await closed.close();
    }
  });
});

test('the gateway signer reuses a caller’s token per subgraph; the verifier accepts it while it lasts', async () => {
  const signer = createCallerSigner(keys.privateKey);
  const first = await signer.sign(OFFICIAL, 'fixture');
  expect(await signer.sign({ ...OFFICIAL }, 'fixture')).toBe(first);
  expect(await signer.sign(OFFICIAL, 'land')).not.toBe(first);
  expect(await signer.sign(ANONYMOUS, 'fixture')).not.toBe(first);
  const verifier = createCallerVerifier(keys.publicKey, 'fixture');
  await expect(verifier.verify(first)).resolves.toEqual(OFFICIAL);
  await expect(verifier.verify(first)).resolves.toEqual(OFFICIAL);
  await expect(verifier.verify(await signer.sign(OFFICIAL, 'land'))).rejects.toThrow(/aud/);
});

test('finding 11: a verified caller token with a far exp is remembered only until its maximum age', async () => {
  // Signed with the gateway's key but minted with a one-hour `exp` (as a leaked or misconfigured
  // signer would): the verifier used to keep it until that `exp`, accepting it for an hour from cache.
  const now = Math.floor(Date.now() / 1000);
  const old = await new SignJWT({ role: 'admin' })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'govgraph-caller+jwt' })
    .setIssuer(GATEWAY_ISSUER)
    .setAudience('fixture')
    .setSubject('u-admin')
    .setIssuedAt(now - CALLER_TOKEN_MAX_AGE_SECONDS + 1) // one second short of the maximum age
    .setExpirationTime(now + 3600)
    .sign(signingKey);
  const verifier = createCallerVerifier(keys.publicKey, 'fixture');
  await expect(verifier.verify(old)).resolves.toMatchObject({ role: 'admin', subject: 'u-admin' });
  await new Promise((resolve) => setTimeout(resolve, 2100));
  await expect(verifier.verify(old)).rejects.toThrow(/iat/);
  // Through the server too: the same token is now refused.
  const r = await post('{ ok }', { [CALLER_HEADER]: old });
  expect(r.status).toBe(401);
});

test('finding 8: a subgraph cuts a request body trickled a byte at a time (408) within its request timeout', async () => {
  const timed = createSubgraphServer({
    name: 'timed',
    typeDefs,
    resolvers: { Query: { ok: () => 'ok' } },
    createLoaders: () => ({}),
    db,
    logger: pino({ level: 'silent' }),
    maxPageSize: 100,
    gatewayPublicKey: keys.publicKey,
    httpTimeouts: { headersMs: 1000, requestMs: 1500, keepAliveMs: 1000 },
  });
  await timed.listen({ host: '127.0.0.1', port: 0 });
  const { port } = timed.server.address() as AddressInfo;
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const started = Date.now();
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  const token = await signCallerToken(ANONYMOUS, signingKey, { audience: 'timed' });
  socket.write(
    `POST /graphql HTTP/1.1\r\nHost: sg\r\n${CALLER_HEADER}: ${token}\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{`,
  );
  const timer = setInterval(() => socket.writable && socket.write(' '), 5000);
  try {
    await new Promise((resolve) => socket.once('close', resolve));
    expect(Date.now() - started).toBeLessThan(1500 + 1000 + 1000);
    expect(received.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
  } finally {
    clearInterval(timer);
    await timed.close();
  }
});
