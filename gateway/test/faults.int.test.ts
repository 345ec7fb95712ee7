/**
 * Faults at the gateway (issue 16), with real HTTP: a fault proxy (faultsProxy.ts) sits between the
 * gateway and each real subgraph and is switched to misbehave. For each fault the test asserts what
 * the client sees (HTTP 200, the other subgraph's data, an error naming the subgraph with a stable
 * code, nothing of the subgraph's URL, body or stack), that no request outlives its deadline, how
 * many requests reached the proxy (retries for queries only, never for mutations) and that a
 * cancelled fetch closes its connection. Runs on both engines (jest projects integration and
 * integration-apollo).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { composeSupergraph } from '../../schema/compose';
import { createGateway } from '../server';
import { defaultConfig, defaultFeatures } from './support/config';
import type { Gateway } from '../server';
import type { ResilienceEventMap } from '../transport';
import { engineEnv, PRODUCTS_SDL, REVIEWS_SDL, startProducts, startSubgraph } from './support/fixtures';
import type { RunningServer } from './support/fixtures';
import { PROXY_SECRET, startFaultProxy } from './support/faultsProxy';
import type { FaultProxy } from './support/faultsProxy';

const REVIEWS_WITH_MUTATION = `${REVIEWS_SDL}
type Mutation {
  """Adds a review; counts how often the subgraph ran it."""
  addReview(upc: String!, body: String!): Review
}
`;

const REVIEWS_TIMEOUT_MS = 700;
const DEADLINE_MS = 2500;
const MAX_RESPONSE_BYTES = 256 * 1024;
/** Slack for a busy shared machine when checking that an answer came "in time". */
const SLACK_MS = 1500;

const JOIN = '{ topProducts { upc name reviews { body } } }';
const ADD_REVIEW = 'mutation { addReview(upc: "p1", body: "Tốt") { id } }';

let products: RunningServer;
let reviews: RunningServer;
let productsProxy: FaultProxy;
let reviewsProxy: FaultProxy;
let supergraphDir: string;
let supergraphFile: string;
let mutations = 0;
const gateways: Gateway[] = [];

beforeAll(async () => {
  products = await startProducts();
  reviews = await startSubgraph(REVIEWS_WITH_MUTATION, {
    Query: { reviewCount: () => 3 },
    Product: {
      __resolveReference: (ref: { upc: string }) => ({ upc: ref.upc }),
      reviews: (product: { upc: string }) => [{ id: `r-${product.upc}`, body: 'Chắc chắn' }],
    },
    Mutation: {
      addReview: () => {
        mutations += 1;
        return { id: `new-${mutations}`, body: 'Tốt' };
      },
    },
  } as never);
  productsProxy = await startFaultProxy(products.url);
  reviewsProxy = await startFaultProxy(reviews.url);
  supergraphDir = mkdtempSync(path.join(os.tmpdir(), 'govgraph-faults-'));
  supergraphFile = path.join(supergraphDir, 'supergraph.graphql');
  writeFileSync(
    supergraphFile,
    composeSupergraph([
      { name: 'products', url: productsProxy.url, typeDefs: PRODUCTS_SDL },
      { name: 'reviews', url: reviewsProxy.url, typeDefs: REVIEWS_WITH_MUTATION },
    ]),
  );
});

afterAll(async () => {
  for (const gateway of gateways) await gateway.stop();
  await productsProxy?.close();
  await reviewsProxy?.close();
  await products?.close();
  await reviews?.close();
  rmSync(supergraphDir, { recursive: true, force: true });
});

async function startGateway(env: Record<string, string>): Promise<{ gateway: Gateway; url: string }> {
  const gateway = createGateway(
    defaultConfig({
      SUPERGRAPH_PATH: supergraphFile,
      GATEWAY_PORT: '0',
      GATEWAY_SUBGRAPH_TIMEOUT: '10000',
      GATEWAY_SUBGRAPH_TIMEOUTS: `reviews=${REVIEWS_TIMEOUT_MS}`,
      GATEWAY_REQUEST_DEADLINE: String(DEADLINE_MS),
      GATEWAY_SUBGRAPH_MAX_RESPONSE_BYTES: String(MAX_RESPONSE_BYTES),
      GATEWAY_RETRY_DELAY: '10',
      GATEWAY_RETRY_MAX_DELAY: '100',
      ...engineEnv(),
      ...env,
    }),
    { logger: pino({ level: 'silent' }), features: defaultFeatures },
  );
  gateways.push(gateway);
  const { url } = await gateway.start();
  return { gateway, url };
}

interface Answer {
  status: number;
  text: string;
  json: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
  };
  ms: number;
}

async function post(url: string, query: string, signal?: AbortSignal): Promise<Answer> {
  const started = Date.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
    body: JSON.stringify({ query }),
    signal,
  });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as Answer['json'], ms: Date.now() - started };
}

/** Nothing of the subgraph behind the proxy: no address, port, body or stack. */
function expectNoLeak(answer: Answer): void {
  for (const url of [reviewsProxy.url, productsProxy.url, reviews.url, products.url]) {
    expect(answer.text).not.toContain(new URL(url).host);
  }
  expect(answer.text).not.toContain('127.0.0.1');
  expect(answer.text).not.toContain(PROXY_SECRET);
  expect(answer.text).not.toMatch(/\bat .+:\d+:\d+/);
  expect(answer.text).not.toMatch(/ECONN|SyntaxError|Unexpected token|stack/i);
}

/** The products' fields came back; every product's reviews are null; one error names `reviews`. */
function expectReviewsLost(answer: Answer, code: string): void {
  expect(answer.status).toBe(200);
  expect(answer.json.data).toEqual({
    topProducts: [
      { upc: 'p1', name: 'Bàn làm việc', reviews: null },
      { upc: 'p2', name: 'Ghế xoay', reviews: null },
    ],
  });
  expect(answer.json.errors).toHaveLength(1);
  expect(answer.json.errors![0]!.extensions).toEqual({ code, serviceName: 'reviews' });
  expectNoLeak(answer);
  // No fault holds the client past the request's deadline.
  expect(answer.ms).toBeLessThan(DEADLINE_MS);
}

function record<K extends keyof ResilienceEventMap>(gateway: Gateway, event: K): ResilienceEventMap[K][0][] {
  const seen: ResilienceEventMap[K][0][] = [];
  gateway.resilience.on(event, ((payload: ResilienceEventMap[K][0]) => seen.push(payload)) as never);
  return seen;
}

/** Waits until `check` holds (polling), or fails after `ms`. */
async function eventually(check: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a failing subgraph costs only its own fields (breaker off)', () => {
  let gateway: Gateway;
  let url: string;
  beforeAll(async () => {
    ({ gateway, url } = await startGateway({ GATEWAY_BREAKER: 'false' }));
  });
  beforeEach(() => {
    productsProxy.set({ kind: 'pass' });
    reviewsProxy.set({ kind: 'pass' });
    productsProxy.requests.length = 0;
    reviewsProxy.requests.length = 0;
  });

  test('through the proxy, untouched: the whole answer, one request per subgraph', async () => {
    const answer = await post(url, JOIN);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      data: {
        topProducts: [
          { upc: 'p1', name: 'Bàn làm việc', reviews: [{ body: 'Chắc chắn' }] },
          { upc: 'p2', name: 'Ghế xoay', reviews: [{ body: 'Chắc chắn' }] },
        ],
      },
    });
    expect(reviewsProxy.requests).toHaveLength(1);
  });

  test('dead (connection refused): DOWNSTREAM_SERVICE_ERROR, the query retried twice', async () => {
    const retries = record(gateway, 'retry');
    await reviewsProxy.kill();
    try {
      const answer = await post(url, JOIN);
      expectReviewsLost(answer, 'DOWNSTREAM_SERVICE_ERROR');
      expect(answer.json.errors![0]!.message).toBe('Subgraph "reviews" is unavailable');
      expect(retries.map((r) => [r.subgraph, r.attempt, r.reason])).toEqual([
        ['reviews', 1, 'connect'],
        ['reviews', 2, 'connect'],
      ]);
    } finally {
      await reviewsProxy.revive();
    }
  });

  test('slow past its own timeout: SUBGRAPH_TIMEOUT in about the timeout, the fetch cancelled', async () => {
    const timeouts = record(gateway, 'timeout');
    reviewsProxy.set({ kind: 'slow', delayMs: 5000 });
    const answer = await post(url, JOIN);
    expectReviewsLost(answer, 'SUBGRAPH_TIMEOUT');
    expect(answer.ms).toBeGreaterThanOrEqual(REVIEWS_TIMEOUT_MS - 50);
    expect(answer.ms).toBeLessThan(REVIEWS_TIMEOUT_MS + SLACK_MS);
    expect(timeouts).toEqual([{ subgraph: 'reviews', timeoutMs: REVIEWS_TIMEOUT_MS }]);
    // A timeout is not retried (it would pile more load on a slow subgraph).
    expect(reviewsProxy.requests).toHaveLength(1);
    await eventually(() => reviewsProxy.requests[0]!.closedEarlyAt !== undefined, 1000);
  });

  test('HTML 500: DOWNSTREAM_SERVICE_ERROR, not retried (500 is not transient)', async () => {
    reviewsProxy.set({
      kind: 'status',
      status: 500,
      contentType: 'text/html',
      body: `<html>${PROXY_SECRET}</html>`,
    });
    expectReviewsLost(await post(url, JOIN), 'DOWNSTREAM_SERVICE_ERROR');
    expect(reviewsProxy.requests).toHaveLength(1);
  });

  test('503 on every try: a query is tried three times (two retries), a mutation once', async () => {
    reviewsProxy.set({ kind: 'status', status: 503, contentType: 'application/json', body: '{}' });
    expectReviewsLost(await post(url, JOIN), 'DOWNSTREAM_SERVICE_ERROR');
    expect(reviewsProxy.requests).toHaveLength(3);
    expect(reviewsProxy.requests.every((r) => r.query.startsWith('query'))).toBe(true);

    reviewsProxy.requests.length = 0;
    const answer = await post(url, ADD_REVIEW);
    expect(answer.status).toBe(200);
    expect(answer.json.data).toEqual({ addReview: null });
    expect(answer.json.errors?.[0]?.extensions).toEqual({
      code: 'DOWNSTREAM_SERVICE_ERROR',
      serviceName: 'reviews',
    });
    expect(reviewsProxy.requests).toHaveLength(1);
    expect(reviewsProxy.requests[0]!.query).toMatch(/^mutation/);
  });

  test('a mutation is not retried after a connect error either, and runs once when the subgraph is up', async () => {
    await reviewsProxy.kill();
    try {
      const retries = record(gateway, 'retry');
      const answer = await post(url, ADD_REVIEW);
      expect(answer.json.errors?.[0]?.extensions).toEqual({
        code: 'DOWNSTREAM_SERVICE_ERROR',
        serviceName: 'reviews',
      });
      expect(retries).toEqual([]);
    } finally {
      await reviewsProxy.revive();
    }
    const before = mutations;
    const ok = await post(url, ADD_REVIEW);
    expect(ok.json).toEqual({ data: { addReview: { id: `new-${before + 1}` } } });
    expect(mutations).toBe(before + 1);
  });

  test('503 with Retry-After once: the query waits as told, is retried and succeeds', async () => {
    reviewsProxy.set({ kind: 'retryAfterOnce', seconds: 1 });
    const answer = await post(url, JOIN);
    expect(answer.status).toBe(200);
    expect(answer.json.errors).toBeUndefined();
    expect(answer.json.data?.topProducts).toHaveLength(2);
    expect(reviewsProxy.requests).toHaveLength(2);
    const [first, second] = reviewsProxy.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
    expect(answer.ms).toBeLessThan(DEADLINE_MS);
  });

  test('an outage: retries stay within the retry budget instead of tripling the load', async () => {
    const exhausted = record(gateway, 'retryBudgetExhausted');
    reviewsProxy.set({ kind: 'status', status: 503, contentType: 'application/json', body: '{}' });
    const requests = 40;
    for (let i = 0; i < requests; i++) {
      expectReviewsLost(await post(url, JOIN), 'DOWNSTREAM_SERVICE_ERROR');
    }
    // Two retries each would be 120 requests; the budget allows its reserve (10) plus 10 % of them.
    expect(reviewsProxy.requests.length).toBeGreaterThan(requests);
    expect(reviewsProxy.requests.length).toBeLessThanOrEqual(requests + 10 + requests * 0.1);
    expect(exhausted.length).toBeGreaterThan(0);
  });

  test('HTML with status 200: DOWNSTREAM_SERVICE_ERROR', async () => {
    reviewsProxy.set({ kind: 'html' });
    expectReviewsLost(await post(url, JOIN), 'DOWNSTREAM_SERVICE_ERROR');
    expect(reviewsProxy.requests).toHaveLength(1);
  });

  test('malformed JSON: DOWNSTREAM_SERVICE_ERROR, nothing of the body', async () => {
    reviewsProxy.set({ kind: 'malformed' });
    expectReviewsLost(await post(url, JOIN), 'DOWNSTREAM_SERVICE_ERROR');
    expect(reviewsProxy.requests).toHaveLength(1);
  });

  test('a huge body: SUBGRAPH_RESPONSE_TOO_LARGE, the download stopped early', async () => {
    const tooLarge = record(gateway, 'responseTooLarge');
    reviewsProxy.set({ kind: 'huge', bytes: 64 * 1024 * 1024 });
    const answer = await post(url, JOIN);
    expectReviewsLost(answer, 'SUBGRAPH_RESPONSE_TOO_LARGE');
    expect(tooLarge).toEqual([{ subgraph: 'reviews', limitBytes: MAX_RESPONSE_BYTES }]);
    // The gateway closed the connection instead of reading 64 MiB.
    await eventually(() => reviewsProxy.requests[0]!.closedEarlyAt !== undefined, 2000);
  });

  test('a connection reset mid-body: DOWNSTREAM_SERVICE_ERROR, not retried', async () => {
    reviewsProxy.set({ kind: 'reset' });
    expectReviewsLost(await post(url, JOIN), 'DOWNSTREAM_SERVICE_ERROR');
    expect(reviewsProxy.requests).toHaveLength(1);
  });

  test('the whole request past its deadline: 504 GATEWAY_TIMEOUT, the slow fetch cancelled', async () => {
    productsProxy.set({ kind: 'slow', delayMs: 8000 });
    const answer = await post(url, JOIN);
    expect(answer.status).toBe(504);
    expect(answer.json).toEqual({
      errors: [
        {
          message: 'The request did not complete within its deadline',
          extensions: { code: 'GATEWAY_TIMEOUT' },
        },
      ],
    });
    expect(answer.ms).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
    expect(answer.ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
    await eventually(() => productsProxy.requests[0]?.closedEarlyAt !== undefined, 1000);
  });

  test('a client that disconnects cancels its subgraph fetch', async () => {
    productsProxy.set({ kind: 'slow', delayMs: 8000 });
    const client = new AbortController();
    const pending = post(url, JOIN, client.signal).then(
      () => 'answered',
      (error: Error) => error.name,
    );
    await eventually(() => productsProxy.requests.length === 1, 2000);
    const abortedAt = Date.now();
    client.abort();
    expect(await pending).toBe('AbortError');
    // Cancelled well before the deadline would have done it.
    await eventually(() => productsProxy.requests[0]!.closedEarlyAt !== undefined, DEADLINE_MS / 2);
    expect(productsProxy.requests[0]!.closedEarlyAt! - abortedAt).toBeLessThan(DEADLINE_MS / 2);
  });
});

describe('the circuit breaker per subgraph', () => {
  let gateway: Gateway;
  let url: string;
  beforeAll(async () => {
    ({ gateway, url } = await startGateway({
      GATEWAY_BREAKER_MIN_REQUESTS: '4',
      GATEWAY_BREAKER_FAILURE_RATIO: '0.5',
      GATEWAY_BREAKER_OPEN_DURATION: '800',
      GATEWAY_SUBGRAPH_RETRIES: '0',
    }));
  });
  beforeEach(() => {
    productsProxy.set({ kind: 'pass' });
    reviewsProxy.set({ kind: 'pass' });
    reviewsProxy.requests.length = 0;
  });

  const ready = async () => (await fetch(new URL('/ready', url))).json() as Promise<Record<string, unknown>>;

  test('opens after repeated failures and fails fast, then a half-open probe closes it', async () => {
    const changes = record(gateway, 'breakerStateChange');
    expect(await ready()).toEqual({
      status: 'ready',
      subgraphs: { products: { breaker: 'closed' }, reviews: { breaker: 'closed' } },
      supergraph: expect.objectContaining({ reloads: 0, refusals: 0 }), // the reload's detail (engine/supergraph/)
    });

    reviewsProxy.set({ kind: 'status', status: 502, contentType: 'text/plain', body: PROXY_SECRET });
    for (let i = 0; i < 4; i++) expectReviewsLost(await post(url, JOIN), 'DOWNSTREAM_SERVICE_ERROR');
    expect(reviewsProxy.requests).toHaveLength(4);
    expect(changes).toEqual([{ subgraph: 'reviews', from: 'closed', to: 'open' }]);

    // Open: the subgraph is not called; the client gets a stable code at once.
    const fast = await post(url, JOIN);
    expectReviewsLost(fast, 'SUBGRAPH_CIRCUIT_OPEN');
    expect(reviewsProxy.requests).toHaveLength(4);
    expect(await ready()).toEqual({
      status: 'ready',
      subgraphs: { products: { breaker: 'closed' }, reviews: { breaker: 'open' } },
      supergraph: expect.objectContaining({ reloads: 0, refusals: 0 }), // the reload's detail (engine/supergraph/)
    });

    // After the open duration one probe goes through; it fails, so the breaker opens again.
    await new Promise((resolve) => setTimeout(resolve, 900));
    expectReviewsLost(await post(url, JOIN), 'DOWNSTREAM_SERVICE_ERROR');
    expect(reviewsProxy.requests).toHaveLength(5);
    expectReviewsLost(await post(url, JOIN), 'SUBGRAPH_CIRCUIT_OPEN');

    // The subgraph recovers: the next probe succeeds and closes the breaker.
    reviewsProxy.set({ kind: 'pass' });
    await new Promise((resolve) => setTimeout(resolve, 900));
    const healed = await post(url, JOIN);
    expect(healed.json.errors).toBeUndefined();
    expect(changes.map((c) => `${c.from}>${c.to}`)).toEqual([
      'closed>open',
      'open>half-open',
      'half-open>open',
      'open>half-open',
      'half-open>closed',
    ]);
    expect((await ready()).subgraphs).toEqual({
      products: { breaker: 'closed' },
      reviews: { breaker: 'closed' },
    });
    expect(gateway.resilience.breakerStates()).toEqual({ products: 'closed', reviews: 'closed' });
  });
});

describe('a subgraph killed during load', () => {
  test('every request answers 200 in time, with the other data; the gateway recovers when it returns', async () => {
    const { url } = await startGateway({
      GATEWAY_BREAKER_MIN_REQUESTS: '5',
      GATEWAY_BREAKER_OPEN_DURATION: '300',
    });
    productsProxy.set({ kind: 'pass' });
    reviewsProxy.set({ kind: 'pass' });
    const answers: Answer[] = [];
    const until = Date.now() + 2000;
    const clients = Array.from({ length: 6 }, async () => {
      while (Date.now() < until) answers.push(await post(url, JOIN));
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    await reviewsProxy.kill();
    await new Promise((resolve) => setTimeout(resolve, 700));
    await reviewsProxy.revive();
    await Promise.all(clients);

    expect(answers.length).toBeGreaterThan(20);
    const codes = new Set<unknown>();
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.ms).toBeLessThan(DEADLINE_MS);
      const top = answer.json.data?.topProducts as { name: string }[];
      expect(top.map((p) => p.name)).toEqual(['Bàn làm việc', 'Ghế xoay']);
      for (const error of answer.json.errors ?? []) {
        expect(error.extensions?.serviceName).toBe('reviews');
        codes.add(error.extensions?.code);
      }
      expectNoLeak(answer);
    }
    expect(codes.size).toBeGreaterThan(0);
    for (const code of codes) expect(['DOWNSTREAM_SERVICE_ERROR', 'SUBGRAPH_CIRCUIT_OPEN']).toContain(code);
    // Back: within the breaker's open duration the next probe closes it and answers are whole again.
    let whole: Answer | undefined;
    for (let i = 0; i < 20 && !whole; i++) {
      const answer = await post(url, JOIN);
      if (!answer.json.errors) whole = answer;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(whole?.json.data?.topProducts).toHaveLength(2);
  });
});

test('GATEWAY_SUBGRAPH_TIMEOUTS naming no subgraph of the supergraph stops start-up, naming the setting', async () => {
  const gateway = createGateway(
    defaultConfig({
      SUPERGRAPH_PATH: supergraphFile,
      GATEWAY_PORT: '0',
      GATEWAY_SUBGRAPH_TIMEOUTS: 'reviews=500,review=500',
      ...engineEnv(),
    }),
    { logger: pino({ level: 'silent' }), features: defaultFeatures },
  );
  await expect(gateway.start()).rejects.toThrow(/^GATEWAY_SUBGRAPH_TIMEOUTS: no subgraph named "review" in /);
});
