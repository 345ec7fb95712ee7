/**
 * GATEWAY_TRUST_PROXY: off by default, so a client cannot dodge the per-IP rate limit by sending its
 * own X-Forwarded-For; with a hop count or the proxy's address, the forwarded client IP is the one
 * counted (each client behind the proxy has its own limit).
 */
import pino from 'pino';
import { createGateway } from '../server';
import type { Gateway } from '../server';
import { startProducts, startReviews, writeSupergraph } from './support/fixtures';
import type { RunningServer } from './support/fixtures';
import { defaultConfig, defaultFeatures } from './support/config';

const logger = pino({ level: 'silent' });
let servers: RunningServer[] = [];
let supergraph: { file: string; cleanup(): void };
const gateways: Gateway[] = [];

async function start(env: Record<string, string>): Promise<string> {
  const config = defaultConfig({ SUPERGRAPH_PATH: supergraph.file, GATEWAY_PORT: '0', ...env });
  const gateway = createGateway(config, { logger, features: defaultFeatures });
  gateways.push(gateway);
  return (await gateway.start()).url;
}

beforeAll(async () => {
  servers = [await startProducts(), await startReviews()];
  supergraph = writeSupergraph({ products: servers[0]!.url, reviews: servers[1]!.url });
});

afterAll(async () => {
  await Promise.all(gateways.map((g) => g.stop()));
  await Promise.all(servers.map((s) => s.close()));
  supergraph?.cleanup();
});

async function status(url: string, forwardedFor: string): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ query: '{ reviewCount }' }),
  });
  await res.text();
  return res.status;
}

test('off by default: a made-up X-Forwarded-For does not reset the per-IP limit', async () => {
  const url = await start({ GATEWAY_RATE_LIMIT_PER_IP: '2' });
  expect([await status(url, '203.0.113.1'), await status(url, '203.0.113.2')]).toEqual([200, 200]);
  expect(await status(url, '203.0.113.3')).toBe(429);
});

test.each([['1'], ['127.0.0.1'], ['127.0.0.0/8, ::1']])(
  'GATEWAY_TRUST_PROXY=%s: each forwarded client has its own limit',
  async (trust) => {
    const url = await start({ GATEWAY_RATE_LIMIT_PER_IP: '2', GATEWAY_TRUST_PROXY: trust });
    expect([await status(url, '198.51.100.7'), await status(url, '198.51.100.7')]).toEqual([200, 200]);
    expect(await status(url, '198.51.100.7')).toBe(429);
    expect(await status(url, '198.51.100.8')).toBe(200);
  },
);

test('a proxy the setting does not name is not believed', async () => {
  const url = await start({ GATEWAY_RATE_LIMIT_PER_IP: '1', GATEWAY_TRUST_PROXY: '10.0.0.0/8' });
  expect(await status(url, '198.51.100.9')).toBe(200);
  expect(await status(url, '198.51.100.10')).toBe(429);
});

test('bad values stop start-up naming the setting', () => {
  expect(() => defaultConfig({ GATEWAY_TRUST_PROXY: 'true' })).toThrow(
    /GATEWAY_TRUST_PROXY: would believe any X-Forwarded-For/,
  );
  expect(() => defaultConfig({ GATEWAY_TRUST_PROXY: 'proxy.example' })).toThrow(
    /GATEWAY_TRUST_PROXY: must be off, a hop count or addresses\/CIDRs, got "proxy.example"/,
  );
  expect(defaultConfig({}).trustProxy).toBe(false);
  expect(defaultConfig({ GATEWAY_TRUST_PROXY: '2' }).trustProxy).toBe(2);
});
