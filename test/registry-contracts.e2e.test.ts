/**
 * Contracts from the registry, with real processes: a registry process on a test database and a
 * gateway process reading its supergraph from the registry and its contracts through a proxy that can
 * tamper with the contracts document (GATEWAY_CONTRACTS=<proxy>/v1/environments/production/contracts):
 * 1. with no contract the partner sees the whole graph; contract A is set in the registry and, after
 *    a poll, the partner's introspection and validation know only A's cut;
 * 2. an official changes the contract in the registry; after a poll the partner sees the new cut, in
 *    the same gateway process (no restart, no supergraph reload);
 * 3. a tampered document (signature kept) and an unsigned one are refused: logged, counted in
 *    /ready, the serving contracts keep serving; a good one is taken again after;
 * and a gateway does not start on an unsigned contracts document.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateGatewayKeys } from '../common/identity';
import { SIGNATURE_HEADER } from '../common/supergraphSignature';
import { createTestDatabase } from '../kit/testing';
import type { TestDatabase } from '../kit/testing';
import { PRODUCTS_SDL, REVIEWS_SDL, startProducts, startReviews } from '../gateway/test/support/fixtures';
import type { RunningServer } from '../gateway/test/support/fixtures';
import { call, OFFICIAL, tokenFor } from '../registry/test/support';
import type { TestRegistry } from '../registry/test/support';
import { killStarted, startGatewayProcess, startRegistryProcess, until } from './support/registryProcesses';
import type { Started } from './support/registryProcesses';

jest.setTimeout(180_000);

const AGENCY = '000.00.31.H26';
const ENV = '/v1/environments/production';
/** The fixtures, tagged: Product.price `pricing`, everything of reviews `reviews`. */
const tagged = (sdl: string) =>
  sdl
    .replace('import: ["@key"]', 'import: ["@key", "@tag"]')
    .replace('price: Int!', 'price: Int! @tag(name: "pricing")')
    .replace('reviews: [Review!]', 'reviews: [Review!] @tag(name: "reviews")')
    .replace('reviewCount: Int!', 'reviewCount: Int! @tag(name: "reviews")');

let products: RunningServer;
let reviews: RunningServer;
let db: TestDatabase;
let registry: Started & { url: string };
let official: string;
let partner: string;
let publicKey: string;
let idpPem: string;
let proxy: Server;
let proxyUrl: string;
/** What the proxy does to the contracts document on its way from the registry to the gateway. */
let mode: 'pass' | 'tamper' | 'unsigned' = 'pass';

beforeAll(async () => {
  [products, reviews, db] = await Promise.all([startProducts(), startReviews(), createTestDatabase()]);
  const keys = generateGatewayKeys();
  publicKey = keys.publicKey;
  const idp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  idpPem = idp.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  registry = await startRegistryProcess({
    REGISTRY_PORT: '0',
    REGISTRY_DATABASE_URL: db.url,
    REGISTRY_SIGNING_KEY: keys.privateKey,
    REGISTRY_JWT_PUBLIC_KEY: idpPem,
  });
  const issuer = { idp: { privateKey: idp.privateKey } } as TestRegistry;
  official = await tokenFor(issuer, OFFICIAL);
  partner = await tokenFor(issuer, { sub: 'partner-shop', role: 'partner', agency: AGENCY });
  for (const [name, sdl, url] of [
    ['products', PRODUCTS_SDL, products.url],
    ['reviews', REVIEWS_SDL, reviews.url],
  ] as const)
    expect(
      await call(registry, 'POST', `${ENV}/subgraphs/${name}/publish`, {
        token: official,
        body: { sdl: tagged(sdl), url },
      }),
    ).toMatchObject({ status: 200 });
  // The proxy: `tamper` widens the document (no exclusions) but keeps its signature; `unsigned`
  // drops the signature. Neither lets a 304 through (it would hide the change).
  proxy = createServer((req, res) => {
    const headers: Record<string, string> = { authorization: req.headers.authorization ?? '' };
    if (mode === 'pass' && req.headers['if-none-match'])
      headers['if-none-match'] = req.headers['if-none-match'];
    fetch(new URL(req.url!, registry.url), { headers }).then(
      async (upstream) => {
        let body = await upstream.text();
        const out: Record<string, string> = {
          'content-type': upstream.headers.get('content-type') ?? 'application/json',
        };
        const signature = upstream.headers.get(SIGNATURE_HEADER);
        if (signature && mode !== 'unsigned') out[SIGNATURE_HEADER] = signature;
        if (mode === 'pass' && upstream.headers.get('etag')) out.etag = upstream.headers.get('etag')!;
        if (mode === 'tamper' && upstream.status === 200)
          body = body.replace(/"exclude": \[[^\]]*\]/g, '"exclude": ["nothing-at-all"]');
        res.writeHead(upstream.status, out).end(upstream.status === 304 ? undefined : body);
      },
      () => res.writeHead(502).end(),
    );
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  killStarted();
  await new Promise((resolve) => proxy?.close(resolve));
  await Promise.all([products?.close(), reviews?.close()]);
  await db?.close();
});

const startGateway = () =>
  startGatewayProcess({
    GATEWAY_RATE_LIMIT_PER_IP: '0',
    SUPERGRAPH_URL: `${registry.url}${ENV}/supergraph`,
    GATEWAY_SUPERGRAPH_POLL_INTERVAL: '200',
    GATEWAY_SUPERGRAPH_PUBLIC_KEY: publicKey,
    GATEWAY_JWT_PUBLIC_KEY: idpPem,
    GATEWAY_CONTRACTS: `${proxyUrl}${ENV}/contracts`,
    GATEWAY_CONTRACTS_TOKEN: official,
  });

const setContract = (body: unknown) =>
  call(registry, 'PUT', `${ENV}/contracts/shop`, { token: official, body });

interface Ready {
  supergraph: { hash: string; reloads: number };
  contracts: { hash: string; reloads: number; refusals: number };
}
const ready = async (gateway: { url: string }): Promise<Ready> =>
  (await fetch(new URL('/ready', gateway.url)).then((r) => r.json())) as Ready;

const gql = async (gateway: { url: string }, query: string, token?: string) =>
  (await fetch(new URL('/graphql', gateway.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query }),
  }).then((r) => r.json())) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };

/** What the partner's introspection shows: Query's fields and Product's. */
async function cut(gateway: { url: string }): Promise<{ query: string[]; product: string[] }> {
  const answer = await gql(
    gateway,
    '{ __schema { queryType { fields { name } } } __type(name: "Product") { fields { name } } }',
    partner,
  );
  expect(answer.errors).toBeUndefined();
  return {
    query: answer.data.__schema.queryType.fields.map((f: { name: string }) => f.name).sort(),
    product: answer.data.__type.fields.map((f: { name: string }) => f.name).sort(),
  };
}

test('a contract changed in the registry reaches the partner without a restart; tampered documents are refused', async () => {
  // Before any contract: the partner is served the whole graph.
  const gateway = await startGateway();
  const pid = gateway.proc.pid;
  expect((await ready(gateway)).contracts).toMatchObject({ reloads: 0, refusals: 0 });
  expect(await gql(gateway, '{ reviewCount }', partner)).toEqual({
    data: { reviewCount: expect.any(Number) },
  });
  expect(await setContract({ exclude: ['reviews'], partners: [AGENCY] })).toMatchObject({ status: 200 });
  const first = await until(
    'contract A taken',
    () => ready(gateway),
    (r) => r.contracts.reloads === 1,
  );
  expect(first.contracts).toMatchObject({ refusals: 0, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });

  // 1. Contract A: no reviews.
  expect(await cut(gateway)).toEqual({
    query: ['product', 'requestHeader', 'topProducts'],
    product: ['name', 'price', 'upc'],
  });
  expect(await gql(gateway, '{ reviewCount }', partner)).toMatchObject({
    errors: [
      {
        message: 'Cannot query field "reviewCount" on type "Query".',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      },
    ],
  });
  expect(await gql(gateway, '{ topProducts { upc price } }', partner)).toMatchObject({
    data: { topProducts: expect.any(Array) },
  });
  // Anyone else still sees the whole graph.
  expect(await gql(gateway, '{ reviewCount }')).toEqual({ data: { reviewCount: expect.any(Number) } });

  // 2. The contract changes in the registry: reviews in, pricing out, after a poll, same process.
  expect(await setContract({ exclude: ['pricing'], partners: [AGENCY] })).toMatchObject({
    status: 200,
    body: { contract: { revision: 2 } },
  });
  const second = await until(
    'the new contract taken',
    () => ready(gateway),
    (r) => r.contracts.reloads === 2,
  );
  expect(second.contracts.hash).not.toBe(first.contracts.hash);
  expect(second.supergraph).toEqual(first.supergraph);
  expect(gateway.proc.pid).toBe(pid);
  expect(gateway.proc.exitCode).toBeNull();
  expect(await cut(gateway)).toEqual({
    query: ['product', 'requestHeader', 'reviewCount', 'topProducts'],
    product: ['name', 'reviews', 'upc'],
  });
  expect(await gql(gateway, '{ topProducts { price } }', partner)).toMatchObject({
    errors: [{ message: 'Cannot query field "price" on type "Product".' }],
  });

  // 3. A change arrives tampered (widened, signature kept), then unsigned: both refused and counted;
  // the partner keeps the cut it had.
  mode = 'tamper';
  expect(await setContract({ exclude: ['pricing', 'reviews'], partners: [AGENCY] })).toMatchObject({
    status: 200,
  });
  await until(
    'tampered refused',
    () => ready(gateway),
    (r) => r.contracts.refusals === 1,
  );
  mode = 'unsigned';
  await until(
    'unsigned refused',
    () => ready(gateway),
    (r) => r.contracts.refusals === 2,
  );
  await new Promise((r) => setTimeout(r, 600)); // more polls of the same documents: counted once each
  expect((await ready(gateway)).contracts).toMatchObject({
    hash: second.contracts.hash,
    reloads: 2,
    refusals: 2,
  });
  expect(await cut(gateway)).toEqual({
    query: ['product', 'requestHeader', 'reviewCount', 'topProducts'],
    product: ['name', 'reviews', 'upc'],
  });
  const refusals = gateway
    .output()
    .split('\n')
    .filter((l) => l.includes('contracts refused'))
    .map((l) => JSON.parse(l) as { reason: string; current: string });
  expect(refusals.map((r) => [r.reason, r.current])).toEqual([
    ['the signature does not verify (tampered, or signed with another key)', second.contracts.hash],
    [`unsigned: no ${SIGNATURE_HEADER}`, second.contracts.hash],
  ]);

  // The document as signed gets through again.
  mode = 'pass';
  await until(
    'the signed change taken',
    () => ready(gateway),
    (r) => r.contracts.reloads === 3,
  );
  expect(await cut(gateway)).toEqual({
    query: ['product', 'requestHeader', 'topProducts'],
    product: ['name', 'upc'],
  });
});

test('a gateway does not start on an unsigned contracts document', async () => {
  mode = 'unsigned';
  try {
    await expect(startGateway()).rejects.toThrow(
      /GATEWAY_CONTRACTS: the contracts at http:\/\/127\.0\.0\.1:\d+\/v1\/environments\/production\/contracts refused \([0-9a-f]{64}\): unsigned: no x-govgraph-signature/,
    );
  } finally {
    mode = 'pass';
  }
});
