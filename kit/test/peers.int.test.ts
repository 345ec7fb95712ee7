/**
 * Peer lookups (kit/runtime/peers.ts): a subgraph asks another, over real HTTP, as the same caller, with the
 * delegation token the gateway signed — and with nothing else. Two kit servers: `writer` asks
 * `registry` about things.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CryptoKey } from 'jose';
import pino from 'pino';
import type { Caller, RequestContext } from '../runtime/context';
import type { Database } from '../runtime/db';
import { forbidden } from '../runtime/errors';
import {
  CALLER_HEADER,
  generateGatewayKeys,
  importGatewayPrivateKey,
  PEERS_HEADER,
  signCallerToken,
} from '../../common/identity';
import { createSubgraphServer } from '../runtime/server';
import { createTestDatabase } from '../testing';

const keys = generateGatewayKeys();
const OFFICIAL: Caller = { subject: 'u-7', role: 'official', agencyCode: 'A', citizenId: null, scopes: [] };
type Ctx = RequestContext<unknown>;

let db: Database;
let registry: ReturnType<typeof createSubgraphServer>;
let writer: ReturnType<typeof createSubgraphServer>;
let registryUrl: string;
let signingKey: CryptoKey;
let registryRequests = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  signingKey = await importGatewayPrivateKey(keys.privateKey);
  const common = { createLoaders: () => ({}), db, logger: pino({ level: 'silent' }), maxPageSize: 100 };
  registry = createSubgraphServer({
    ...common,
    name: 'registry',
    gatewayPublicKey: keys.publicKey,
    typeDefs: `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      type Query { whoAsks: String! }
      type Mutation { erase: Boolean! }
      type Thing @key(fields: "id") { id: ID! owner: String! }
    `,
    resolvers: {
      Query: { whoAsks: (_: unknown, __: unknown, ctx: Ctx) => JSON.stringify(ctx.caller) },
      Mutation: { erase: () => true },
      Thing: {
        // Row-level access of the peer: an agency's things are read by its officials only.
        __resolveReference: async (ref: { id: string }, ctx: Ctx) => {
          if (ref.id === 'missing') return null;
          const owner = ref.id.split('-')[0]!;
          if (ctx.caller.agencyCode !== owner) throw forbidden(`You may not read thing ${ref.id}`);
          return { id: ref.id, owner };
        },
      },
    },
  });
  registry.addHook('onRequest', async (req) => {
    if (req.url === '/graphql') registryRequests++;
  });
  registryUrl = `${await registry.listen({ host: '127.0.0.1', port: 0 })}/graphql`;
  writer = createSubgraphServer({
    ...common,
    name: 'writer',
    gatewayPublicKey: keys.publicKey,
    peerTimeoutMs: 500,
    typeDefs: `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      type Query { peerSays: String! things(ids: [ID!]!): String! erase: String! }
    `,
    resolvers: {
      Query: {
        peerSays: async (_: unknown, __: unknown, ctx: Ctx) =>
          JSON.stringify((await ctx.peers.query<{ whoAsks: string }>('registry', '{ whoAsks }')).data),
        things: async (_: unknown, { ids }: { ids: string[] }, ctx: Ctx) =>
          JSON.stringify(
            await ctx.peers.entities(
              'registry',
              'Thing',
              ids.map((id) => ({ id })),
              'id owner',
            ),
          ),
        erase: async (_: unknown, __: unknown, ctx: Ctx) =>
          JSON.stringify(await ctx.peers.query('registry', 'mutation { erase }')),
      },
    },
  });
  await writer.ready();
});

afterAll(async () => {
  await writer.close();
  await registry.close();
  await db.close();
});

const delegation = (peerUrl: string, opts: { actor?: string; key?: CryptoKey; audience?: string } = {}) =>
  signCallerToken(OFFICIAL, opts.key ?? signingKey, {
    audience: opts.audience ?? 'registry',
    actor: opts.actor ?? 'writer',
    peerUrl,
  });

async function ask(query: string, peers?: string) {
  const headers: Record<string, string> = {
    [CALLER_HEADER]: await signCallerToken(OFFICIAL, signingKey, { audience: 'writer' }),
  };
  if (peers !== undefined) headers[PEERS_HEADER] = peers;
  const res = await writer.inject({ method: 'POST', url: '/graphql', payload: { query }, headers });
  return res.json();
}

test('the peer answers as the same caller and sees which subgraph acted', async () => {
  const r = await ask('{ peerSays }', `registry=${await delegation(registryUrl)}`);
  expect(r.errors).toBeUndefined();
  expect(JSON.parse(JSON.parse(r.data.peerSays).whoAsks)).toEqual({
    subject: 'u-7',
    role: 'official',
    agencyCode: 'A',
    citizenId: null,
    scopes: [],
    actor: 'writer',
  });
});

test('entities: every key in one request, each with what the peer said about it', async () => {
  const before = registryRequests;
  const r = await ask(
    '{ things(ids: ["A-1", "B-2", "missing"]) }',
    `registry=${await delegation(registryUrl)}`,
  );
  expect(r.errors).toBeUndefined();
  expect(registryRequests - before).toBe(1);
  expect(JSON.parse(r.data.things)).toEqual([
    { value: { id: 'A-1', owner: 'A' }, errors: [] },
    {
      value: null,
      errors: [{ code: 'FORBIDDEN', message: 'You may not read thing B-2', path: ['_entities', 1] }],
    },
    { value: null, errors: [] },
  ]);
});

test('without a delegation for the peer, the lookup fails with DOWNSTREAM_SERVICE_ERROR', async () => {
  const r = await ask('{ peerSays }');
  expect(r.errors[0]).toMatchObject({
    message: 'Could not check with the registry system: the gateway gave no delegation for it',
    extensions: { code: 'DOWNSTREAM_SERVICE_ERROR' },
  });
});

test('a delegation not signed by the gateway, for another actor or another peer is never used', async () => {
  let hits = 0;
  const trap = createServer((_, res) => {
    hits++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ data: { whoAsks: 'the attacker' } }));
  });
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
  const trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}/graphql`;
  try {
    const otherKey = await importGatewayPrivateKey(generateGatewayKeys().privateKey);
    for (const token of [
      await delegation(trapUrl, { key: otherKey }),
      await delegation(trapUrl, { actor: 'someone-else' }),
      await delegation(trapUrl, { audience: 'writer' }),
    ]) {
      const r = await ask('{ peerSays }', `registry=${token}`);
      expect(r.errors[0]).toMatchObject({
        message: 'Could not check with the registry system: the delegation is not valid',
        extensions: { code: 'DOWNSTREAM_SERVICE_ERROR' },
      });
    }
    expect(hits).toBe(0);
  } finally {
    trap.close();
  }
});

test('a peer that is down or silent fails the lookup with DOWNSTREAM_SERVICE_ERROR', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/graphql`;
  await new Promise((resolve) => closed.close(resolve));
  const down = await ask('{ peerSays }', `registry=${await delegation(deadUrl)}`);
  expect(down.errors[0]).toMatchObject({
    message: 'Could not check with the registry system: unreachable',
    extensions: { code: 'DOWNSTREAM_SERVICE_ERROR' },
  });
  const silent = createServer(() => undefined); // accepts, never answers
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/graphql`;
    const r = await ask('{ peerSays }', `registry=${await delegation(url)}`);
    expect(r.errors[0]).toMatchObject({
      message: 'Could not check with the registry system: no answer within 500 ms',
      extensions: { code: 'DOWNSTREAM_SERVICE_ERROR' },
    });
  } finally {
    silent.closeAllConnections();
    silent.close();
  }
});

test('a delegated caller may read, never write: the peer refuses its mutations', async () => {
  const r = await ask('{ erase }', `registry=${await delegation(registryUrl)}`);
  expect(JSON.parse(r.data.erase)).toEqual({
    data: null,
    errors: [
      {
        code: 'FORBIDDEN',
        message: "writer may only read here on the caller's behalf, not erase",
        path: ['erase'],
      },
    ],
  });
});
