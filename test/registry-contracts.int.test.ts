/**
 * A gateway following the registry's contracts, in process over HTTP: GATEWAY_PARTNER_CONTRACTS
 * merged over the contracts' own partners (the setting wins for a key both name); a document that
 * no longer has a contract the setting names is refused — the partner is not widened to the whole
 * graph — and counted in /ready; a registry that stops answering leaves the contracts serving; a
 * gateway given a partner's token for the contracts does not start.
 */
import pino from 'pino';
import { createGateway } from '../gateway/server';
import type { Gateway } from '../gateway/server';
import { defaultConfig, defaultFeatures } from '../gateway/test/support/config';
import { PRODUCTS_SDL, REVIEWS_SDL, startProducts, startReviews } from '../gateway/test/support/fixtures';
import type { RunningServer } from '../gateway/test/support/fixtures';
import { call, OFFICIAL, startTestRegistry, tokenFor } from '../registry/test/support';
import type { TestRegistry } from '../registry/test/support';
import { until } from './support/registryProcesses';

jest.setTimeout(60_000);

const ENV = '/v1/environments/production';
const AGENCY = '000.00.31.H26';
const OTHER = '000.00.32.H26';
const tagged = (sdl: string) =>
  sdl
    .replace('import: ["@key"]', 'import: ["@key", "@tag"]')
    .replace('price: Int!', 'price: Int! @tag(name: "pricing")')
    .replace('reviews: [Review!]', 'reviews: [Review!] @tag(name: "reviews")')
    .replace('reviewCount: Int!', 'reviewCount: Int! @tag(name: "reviews")');

let registry: TestRegistry;
let products: RunningServer;
let reviews: RunningServer;
let gateway: Gateway;
let url: string;
let official: string;
let partner: string;
let other: string;
let registryClosed = false;

beforeAll(async () => {
  [registry, products, reviews] = await Promise.all([startTestRegistry(), startProducts(), startReviews()]);
  [official, partner, other] = await Promise.all([
    tokenFor(registry, OFFICIAL),
    tokenFor(registry, { sub: 'p1', role: 'partner', agency: AGENCY }),
    tokenFor(registry, { sub: 'p2', role: 'partner', agency: OTHER }),
  ]);
  for (const [name, sdl, at] of [
    ['products', PRODUCTS_SDL, products.url],
    ['reviews', REVIEWS_SDL, reviews.url],
  ] as const)
    expect(
      await call(registry, 'POST', `${ENV}/subgraphs/${name}/publish`, {
        token: official,
        body: { sdl: tagged(sdl), url: at },
      }),
    ).toMatchObject({ status: 200 });
  for (const [name, body] of [
    ['wide', { exclude: ['pricing'], partners: [AGENCY, OTHER] }],
    ['narrow', { exclude: ['pricing', 'reviews'] }],
  ] as const)
    expect(await call(registry, 'PUT', `${ENV}/contracts/${name}`, { token: official, body })).toMatchObject({
      status: 200,
    });
  gateway = createGateway(
    defaultConfig({
      GATEWAY_PORT: '0',
      GATEWAY_RATE_LIMIT_PER_IP: '0',
      SUPERGRAPH_URL: `${registry.url}${ENV}/supergraph`,
      GATEWAY_SUPERGRAPH_PUBLIC_KEY: registry.keys.publicKey,
      GATEWAY_SUPERGRAPH_POLL_INTERVAL: '100',
      GATEWAY_JWT_PUBLIC_KEY: registry.idp.publicKeyPem,
      GATEWAY_CONTRACTS: `${registry.url}${ENV}/contracts`,
      GATEWAY_CONTRACTS_TOKEN: official,
      GATEWAY_PARTNER_CONTRACTS: `${AGENCY}=narrow`,
    }),
    { logger: pino({ level: 'silent' }), features: defaultFeatures },
  );
  url = (await gateway.start()).url;
});
afterAll(async () => {
  await gateway?.stop();
  await Promise.all([registryClosed ? undefined : registry?.close(), products?.close(), reviews?.close()]);
});

const gql = async (query: string, token: string) =>
  (await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  }).then((r) => r.json())) as { data?: any; errors?: { message: string }[] };
const contracts = async () =>
  (
    (await fetch(new URL('/ready', url)).then((r) => r.json())) as {
      contracts: { reloads: number; refusals: number };
    }
  ).contracts;

test("a gateway given a partner's token for the contracts does not start", async () => {
  const wrong = createGateway(
    defaultConfig({
      GATEWAY_PORT: '0',
      SUPERGRAPH_URL: `${registry.url}${ENV}/supergraph`,
      GATEWAY_SUPERGRAPH_PUBLIC_KEY: registry.keys.publicKey,
      GATEWAY_CONTRACTS: `${registry.url}${ENV}/contracts`,
      GATEWAY_CONTRACTS_TOKEN: partner,
    }),
    { logger: pino({ level: 'silent' }), features: defaultFeatures },
  );
  await expect(wrong.start()).rejects.toThrow(
    /^GATEWAY_CONTRACTS: the contracts at http:\/\/127\.0\.0\.1:\d+\/v1\/environments\/production\/contracts cannot fetch: HTTP 403 FORBIDDEN$/,
  );
  await wrong.stop();
});

test('the setting wins over the contracts; a document without its contract is refused, not widened', async () => {
  // AGENCY: `narrow` by the setting, although `wide` lists it; OTHER: `wide` by the registry.
  expect(await gql('{ reviewCount }', partner)).toMatchObject({
    errors: [{ message: 'Cannot query field "reviewCount" on type "Query".' }],
  });
  expect(await gql('{ reviewCount }', other)).toEqual({ data: { reviewCount: expect.any(Number) } });
  expect(await gql('{ topProducts { price } }', other)).toMatchObject({
    errors: [{ message: 'Cannot query field "price" on type "Product".' }],
  });

  // `narrow` is deleted in the registry: the document is refused, AGENCY keeps `narrow`.
  expect(await call(registry, 'DELETE', `${ENV}/contracts/narrow`, { token: official })).toMatchObject({
    status: 200,
  });
  await until('refused', contracts, (c) => c.refusals === 1);
  expect(await contracts()).toMatchObject({ reloads: 0, refusals: 1 });
  expect(await gql('{ reviewCount }', partner)).toMatchObject({
    errors: [{ message: 'Cannot query field "reviewCount" on type "Query".' }],
  });

  // The registry stops answering: nothing changes, nothing more is counted.
  registryClosed = true;
  await registry.close();
  await new Promise((r) => setTimeout(r, 500));
  expect(await contracts()).toMatchObject({ reloads: 0, refusals: 1 });
  expect(await gql('{ topProducts { upc } }', other)).toMatchObject({
    data: { topProducts: expect.any(Array) },
  });
  expect(await gql('{ topProducts { price } }', other)).toMatchObject({
    errors: [{ message: 'Cannot query field "price" on type "Product".' }],
  });
});
