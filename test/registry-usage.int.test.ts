/**
 * Usage-aware checks end to end over HTTP: a gateway (default features, GATEWAY_USAGE_REPORT_URL set)
 * serves the registry's supergraph and reports which fields each client's operations used; the
 * registry (REGISTRY_USAGE_CHECKS=true) then fails a check that removes a field a client used, naming
 * the client and the operation, and passes one that removes a field nobody used.
 */
import pino from 'pino';
import { createGateway } from '../gateway/server';
import type { Gateway } from '../gateway/server';
import { defaultConfig, defaultFeatures } from '../gateway/test/support/config';
import { PRODUCTS_SDL, startProducts } from '../gateway/test/support/fixtures';
import type { RunningServer } from '../gateway/test/support/fixtures';
import { usedCoordinates } from '../schema/coordinates';
import { buildSchema, parse } from 'graphql';
import { call, OFFICIAL, startTestRegistry, tokenFor } from '../registry/test/support';
import type { TestRegistry } from '../registry/test/support';

jest.setTimeout(60_000);

let registry: TestRegistry;
let products: RunningServer;
let gateway: Gateway;
let gatewayUrl: string;
let official: string;
const ENV = '/v1/environments/production';

beforeAll(async () => {
  [registry, products] = await Promise.all([
    startTestRegistry({ REGISTRY_USAGE_CHECKS: 'true' }),
    startProducts(),
  ]);
  official = await tokenFor(registry, OFFICIAL);
  const published = await call(registry, 'POST', `${ENV}/subgraphs/products/publish`, {
    token: official,
    body: { sdl: PRODUCTS_SDL, url: products.url },
  });
  expect(published.status).toBe(200);
  const config = defaultConfig({
    GATEWAY_PORT: '0',
    SUPERGRAPH_URL: `${registry.url}${ENV}/supergraph`,
    GATEWAY_SUPERGRAPH_PUBLIC_KEY: registry.keys.publicKey,
    GATEWAY_USAGE_REPORT_URL: `${registry.url}${ENV}/usage`,
    GATEWAY_USAGE_REPORT_TOKEN: official,
    GATEWAY_USAGE_REPORT_INTERVAL: '200',
    GATEWAY_RATE_LIMIT_PER_IP: '0',
  });
  gateway = createGateway(config, { logger: pino({ level: 'silent' }), features: defaultFeatures });
  gatewayUrl = (await gateway.start()).url;
});
afterAll(async () => {
  await gateway?.stop();
  await Promise.all([registry?.close(), products?.close()]);
});

async function query(document: string, client?: string): Promise<unknown> {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(client && { 'graphql-client-name': client }) },
    body: JSON.stringify({ query: document }),
  });
  return response.json();
}

test('coordinates of an operation: fields through fragments and interfaces, no introspection', () => {
  const schema = buildSchema(`
    interface Node { id: ID! }
    type Product implements Node { id: ID! name: String price: Int }
    type Query { node(id: ID!): Node top: [Product] }
  `);
  const document = parse(`
    query A { top { ...P __typename } node(id: "1") { id ... on Product { price } } }
    query B { top { id } }
    fragment P on Product { name }
  `);
  expect(usedCoordinates(schema, document, 'A')).toEqual([
    'Node.id',
    'Product.name',
    'Product.price',
    'Query.node',
    'Query.top',
  ]);
  expect(usedCoordinates(schema, document, 'B')).toEqual(['Product.id', 'Query.top']);
});

test("a removed field a client's operation used fails the check, naming both; an unused one passes", async () => {
  for (let i = 0; i < 3; i++)
    expect(await query('query TopNames { topProducts { name } }', 'citizen-portal')).toMatchObject({
      data: { topProducts: expect.any(Array) },
    });
  expect(await query('query Prices { topProducts { upc price } }')).toMatchObject({
    data: expect.anything(),
  });
  // The gateway reports every 200 ms; wait for both clients' rows.
  const deadline = Date.now() + 15_000;
  let rows: { client: string; operation: string; coordinate: string; count: number }[] = [];
  while (Date.now() < deadline) {
    rows = await registry.testDb.query(
      `SELECT client, operation, coordinate, count FROM field_usage ORDER BY client, operation, coordinate`,
    );
    if (rows.length >= 5) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(rows).toEqual([
    { client: 'anonymous', operation: 'Prices', coordinate: 'Product.price', count: 1 },
    { client: 'anonymous', operation: 'Prices', coordinate: 'Product.upc', count: 1 },
    { client: 'anonymous', operation: 'Prices', coordinate: 'Query.topProducts', count: 1 },
    { client: 'citizen-portal', operation: 'TopNames', coordinate: 'Product.name', count: 3 },
    { client: 'citizen-portal', operation: 'TopNames', coordinate: 'Query.topProducts', count: 3 },
  ]);

  const removeName = await call(registry, 'POST', `${ENV}/subgraphs/products/check`, {
    token: official,
    body: { sdl: PRODUCTS_SDL.replace(/"""Tên sản phẩm[^\n]*\n\s*name: String!\n/, '') },
  });
  expect(removeName.body).toMatchObject({
    ok: false,
    changes: [
      {
        severity: 'breaking',
        coordinate: 'Product.name',
        usedBy: [{ client: 'citizen-portal', operation: 'TopNames', count: 3 }],
      },
    ],
  });
  // A field nobody asked for: Query.requestHeader.
  const removeUnused = await call(registry, 'POST', `${ENV}/subgraphs/products/check`, {
    token: official,
    body: {
      sdl: PRODUCTS_SDL.replace(
        /\s*"""The value of one HTTP header[^\n]*\n\s*requestHeader\(name: String!\): String/,
        '',
      ),
    },
  });
  expect(removeUnused.body).toMatchObject({
    ok: true,
    changes: [{ severity: 'breaking', coordinate: 'Query.requestHeader', usedBy: [] }],
  });
});

test('a report URL without a token is a configuration error naming the setting', () => {
  const config = defaultConfig({ GATEWAY_USAGE_REPORT_URL: 'http://registry.test/v1/environments/x/usage' });
  expect(() =>
    createGateway(config, { logger: pino({ level: 'silent' }), features: defaultFeatures }),
  ).toThrow('GATEWAY_USAGE_REPORT_TOKEN: is required with GATEWAY_USAGE_REPORT_URL');
});
