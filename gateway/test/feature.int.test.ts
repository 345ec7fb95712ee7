/**
 * A gateway feature as a module (callerAgencyFeature.ts): installed through createGateway's
 * feature list, it adds a context field, wraps every subgraph fetch and serves a route — with no
 * edit of the core.
 */
import pino from 'pino';
import { loadGatewayConfig } from '../config';
import { defineFeature } from '../feature';
import { defaultFeatures } from '../features';
import { createGateway } from '../server';
import type { Gateway } from '../server';
import { callerAgency, FORWARDED_HEADER } from './support/callerAgencyFeature';
import { engineEnv, startProducts, startReviews, writeSupergraph } from './support/fixtures';
import type { RunningServer } from './support/fixtures';

const logger = pino({ level: 'silent' });
const features = [...defaultFeatures, callerAgency];

let servers: RunningServer[] = [];
let supergraph: { file: string; cleanup(): void };
const gateways: Gateway[] = [];

async function start(env: Record<string, string> = {}, list = features): Promise<string> {
  const config = loadGatewayConfig(
    { SUPERGRAPH_PATH: supergraph.file, GATEWAY_PORT: '0', ...engineEnv(), ...env },
    [],
    list,
  );
  const gateway = createGateway(config, { logger, features: list });
  gateways.push(gateway);
  return (await gateway.start()).url;
}

async function query(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  servers = [await startProducts(), await startReviews()];
  supergraph = writeSupergraph({ products: servers[0].url, reviews: servers[1].url });
});

afterAll(async () => {
  await Promise.all(gateways.map((g) => g.stop()));
  await Promise.all(servers.map((s) => s.close()));
  supergraph?.cleanup();
});

test('the context field it computes from the request reaches the subgraph through its fetch wrapper', async () => {
  const url = await start({ GATEWAY_CALLER_HEADER: 'X-Agency-Code' });
  const res = await query(
    url,
    { query: `{ requestHeader(name: "${FORWARDED_HEADER}") }` },
    { 'x-agency-code': 'UBND-BTL' },
  );
  expect(res.json).toEqual({ data: { requestHeader: 'UBND-BTL' } });
  // Without the header the context field stays unset and the wrapper adds nothing.
  const anonymous = await query(url, { query: `{ requestHeader(name: "${FORWARDED_HEADER}") }` });
  expect(anonymous.json).toEqual({ data: { requestHeader: null } });
});

test('its wrapper sees every fetch of a query plan, and its route serves what it counted', async () => {
  const url = await start();
  await query(url, { query: '{ topProducts { upc reviews { body } } }' }, { 'x-agency': 'UBND-LT' });
  const stats = await fetch(`${new URL(url).origin}/caller-stats`);
  expect(stats.status).toBe(200);
  expect(await stats.json()).toEqual({ fetches: { products: 1, reviews: 1 } });
});

test('its context function may refuse a request with a coded error', async () => {
  const url = await start({ GATEWAY_CALLER_MAX_LENGTH: '4' });
  const res = await query(url, { query: '{ __typename }' }, { 'x-agency': 'TOO-LONG-CODE' });
  expect(res.status).toBe(400);
  expect(res.json).toEqual({
    errors: [{ message: 'agency code too long', extensions: { code: 'BAD_REQUEST' } }],
  });
});

test('wrappers nest in list order: the first feature is outermost', async () => {
  const order: string[] = [];
  const tracer = (label: string) =>
    defineFeature({
      name: `trace-${label}`,
      create: () => ({
        async subgraphFetch(call, next) {
          order.push(`${label}>`);
          const response = await next(call);
          order.push(`<${label}`);
          return response;
        },
      }),
    });
  const url = await start({}, [...defaultFeatures, tracer('a'), tracer('b')]);
  expect((await query(url, { query: '{ reviewCount }' })).json).toEqual({ data: { reviewCount: 3 } });
  expect(order).toEqual(['a>', 'b>', '<b', '<a']);
});

test('a context field set by two features fails the request: masked for the client, named in the log', async () => {
  const twin = defineFeature({ name: 'twin', create: () => ({ context: () => ({ callerAgency: 'X' }) }) });
  const lines: { msg?: string; err?: { message?: string } }[] = [];
  const capture = pino({ level: 'error' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const list = [...features, twin];
  const config = loadGatewayConfig(
    { SUPERGRAPH_PATH: supergraph.file, GATEWAY_PORT: '0', ...engineEnv() },
    [],
    list,
  );
  const gateway = createGateway(config, { logger: capture, features: list });
  gateways.push(gateway);
  const { url } = await gateway.start();
  const res = await query(url, { query: '{ __typename }' }, { 'x-agency': 'UBND-BTL' });
  expect(res.status).toBe(500);
  expect(res.json).toEqual({
    errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
  });
  expect(lines).toContainEqual(
    expect.objectContaining({
      msg: 'gateway feature "twin" failed to build the request context',
      err: expect.objectContaining({ message: 'sets context field "callerAgency", which is already set' }),
    }),
  );
});
