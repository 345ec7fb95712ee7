/**
 * Gateway metrics (features/metrics/) over real HTTP: real requests through a gateway over two
 * fixture subgraphs, then the Prometheus text of `GET /metrics` on the operators' listener
 * (GATEWAY_METRICS_PORT), with exact counter values.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { defaultFeatures } from '../features';
import { createGateway } from '../server';
import { JOIN_QUERY, post, silentLogger, useGatewayStack } from './support/gatewayStack';

const stack = useGatewayStack({ startGateway: false });

/** Prometheus text → `name{labels}` → value (labels as printed, in prom-client's order). */
function parse(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return values;
}

async function scrape(url: string): Promise<Map<string, number>> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(await res.text());
}

test('counts requests, fetches, the plan cache and the supergraph on the operators port only', async () => {
  const { url, operatorUrl } = await stack.startGateway({ GATEWAY_METRICS_PORT: '0' });
  expect(operatorUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  for (let i = 0; i < 3; i++) {
    const res = await post(url, { query: `query Join ${JOIN_QUERY}`, operationName: 'Join' });
    expect(res.status).toBe(200);
  }
  expect((await post(url, { query: '{ topProducts { upc } }' })).status).toBe(200);
  const bad = await post(url, { query: 'query Broken { nope }' });
  expect(bad.json.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

  const m = await scrape(`${operatorUrl}/metrics`);
  expect(
    m.get('govgraph_gateway_requests_total{operation="Join",type="query",client="anonymous",outcome="ok"}'),
  ).toBe(3);
  expect(
    m.get(
      'govgraph_gateway_requests_total{operation="_unnamed",type="query",client="anonymous",outcome="ok"}',
    ),
  ).toBe(1);
  expect(
    m.get(
      'govgraph_gateway_requests_total{operation="_unnamed",type="unknown",client="anonymous",outcome="error"}',
    ),
  ).toBe(1);
  expect(m.get('govgraph_gateway_request_duration_seconds_count{operation="Join",type="query"}')).toBe(3);
  // Join fetches products then reviews; the unnamed query only products.
  expect(m.get('govgraph_gateway_subgraph_fetch_duration_seconds_count{subgraph="products"}')).toBe(4);
  expect(m.get('govgraph_gateway_subgraph_fetch_duration_seconds_count{subgraph="reviews"}')).toBe(3);
  // The reference engine (@apollo/gateway) plans without our cache: it counts nothing.
  const govgraph = stack.configFor().engine === 'govgraph';
  expect(m.get('govgraph_gateway_plan_cache_misses_total')).toBe(govgraph ? 2 : 0);
  expect(m.get('govgraph_gateway_plan_cache_hits_total')).toBe(govgraph ? 2 : 0);
  expect(m.get('govgraph_gateway_subgraph_breaker_state{subgraph="products",state="closed"}')).toBe(1);
  expect(m.get('govgraph_gateway_subgraph_breaker_state{subgraph="products",state="open"}')).toBe(0);
  const hash = createHash('sha256').update(readFileSync(stack.configFor().supergraphPath)).digest('hex');
  expect(m.get(`govgraph_gateway_supergraph_info{hash="${hash}"}`)).toBe(1);
  expect(m.get('govgraph_gateway_supergraph_reloads_total')).toBe(0);
  expect(m.get('govgraph_gateway_supergraph_refusals_total')).toBe(0);

  // Not on the public listener unless GATEWAY_METRICS_PUBLIC=true.
  expect((await fetch(new URL('/metrics', url))).status).toBe(404);
});

test('a failing subgraph counts fetch errors by code; names past the bound fold into _other', async () => {
  const closedPort = await freePort();
  const { url } = await stack.startGateway({
    GATEWAY_METRICS_PUBLIC: 'true',
    GATEWAY_METRICS_MAX_OPERATIONS: '1',
    GATEWAY_SUBGRAPH_RETRIES: '0',
    SUBGRAPH_URL_REVIEWS: `http://127.0.0.1:${closedPort}/graphql`,
  });
  await post(url, { query: `query First ${JOIN_QUERY}` });
  const partial = await post(url, { query: `query Second ${JOIN_QUERY}` });
  expect(partial.json.data).not.toBeNull();
  expect(partial.json.errors?.length).toBe(1);

  const m = await scrape(new URL('/metrics', url).href);
  expect(
    m.get(
      'govgraph_gateway_requests_total{operation="First",type="query",client="anonymous",outcome="partial"}',
    ),
  ).toBe(1);
  expect(
    m.get(
      'govgraph_gateway_requests_total{operation="_other",type="query",client="anonymous",outcome="partial"}',
    ),
  ).toBe(1);
  expect(
    m.get(
      'govgraph_gateway_requests_total{operation="Second",type="query",client="anonymous",outcome="partial"}',
    ),
  ).toBeUndefined();
  const reviewErrors = [...m].filter(([k]) =>
    k.startsWith('govgraph_gateway_subgraph_fetch_errors_total{subgraph="reviews"'),
  );
  expect(reviewErrors.map(([k, v]) => [k, v])).toEqual([
    ['govgraph_gateway_subgraph_fetch_errors_total{subgraph="reviews",reason="connect"}', 2],
  ]);
});

test('the operators port taken: start fails naming GATEWAY_METRICS_PORT and the public listener is closed again', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = taken.address() as AddressInfo;
    const gateway = createGateway(stack.configFor({ GATEWAY_METRICS_PORT: String(port) }), {
      logger: silentLogger,
      features: defaultFeatures,
    });
    stack.track(gateway);
    await expect(gateway.start()).rejects.toThrow(/^GATEWAY_METRICS_PORT: cannot listen: .*EADDRINUSE/);
    expect(gateway.isReady()).toBe(false);
    expect(gateway.app.server.listening).toBe(false);
  } finally {
    await new Promise((resolve) => taken.close(resolve));
  }
});

/** A port nothing listens on (one the OS just handed out and took back). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
