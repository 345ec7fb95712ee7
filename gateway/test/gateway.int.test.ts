/**
 * The gateway over real HTTP: two fixture subgraphs (products, reviews) on port 0, composed into a
 * temp supergraph, and gateways started on port 0. Asserts what a client sees.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import pino from 'pino';
import type { GatewayContext } from '../context';
import { loadGatewayConfig } from '../config';
import type { GatewayConfig } from '../config';
import { defineFeature } from '../feature';
import type { GatewayFeature } from '../feature';
import { defaultFeatures } from '../features';
import { createGateway } from '../server';
import type { Gateway } from '../server';
import {
  engineEnv,
  startHtmlErrorServer,
  startProducts,
  startReviews,
  startStatusServer,
  writeSupergraph,
} from './support/fixtures';
import type { RunningServer } from './support/fixtures';
import { defaultConfig } from './support/config';

const logger = pino({ level: 'silent' });
const GRAPHQL_RESPONSE = 'application/graphql-response+json';
const JOIN_QUERY = '{ topProducts { upc name reviews { body } } }';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

let products: RunningServer;
let reviews: RunningServer;
let supergraph: { file: string; cleanup(): void };
const gateways: Gateway[] = [];
const servers: RunningServer[] = [];

function configFor(
  env: Record<string, string> = {},
  features: readonly GatewayFeature[] = defaultFeatures,
): GatewayConfig {
  return loadGatewayConfig(
    { SUPERGRAPH_PATH: supergraph.file, GATEWAY_PORT: '0', ...engineEnv(), ...env },
    [],
    features,
  );
}

async function startGateway(env: Record<string, string> = {}): Promise<{ gateway: Gateway; url: string }> {
  const gateway = createGateway(configFor(env), { logger, features: defaultFeatures });
  gateways.push(gateway);
  const { url } = await gateway.start();
  return { gateway, url };
}

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string; json: GraphQLBody }> {
  const res = await fetch(url, {
    method: 'POST',
    // Like Apollo Client: prefer application/graphql-response+json, whose request errors are 400s.
    headers: { 'content-type': 'application/json', accept: GRAPHQL_RESPONSE, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: JSON.parse(text) as GraphQLBody };
}

let url: string;
let origin: string;

beforeAll(async () => {
  products = await startProducts();
  reviews = await startReviews();
  servers.push(products, reviews);
  supergraph = writeSupergraph({ products: products.url, reviews: reviews.url });
  ({ url } = await startGateway());
  origin = new URL(url).origin;
}, 30_000); // two subgraphs and a gateway: seconds on a busy machine

afterAll(async () => {
  await Promise.all(gateways.map((g) => g.stop()));
  await Promise.all(servers.map((s) => s.close()));
  supergraph?.cleanup();
});

describe('queries across subgraphs', () => {
  test('a query joining products and reviews returns both subgraphs’ fields', async () => {
    const res = await post(url, { query: JOIN_QUERY });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      data: {
        topProducts: [
          { upc: 'p1', name: 'Bàn làm việc', reviews: [{ body: 'Chắc chắn' }] },
          { upc: 'p2', name: 'Ghế xoay', reviews: [{ body: 'Êm' }, { body: 'Hơi ồn' }] },
        ],
      },
    });
  });

  test('a BAD_USER_INPUT error thrown by a subgraph keeps its message and code and names the subgraph', async () => {
    const res = await post(url, { query: '{ product(upc: "") { name } }' });
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual({ product: null });
    expect(res.json.errors).toEqual([
      {
        message: 'upc must not be empty',
        path: ['product'],
        extensions: { code: 'BAD_USER_INPUT', serviceName: 'products' },
      },
    ]);
  });

  test('a missing record is NOT_FOUND (not the 404 of a missing route) and its private extensions never reach the client', async () => {
    const res = await post(url, { query: '{ product(upc: "gone") { name } }' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      data: { product: null },
      errors: [
        {
          message: 'Product gone not found',
          path: ['product'],
          extensions: { code: 'NOT_FOUND', serviceName: 'products' },
        },
      ],
    });
    expect(res.text).not.toMatch(/SELECT|sql|table/);
  });

  test('every response carries the gateway’s own x-request-id, never the one the client sent', async () => {
    const mine = await post(url, { query: '{ __typename }' }, { 'x-request-id': 'analyst-42' });
    expect(mine.headers.get('x-request-id')).toMatch(UUID);
    const again = await post(url, { query: '{ __typename }' }, { 'x-request-id': 'analyst-42' });
    expect(again.headers.get('x-request-id')).toMatch(UUID);
    expect(again.headers.get('x-request-id')).not.toBe(mine.headers.get('x-request-id'));
    const notFound = await fetch(`${origin}/nothing-here`);
    expect(notFound.headers.get('x-request-id')).toMatch(UUID);
  });

  test('subgraphs get the gateway’s request id; the client’s, sanitised and cut to 128, as x-client-request-id', async () => {
    const res = await post(url, { query: JOIN_QUERY }, { 'x-request-id': 'trace-join-1' });
    const id = res.headers.get('x-request-id');
    expect(products.requestIds).toContain(id);
    expect(reviews.requestIds).toContain(id);
    expect(products.requestIds).not.toContain('trace-join-1');
    const header = (name: string, requestId: string) =>
      post(url, { query: `{ requestHeader(name: "${name}") }` }, { 'x-request-id': requestId });
    const echoed = async (requestId: string) =>
      ((await header('x-client-request-id', requestId)).json as { data: { requestHeader: string | null } })
        .data.requestHeader;
    expect(await echoed('trace-join-1')).toBe('trace-join-1');
    expect(await echoed('<script>alert("x")</script>')).toBe('scriptalert(x)/script');
    expect(await echoed('a'.repeat(500))).toBe('a'.repeat(128));
    expect(await echoed('<>"')).toBeNull();
  });

  test('each operation is logged once, with its request id, the client’s, its name and error codes', async () => {
    const lines: Record<string, unknown>[] = [];
    const capture = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const gateway = createGateway(configFor(), { logger: capture, features: defaultFeatures });
    gateways.push(gateway);
    const { url: gwUrl } = await gateway.start();
    const top = await post(
      gwUrl,
      { query: 'query Top { topProducts { upc } }' },
      { 'x-request-id': 'log-1' },
    );
    const bad = await post(gwUrl, { query: '{ product(upc: "") { name } }' }, { 'x-request-id': 'log-2' });
    const ops = lines.filter((l) => l.msg === 'graphql operation');
    expect(ops).toEqual([
      expect.objectContaining({
        level: 30,
        requestId: top.headers.get('x-request-id'),
        clientRequestId: 'log-1',
        operationName: 'Top',
        operationType: 'query',
        status: 200,
      }),
      expect.objectContaining({
        level: 40,
        requestId: bad.headers.get('x-request-id'),
        clientRequestId: 'log-2',
        errorCodes: ['BAD_USER_INPUT'],
      }),
    ]);
  });

  test('GATEWAY_SLOW_MS=0 logs every operation as slow (warn)', async () => {
    const lines: Record<string, unknown>[] = [];
    const capture = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const gateway = createGateway(configFor({ GATEWAY_SLOW_MS: '0' }), {
      logger: capture,
      features: defaultFeatures,
    });
    gateways.push(gateway);
    const { url: gwUrl } = await gateway.start();
    await post(gwUrl, { query: 'query Fast { __typename }' });
    const ops = lines.filter((l) => l.msg === 'graphql operation');
    expect(ops).toEqual([expect.objectContaining({ level: 40, operationName: 'Fast' })]);
  });
});

describe('a subgraph that is down costs only its own fields', () => {
  test('closed reviews subgraph: products fields still come back with a masked DOWNSTREAM_SERVICE_ERROR', async () => {
    const doomed = await startReviews();
    await doomed.close();
    const down = await startGateway({ SUBGRAPH_URL_REVIEWS: doomed.url });
    const res = await post(down.url, { query: JOIN_QUERY });
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual({
      topProducts: [
        { upc: 'p1', name: 'Bàn làm việc', reviews: null },
        { upc: 'p2', name: 'Ghế xoay', reviews: null },
      ],
    });
    expect(res.json.errors).toEqual([
      {
        message: 'Subgraph "reviews" is unavailable',
        extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'reviews' },
      },
    ]);
    const port = new URL(doomed.url).port;
    expect(res.text).not.toContain('127.0.0.1');
    expect(res.text).not.toContain(port);
    expect(res.text).not.toContain('ECONNREFUSED');
  });

  test('a subgraph answering HTML 500 leaks neither status text nor body', async () => {
    const broken = await startHtmlErrorServer('secret-stack-frame');
    servers.push(broken);
    const gw = await startGateway({ SUBGRAPH_URL_REVIEWS: broken.url });
    const res = await post(gw.url, { query: JOIN_QUERY });
    expect(res.status).toBe(200);
    expect((res.json.data?.topProducts as unknown[]).length).toBe(2);
    expect(res.json.errors).toEqual([
      {
        message: 'Subgraph "reviews" is unavailable',
        extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'reviews' },
      },
    ]);
    expect(res.text).not.toMatch(/secret-stack-frame|Internal Server Error|500|<html/i);
  });

  test('a subgraph answering 401 → UNAUTHENTICATED; a 4xx GraphQL body keeps its errors; both name the subgraph', async () => {
    const unauthorized = await startStatusServer(
      401,
      'application/json',
      '{"message":"token for http://10.1.2.3 expired"}',
    );
    const explained = await startStatusServer(
      400,
      'application/graphql-response+json',
      JSON.stringify({
        errors: [
          {
            message: 'Cannot query field',
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED', stacktrace: ['x'] },
          },
        ],
      }),
    );
    servers.push(unauthorized, explained);
    const a = await startGateway({ SUBGRAPH_URL_REVIEWS: unauthorized.url });
    const resA = await post(a.url, { query: JOIN_QUERY });
    expect(resA.json.errors).toEqual([
      {
        message: 'Subgraph "reviews" requires authentication',
        extensions: { code: 'UNAUTHENTICATED', serviceName: 'reviews' },
      },
    ]);
    expect(resA.text).not.toContain('10.1.2.3');
    const b = await startGateway({ SUBGRAPH_URL_REVIEWS: explained.url });
    const resB = await post(b.url, { query: JOIN_QUERY });
    expect(resB.json.errors?.[0]).toMatchObject({
      message: 'Cannot query field',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', serviceName: 'reviews' },
    });
    expect(resB.text).not.toContain('stacktrace');
    expect((resB.json.data?.topProducts as unknown[]).length).toBe(2);
  });

  test('SUBGRAPH_URL_<NAME> overrides the URL recorded in the supergraph (the original still works)', async () => {
    // The shared gateway uses the supergraph's URL and gets reviews; the override above did not.
    const res = await post(url, { query: '{ reviewCount }' });
    expect(res.json).toEqual({ data: { reviewCount: 3 } });
    const redirected = await startGateway({ SUBGRAPH_URL_REVIEWS: 'http://127.0.0.1:9/graphql' });
    const viaOverride = await post(redirected.url, { query: '{ reviewCount }' });
    expect(viaOverride.json.errors?.[0].extensions).toEqual({
      code: 'DOWNSTREAM_SERVICE_ERROR',
      serviceName: 'reviews',
    });
  });
});

describe('HTTP edge', () => {
  test('malformed JSON → 400 JSON BAD_REQUEST, never Fastify text or HTML', async () => {
    const res = await post(url, '{"query": "{ __typename }"');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.json).toEqual({
      errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  test('a body over GATEWAY_BODY_LIMIT → 413 JSON PAYLOAD_TOO_LARGE', async () => {
    const small = await startGateway({ GATEWAY_BODY_LIMIT: '1024' });
    const res = await post(small.url, { query: `{ __typename } # ${'x'.repeat(2000)}` });
    expect(res.status).toBe(413);
    expect(res.json.errors?.[0].extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    const fits = await post(small.url, { query: '{ __typename }' });
    expect(fits.json).toEqual({ data: { __typename: 'Query' } });
  });

  test('GET query without a preflight header is blocked as CSRF (400); with it, it runs', async () => {
    const q = `${url}?query=${encodeURIComponent('{ __typename }')}`;
    const blocked = await fetch(q);
    expect(blocked.status).toBe(400);
    const body = (await blocked.json()) as GraphQLBody;
    expect(body.errors?.[0].message).toMatch(/Cross-Site Request Forgery/);
    expect(body.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
    const allowed = await fetch(q, { headers: { 'apollo-require-preflight': 'true' } });
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toEqual({ data: { __typename: 'Query' } });
  });

  test('POST text/plain is blocked as CSRF with a JSON error', async () => {
    const res = await post(url, JSON.stringify({ query: '{ __typename }' }), {
      'content-type': 'text/plain',
    });
    expect(res.status).toBe(400);
    expect(res.json.errors?.[0].message).toMatch(/Cross-Site Request Forgery/);
  });

  test('a batched array POST is rejected with a JSON error', async () => {
    const res = await post(url, [{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      errors: [{ message: 'Operation batching disabled.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  test('a syntax error → 400 GRAPHQL_PARSE_FAILED; an unknown field → 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const parse = await post(url, { query: '{ topProducts {' });
    expect(parse.status).toBe(400);
    expect(parse.json.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const invalid = await post(url, { query: '{ nope }' });
    expect(invalid.status).toBe(400);
    expect(invalid.json.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  test('accept: application/json → the same request errors with 200 (GraphQL over HTTP); HTTP errors stay 400', async () => {
    const json = { accept: 'application/json' };
    for (const [body, code] of [
      [{ query: '{ topProducts {' }, 'GRAPHQL_PARSE_FAILED'],
      [{ query: '{ nope }' }, 'GRAPHQL_VALIDATION_FAILED'],
      [{ query: 'query($upc: String!) { product(upc: $upc) { name } }', variables: {} }, 'BAD_USER_INPUT'],
      [{ query: 'query A { __typename }', operationName: 'B' }, 'OPERATION_RESOLUTION_FAILURE'],
    ] as const) {
      const strict = await post(url, body);
      expect([strict.status, strict.headers.get('content-type')]).toEqual([
        400,
        'application/graphql-response+json; charset=utf-8',
      ]);
      const plain = await post(url, body, json);
      expect([plain.status, plain.headers.get('content-type')]).toEqual([
        200,
        'application/json; charset=utf-8',
      ]);
      expect(plain.json).toEqual(strict.json);
      expect(plain.json.errors?.[0].extensions?.code).toBe(code);
      // No Accept preference (curl, fetch's */*) is application/json too.
      expect((await post(url, body, { accept: '*/*' })).status).toBe(200);
    }
    // Not a GraphQL request at all: 400 whatever the client accepts.
    expect((await post(url, { query: '{ __typename }', variables: '{}' }, json)).status).toBe(400);
    expect((await post(url, '{"query": ', json)).status).toBe(400);
    expect((await post(url, [{ query: '{ __typename }' }], json)).status).toBe(400);
  });

  test('an unknown operationName or an ambiguous document → 400 OPERATION_RESOLUTION_FAILURE, not 500', async () => {
    const unknown = await post(url, { query: 'query A { __typename }', operationName: 'B' });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toEqual({
      errors: [
        { message: 'Unknown operation named "B".', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } },
      ],
    });
    const ambiguous = await post(url, { query: 'query A { __typename } query B { __typename }' });
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.json.errors?.[0].extensions?.code).toBe('OPERATION_RESOLUTION_FAILURE');
    const chosen = await post(url, {
      query: 'query A { __typename } query B { reviewCount }',
      operationName: 'B',
    });
    expect(chosen.json).toEqual({ data: { reviewCount: 3 } });
  });

  test('GATEWAY_INTROSPECTION=false rejects introspection even for roles that may see the schema', async () => {
    const query = '{ __schema { queryType { name } } }';
    // Anonymous callers never introspect by default (schema-visibility feature); let them here.
    const open = await startGateway({ GATEWAY_SCHEMA_ROLES: 'anonymous' });
    expect((await post(open.url, { query })).json).toEqual({
      data: { __schema: { queryType: { name: 'Query' } } },
    });
    const closed = await startGateway({ GATEWAY_INTROSPECTION: 'false', GATEWAY_SCHEMA_ROLES: 'anonymous' });
    const res = await post(closed.url, { query });
    expect(res.status).toBe(400);
    expect(res.json.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  test('a browser opening /graphql is sent to the local GraphiQL, not to a CDN-hosted sandbox', async () => {
    const res = await fetch(url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('url=/graphiql');
    expect(html).not.toMatch(/https?:\/\//);
  });

  test('federation internals (_entities, _service) are not part of the public API', async () => {
    const res = await post(url, { query: '{ _service { sdl } }' });
    expect(res.status).toBe(400);
    expect(res.json.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  test('unknown route → 404 JSON ROUTE_NOT_FOUND; wrong method → 405 JSON with Allow', async () => {
    const missing = await fetch(`${origin}/graphq`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      errors: [{ message: 'No route GET /graphq', extensions: { code: 'ROUTE_NOT_FOUND' } }],
    });
    const put = await fetch(url, {
      method: 'PUT',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST');
    expect(((await put.json()) as GraphQLBody).errors?.[0].extensions?.code).toBe('METHOD_NOT_ALLOWED');
    const postHealth = await fetch(`${origin}/health`, { method: 'POST' });
    expect(postHealth.status).toBe(405);
    expect(postHealth.headers.get('allow')).toBe('GET');
  });

  test('a non-utf-8 charset or compressed body → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const utf7 = await post(
      url,
      { query: '{ __typename }' },
      { 'content-type': 'application/json; charset=utf-7' },
    );
    expect(utf7.status).toBe(415);
    expect(utf7.json.errors?.[0].extensions?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const gz = await post(url, { query: '{ __typename }' }, { 'content-encoding': 'gzip' });
    expect(gz.status).toBe(415);
  });
});

describe('health and readiness', () => {
  test('/health is 200; /ready is 503 before start and 200 when serving; stopped means closed', async () => {
    const gateway = createGateway(configFor(), { logger, features: defaultFeatures });
    gateways.push(gateway);
    const before = await gateway.app.inject({ method: 'GET', url: '/ready' });
    expect(before.statusCode).toBe(503);
    expect(gateway.isReady()).toBe(false);
    const { url: gwUrl } = await gateway.start();
    const base = new URL(gwUrl).origin;
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(gateway.isReady()).toBe(true);
    await gateway.stop();
    expect(gateway.isReady()).toBe(false);
    await expect(fetch(`${base}/ready`)).rejects.toThrow();
  });

  test('with GATEWAY_SHUTDOWN_DELAY, stop() first turns /ready to 503 while still serving queries', async () => {
    const gateway = createGateway(configFor({ GATEWAY_SHUTDOWN_DELAY: '400' }), {
      logger,
      features: defaultFeatures,
    });
    gateways.push(gateway);
    const { url: gwUrl } = await gateway.start();
    const base = new URL(gwUrl).origin;
    const stopping = gateway.stop();
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'stopping' });
    const stillServing = await post(gwUrl, { query: '{ reviewCount }' });
    expect(stillServing.json).toEqual({ data: { reviewCount: 3 } });
    await stopping;
    await expect(fetch(`${base}/ready`)).rejects.toThrow();
  });

  test('stop() lets an in-flight request finish, then refuses connections', async () => {
    // A plugin holds every operation for 300 ms, so the request is provably in flight when stop() starts.
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    const slow: ApolloServerPlugin<GatewayContext> = {
      async requestDidStart() {
        arrived();
        await new Promise((r) => setTimeout(r, 300));
      },
    };
    const features = [
      ...defaultFeatures,
      defineFeature({ name: 'slow', create: () => ({ plugins: [slow] }) }),
    ];
    const gateway = createGateway(configFor({}, features), { logger, features });
    gateways.push(gateway);
    const { url: gwUrl } = await gateway.start();
    const inFlight = post(gwUrl, { query: JOIN_QUERY });
    await arrival;
    const stopping = gateway.stop();
    expect(gateway.isReady()).toBe(false);
    const res = await inFlight;
    await stopping;
    expect(res.status).toBe(200);
    expect((res.json.data?.topProducts as unknown[]).length).toBe(2);
    await expect(fetch(gwUrl)).rejects.toThrow();
  });
});

describe('start-up failures name the setting', () => {
  test('a missing supergraph file', async () => {
    const gateway = createGateway(
      defaultConfig({ SUPERGRAPH_PATH: '/nonexistent/supergraph.graphql', GATEWAY_PORT: '0' }),
      { logger, features: defaultFeatures },
    );
    await expect(gateway.start()).rejects.toThrow(/^SUPERGRAPH_PATH: cannot read supergraph file .*ENOENT/);
  });

  test('a SUBGRAPH_URL_ override that names no subgraph', async () => {
    const gateway = createGateway(configFor({ SUBGRAPH_URL_REVEIWS: 'http://127.0.0.1:1/graphql' }), {
      logger,
      features: defaultFeatures,
    });
    await expect(gateway.start()).rejects.toThrow(/^SUBGRAPH_URL_REVEIWS: no subgraph/);
  });
});

describe('GraphiQL', () => {
  test('the page is HTML titled govgraph, with no absolute URL at all, and its assets are served locally', async () => {
    const res = await fetch(`${origin}/graphiql`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const html = await res.text();
    expect(html).toContain('<title>govgraph — GraphiQL</title>');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/src="\/\/|href="\/\//);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBe(7); // React, ReactDOM, GraphiQL and the explorer (js, css), init script
    // The example tabs travel in a data attribute (the CSP forbids inline scripts): the scorecard first.
    const tabs = JSON.parse(
      /data-tabs="([^"]*)"/
        .exec(html)![1]!
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&'),
    ) as { query: string }[];
    expect(tabs.length).toBeGreaterThan(10);
    expect(tabs[0]!.query).toContain('query Scorecard(');
    for (const asset of assets) {
      expect(asset.startsWith('/graphiql/assets/')).toBe(true);
      const a = await fetch(`${origin}${asset}`);
      expect(a.status).toBe(200);
      expect(a.headers.get('content-type')).toMatch(
        asset.endsWith('.css') ? /^text\/css/ : /^text\/javascript/,
      );
      expect(a.headers.get('cache-control')).toContain('immutable');
      expect((await a.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
  });

  test('GATEWAY_GRAPHIQL=false removes it, and the landing page that points to it', async () => {
    const gw = await startGateway({ GATEWAY_GRAPHIQL: 'false' });
    const res = await fetch(`${new URL(gw.url).origin}/graphiql`);
    expect(res.status).toBe(404);
    const landing = await fetch(gw.url, { headers: { accept: 'text/html' } });
    expect(await landing.text()).not.toContain('graphiql');
  });

  test('GATEWAY_GRAPHIQL_TITLE names the page', async () => {
    const gw = await startGateway({ GATEWAY_GRAPHIQL_TITLE: 'Sở TT&TT — dữ liệu' });
    const html = await (await fetch(`${new URL(gw.url).origin}/graphiql`)).text();
    expect(html).toContain('<title>Sở TT&amp;TT — dữ liệu</title>');
  });
});
