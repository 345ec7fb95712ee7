/**
 * Identity at the gateway, over real HTTP with the fixture subgraphs: tokens verified against a JWKS
 * that rotates and goes down, and the caller (and delegations) each subgraph receives, signed by the
 * gateway. Rate limits: rateLimit.int.test.ts; CORS: cors.int.test.ts.
 */
import type { KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import {
  CALLER_HEADER,
  createDelegationVerifier,
  generateGatewayKeys,
  importGatewayPublicKey,
  parsePeersHeader,
  PEERS_HEADER,
  verifyCallerToken,
} from '../../common/identity';
import { readFileSync } from 'node:fs';
import { callerFromClaims, identity } from '../features/identity';
import { createGateway } from '../server';
import type { Gateway } from '../server';
import { engineEnv, startProducts, startReviews, writeSupergraph } from './support/fixtures';
import type { RunningServer } from './support/fixtures';
import { defaultConfig, defaultFeatures } from './support/config';
import { pair, token } from './support/tokens';

const logger = pino({ level: 'silent' });
let products: RunningServer;
let reviews: RunningServer;
let supergraph: { file: string; cleanup(): void };
const gateways: Gateway[] = [];

interface Jwks {
  url: string;
  keys: Map<string, KeyObject>;
  fetches: number;
  up: boolean;
  close(): Promise<void>;
}

/** A JWKS endpoint whose key set and availability the test controls. */
async function startJwks(): Promise<Jwks> {
  const jwks: Jwks = { url: '', keys: new Map(), fetches: 0, up: true, close: async () => undefined };
  const server: Server = createServer((_req, res) => {
    jwks.fetches++;
    if (!jwks.up) return void res.writeHead(503).end();
    const keys = [...jwks.keys].map(([kid, key]) => ({
      ...key.export({ format: 'jwk' }),
      kid,
      alg: 'ES256',
      use: 'sig',
    }));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwks.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  jwks.close = () => new Promise((resolve) => server.close(() => resolve()));
  return jwks;
}

async function startGateway(env: Record<string, string>): Promise<string> {
  const gateway = createGateway(
    defaultConfig({ SUPERGRAPH_PATH: supergraph.file, GATEWAY_PORT: '0', ...engineEnv(), ...env }),
    { logger, features: defaultFeatures },
  );
  gateways.push(gateway);
  return (await gateway.start()).url;
}

async function ask(url: string, bearer?: string, query = '{ topProducts { upc } }') {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify({ query }),
  });
  const body = (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  return { status: res.status, headers: res.headers, body, code: body.errors?.[0]?.extensions?.code };
}

beforeAll(async () => {
  products = await startProducts();
  reviews = await startReviews();
  supergraph = writeSupergraph({ products: products.url, reviews: reviews.url });
});

afterAll(async () => {
  for (const g of gateways) await g.stop();
  await products?.close();
  await reviews?.close();
  supergraph?.cleanup();
});

describe('JWKS', () => {
  test('a new key is picked up; a removed key is refused once the cache is refreshed', async () => {
    const jwks = await startJwks();
    try {
      const one = pair();
      jwks.keys.set('k1', one.publicKey);
      const url = await startGateway({
        GATEWAY_JWT_JWKS_URL: jwks.url,
        GATEWAY_JWKS_COOLDOWN: '0',
        GATEWAY_JWKS_CACHE_MAX_AGE: '200',
      });
      expect((await ask(url, await token('k1', one.privateKey))).status).toBe(200);

      const two = pair();
      jwks.keys.set('k2', two.publicKey); // rotation: the provider publishes a new key
      expect((await ask(url, await token('k2', two.privateKey))).status).toBe(200);

      jwks.keys.delete('k1'); // and retires the old one
      await new Promise((r) => setTimeout(r, 300));
      const retired = await ask(url, await token('k1', one.privateKey));
      expect([retired.status, retired.code, retired.body.data ?? null]).toEqual([
        401,
        'UNAUTHENTICATED',
        null,
      ]);
    } finally {
      await jwks.close();
    }
  });

  test('a JWKS outage never fails open: cached keys still verify, anything else is refused', async () => {
    const jwks = await startJwks();
    try {
      const one = pair();
      jwks.keys.set('k1', one.publicKey);
      const url = await startGateway({ GATEWAY_JWT_JWKS_URL: jwks.url, GATEWAY_JWKS_COOLDOWN: '0' });
      expect((await ask(url, await token('k1', one.privateKey))).status).toBe(200);
      jwks.up = false;
      expect((await ask(url, await token('k1', one.privateKey))).status).toBe(200);
      const unknown = await ask(url, await token('k9', pair().privateKey));
      expect([unknown.status, unknown.code, unknown.body.data ?? null]).toEqual([
        401,
        'UNAUTHENTICATED',
        null,
      ]);
      await jwks.close(); // gone entirely
      const after = await ask(url, await token('k8', pair().privateKey));
      expect([after.status, after.code]).toEqual([401, 'UNAUTHENTICATED']);
    } finally {
      await jwks.close().catch(() => undefined);
    }
  });
});

test('each subgraph receives the verified caller, signed by the gateway for that subgraph only', async () => {
  const idp = pair();
  const keys = generateGatewayKeys();
  const url = await startGateway({
    GATEWAY_JWT_PUBLIC_KEY: idp.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    GATEWAY_SUBGRAPH_SIGNING_KEY: keys.privateKey,
  });
  const official = await token('k', idp.privateKey, {
    role: 'official',
    agency: '000.00.21.H26',
    sub: 'cb-9',
  });
  const r = await ask(url, official, `{ requestHeader(name: "${CALLER_HEADER}") }`);
  expect(r.status).toBe(200);
  const forwarded = (r.body.data as { requestHeader: string }).requestHeader;
  const publicKey = await importGatewayPublicKey(keys.publicKey);
  await expect(verifyCallerToken(forwarded, publicKey, 'products')).resolves.toEqual({
    subject: 'cb-9',
    role: 'official',
    agencyCode: '000.00.21.H26',
    citizenId: null,
    scopes: [],
  });
  await expect(verifyCallerToken(forwarded, publicKey, 'reviews')).rejects.toThrow(/aud/);

  const anonymous = await ask(url, undefined, `{ requestHeader(name: "${CALLER_HEADER}") }`);
  const caller = await verifyCallerToken(
    (anonymous.body.data as { requestHeader: string }).requestHeader,
    publicKey,
    'products',
  );
  expect(caller.role).toBe('anonymous');
});

test('a subgraph with peers also receives one delegation per peer: same caller, acting subgraph, peer address', async () => {
  const idp = pair();
  const keys = generateGatewayKeys();
  const url = await startGateway({
    GATEWAY_JWT_PUBLIC_KEY: idp.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    GATEWAY_SUBGRAPH_SIGNING_KEY: keys.privateKey,
    GATEWAY_SUBGRAPH_PEERS: 'products=reviews',
  });
  const official = await token('k', idp.privateKey, {
    role: 'official',
    agency: '000.00.21.H26',
    sub: 'cb-9',
  });
  // A read asks no peer: its fetches carry no delegation.
  const r = await ask(url, official, `{ requestHeader(name: "${PEERS_HEADER}") }`);
  expect(r.body.data).toEqual({ requestHeader: null });
  // A mutation fetch to products does (the fixtures have no mutation: the feature's fetch wrapper, directly).
  const config = defaultConfig({
    SUPERGRAPH_PATH: supergraph.file,
    GATEWAY_SUBGRAPH_SIGNING_KEY: keys.privateKey,
    GATEWAY_SUBGRAPH_PEERS: 'products=reviews',
  });
  const parts = identity.create(config.features.identity as never, {
    config,
    logger,
    graphqlPath: '/graphql',
  });
  parts.supergraph!(readFileSync(supergraph.file, 'utf8'));
  let sent = new Headers();
  const fetchAs = (query: string) =>
    parts.subgraphFetch!(
      {
        subgraph: 'products',
        request: { url: 'http://products.invalid/graphql', headers: new Headers(), body: { query } },
        context: {
          identity: callerFromClaims({ sub: 'cb-9', role: 'official', agency: '000.00.21.H26' }),
        } as never,
      },
      async (call) => ((sent = call.request.headers), { data: {} }),
    );
  await fetchAs('mutation { x }');
  const tokens = parsePeersHeader(sent.get(PEERS_HEADER) ?? undefined);
  expect([...tokens.keys()]).toEqual(['reviews']);
  await fetchAs('query { x }');
  expect(sent.get(PEERS_HEADER)).toBeNull();
  const publicKey = await importGatewayPublicKey(keys.publicKey);
  await expect(verifyCallerToken(tokens.get('reviews')!, publicKey, 'reviews')).resolves.toEqual({
    subject: 'cb-9',
    role: 'official',
    agencyCode: '000.00.21.H26',
    citizenId: null,
    scopes: [],
    actor: 'products',
  });
  // The address is the one the gateway fetches reviews at; only products may use the delegation.
  await expect(
    createDelegationVerifier(keys.publicKey, 'products').verify('reviews', tokens.get('reviews')!),
  ).resolves.toBe(reviews.url);
  await expect(
    createDelegationVerifier(keys.publicKey, 'someone').verify('reviews', tokens.get('reviews')!),
  ).rejects.toThrow('the delegation does not name someone as the actor');

  expect(() =>
    defaultConfig({ SUPERGRAPH_PATH: supergraph.file, GATEWAY_SUBGRAPH_PEERS: 'products=Reviews' }),
  ).toThrow(/GATEWAY_SUBGRAPH_PEERS/);
  await expect(
    startGateway({
      GATEWAY_SUBGRAPH_SIGNING_KEY: keys.privateKey,
      GATEWAY_SUBGRAPH_PEERS: 'products=nowhere',
    }),
  ).rejects.toThrow('GATEWAY_SUBGRAPH_PEERS: no subgraph "nowhere" in the supergraph');
});
