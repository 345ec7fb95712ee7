/**
 * Rate limiting counted in a real Redis (127.0.0.1:6379, or TEST_REDIS_URL): two gateway replicas
 * share one subject's budget; with Redis unreachable requests are let through (logged).
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import pino from 'pino';
import { redisCounter } from '../features/rateLimit';
import { createGateway } from '../server';
import type { Gateway } from '../server';
import { startProducts, startReviews, writeSupergraph } from './support/fixtures';
import type { RunningServer } from './support/fixtures';
import { defaultConfig, defaultFeatures } from './support/config';

const REDIS = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
const idp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
let products: RunningServer;
let reviews: RunningServer;
let supergraph: { file: string; cleanup(): void };
const gateways: Gateway[] = [];

async function startGateway(env: Record<string, string>): Promise<string> {
  const gateway = createGateway(
    defaultConfig({
      SUPERGRAPH_PATH: supergraph.file,
      GATEWAY_PORT: '0',
      GATEWAY_JWT_PUBLIC_KEY: idp.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      GATEWAY_RATE_LIMIT_PER_IP: '0',
      ...env,
    }),
    { logger: pino({ level: 'silent' }), features: defaultFeatures },
  );
  gateways.push(gateway);
  return (await gateway.start()).url;
}

async function ask(url: string, sub: string): Promise<number> {
  const token = await new SignJWT({ role: 'analyst' })
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject(sub)
    .setIssuer('govgraph-dev')
    .setAudience('govgraph')
    .setExpirationTime('5m')
    .sign(idp.privateKey);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ topProducts { upc } }' }),
  });
  await res.arrayBuffer();
  return res.status;
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

test('two replicas share one subject budget through Redis', async () => {
  const env = { GATEWAY_REDIS_URL: REDIS, GATEWAY_RATE_LIMIT_PER_SUBJECT: '3' };
  const [a, b] = [await startGateway(env), await startGateway(env)];
  const sub = `test-${randomUUID()}`; // a fresh key: other runs on the same Redis do not interfere
  expect([await ask(a, sub), await ask(b, sub), await ask(a, sub)]).toEqual([200, 200, 200]);
  expect(await ask(b, sub)).toBe(429);
  expect(await ask(a, sub)).toBe(429);
  expect(await ask(a, `test-${randomUUID()}`)).toBe(200);
});

test('the counter expires with its window', async () => {
  const counter = redisCounter(REDIS);
  try {
    const key = `test-${randomUUID()}`;
    expect((await counter.hit(key, 1000)).count).toBe(1);
    const second = await counter.hit(key, 1000);
    expect(second.count).toBe(2);
    expect(second.resetMs).toBeGreaterThan(0);
    expect(second.resetMs).toBeLessThanOrEqual(1000);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await counter.hit(key, 1000)).count).toBe(1);
  } finally {
    await counter.close();
  }
});

test('with Redis unreachable the limiter lets requests through', async () => {
  const url = await startGateway({
    GATEWAY_REDIS_URL: 'redis://127.0.0.1:1',
    GATEWAY_RATE_LIMIT_PER_SUBJECT: '1',
  });
  expect([await ask(url, 'x'), await ask(url, 'x')]).toEqual([200, 200]);
});
