/**
 * Reloading the supergraph inside one gateway, on each engine, over real HTTP: a request in flight
 * when a new version takes over finishes on the version it started on (even though the new one
 * removed its field), later requests get the new one; the URL source polls with If-None-Match, so an
 * unchanged supergraph costs a 304, and an unreachable URL keeps the serving version.
 * (Process-level reloads, under load and with workers: reload.e2e.test.ts.)
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { composeSupergraph } from '../../../schema/compose';
import { loadGatewayConfig } from '../../config';
import { defineFeature } from '../../feature';
import { defaultConfig, defaultFeatures } from '../support/config';
import { createGateway } from '../../server';
import type { Gateway } from '../../server';
import { startSubgraph } from '../support/fixtures';
import type { RunningServer } from '../support/fixtures';
import { supergraphVersion } from '../../engine/supergraph/source';
import type { SupergraphReload } from '../../engine/supergraph/events';

const logger = pino({ level: 'silent' });
const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';

let subgraph: RunningServer;
let arrived: () => void = () => undefined;
let release: () => void = () => undefined;
let arrivals = 0;
const waiting: (() => void)[] = [];
let dir: string;
const gateways: Gateway[] = [];

beforeAll(async () => {
  subgraph = await startSubgraph(`${LINK}\ntype Query { slow: String stable: String added: String }`, {
    Query: {
      slow: () =>
        new Promise((resolve) => {
          arrivals++;
          waiting.push(() => resolve('slow answer'));
          release = () => waiting.splice(0).forEach((answer) => answer());
          arrived();
        }),
      stable: () => 'stable answer',
      added: () => 'added answer',
    },
  });
});
beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'govgraph-reload-'))));
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.stop()));
  rmSync(dir, { recursive: true, force: true });
});
afterAll(() => subgraph.close());

const supergraph = (fields: string) =>
  composeSupergraph([{ name: 'clock', url: subgraph.url, typeDefs: `${LINK}\ntype Query { ${fields} }` }]);
const V1 = () => supergraph('slow: String stable: String');
const V2 = () => supergraph('stable: String added: String');

/** Replaces the file the way editors and `mv` do: a new file renamed onto the old name. */
function replace(file: string, text: string): void {
  const next = `${file}.next`;
  writeFileSync(next, text);
  renameSync(next, file);
}

async function query(url: string, document: string): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: document }),
  });
  return response.json();
}

const nextReload = (gateway: Gateway) =>
  new Promise<SupergraphReload>((resolve) => {
    const off = gateway.supergraph.onReload((event) => {
      off();
      resolve(event);
    });
  });

/** Holds an operation named `Paused` after Apollo Server validated it, before the engine runs it. */
let paused: () => void = () => undefined;
let resume: () => void = () => undefined;
const pause = defineFeature({
  name: 'pause-for-test',
  create: () => ({
    plugins: [
      {
        async requestDidStart() {
          return {
            async didResolveOperation({ operationName }) {
              if (operationName !== 'Paused') return;
              await new Promise<void>((resolve) => {
                resume = resolve;
                paused();
              });
            },
          };
        },
      },
    ],
  }),
});
const features = [...defaultFeatures, pause];

async function start(env: Record<string, string>): Promise<{ gateway: Gateway; url: string }> {
  const config = loadGatewayConfig({ GATEWAY_PORT: '0', ...env }, [], features);
  const gateway = createGateway(config, { logger, features });
  gateways.push(gateway);
  const { url } = await gateway.start();
  return { gateway, url };
}

describe.each(['govgraph', 'apollo'])('the %s engine', (engine) => {
  test('a request in flight during a reload finishes on its version; the next ones get the new one', async () => {
    const file = path.join(dir, 'supergraph.graphql');
    writeFileSync(file, V1());
    const { gateway, url } = await start({
      SUPERGRAPH_PATH: file,
      GATEWAY_ENGINE: engine,
      GATEWAY_SUPERGRAPH_WATCH: 'watch',
    });
    // Validated against v1 and held before it runs: it must still run on v1.
    const held = new Promise<void>((resolve) => (paused = resolve));
    const validated = query(url, 'query Paused { slow }');
    await held;
    // Already at the subgraph: it must finish on v1.
    const atSubgraph = new Promise<void>((resolve) => (arrived = resolve));
    const inFlight = query(url, '{ slow }');
    await atSubgraph;

    const reloaded = nextReload(gateway);
    replace(file, V2());
    expect(await reloaded).toEqual({
      hash: supergraphVersion(V2()).hash,
      previousHash: supergraphVersion(V1()).hash,
      source: file,
      reloads: 1,
    });
    release();
    expect(await inFlight).toEqual({ data: { slow: 'slow answer' } });
    const second = new Promise<void>((resolve) => (arrived = resolve));
    resume();
    // Run on v2, it would fail at once (no field `slow`) instead of reaching the subgraph.
    expect(await Promise.race([second.then(() => 'at the subgraph'), validated])).toBe('at the subgraph');
    release();
    expect(await validated).toEqual({ data: { slow: 'slow answer' } });

    expect(await query(url, '{ added stable }')).toEqual({
      data: { added: 'added answer', stable: 'stable answer' },
    });
    expect(await query(url, '{ slow }')).toMatchObject({
      errors: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
    });
    const ready = await fetch(new URL('/ready', url));
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      supergraph: { hash: supergraphVersion(V2()).hash, reloads: 1, refusals: 0 },
    });
  });
});

test('in-flight deduplication never joins a request to one that started on another version', async () => {
  const file = path.join(dir, 'supergraph.graphql');
  writeFileSync(file, V1());
  const { gateway, url } = await start({
    SUPERGRAPH_PATH: file,
    GATEWAY_SUPERGRAPH_WATCH: 'watch',
    GATEWAY_DEDUPE_INFLIGHT: 'true',
  });
  const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  arrivals = 0;
  const first = new Promise<void>((resolve) => (arrived = resolve));
  const leader = query(url, '{ slow }');
  await first;
  const joined = query(url, '{ slow }'); // same version: shares the leader's execution
  await settle(300);
  expect(arrivals).toBe(1);

  const reloaded = nextReload(gateway);
  replace(file, supergraph('slow: String stable: String added: String'));
  await reloaded;
  const second = new Promise<void>((resolve) => (arrived = resolve));
  const afterReload = query(url, '{ slow }'); // identical, but the new version: runs on its own
  await Promise.race([second, settle(5000)]);
  expect(arrivals).toBe(2);
  release();
  const answers = await Promise.all([leader, joined, afterReload]);
  expect(answers).toEqual(Array(3).fill({ data: { slow: 'slow answer' } }));
});

describe('the URL source', () => {
  let server: Server;
  let body: string;
  let status = 200;
  const seen = { requests: 0, notModified: 0, conditional: 0 };

  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.requests++;
      if (status !== 200) return void response.writeHead(status).end('registry down');
      const etag = `"${supergraphVersion(body).hash.slice(0, 16)}"`;
      if (request.headers['if-none-match']) seen.conditional++;
      if (request.headers['if-none-match'] === etag) {
        seen.notModified++;
        return void response.writeHead(304, { etag }).end();
      }
      response.writeHead(200, { 'content-type': 'text/plain', etag }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  test('polls with If-None-Match: 304s change nothing, a new body reloads, an outage keeps the version', async () => {
    body = V1();
    const { port } = server.address() as AddressInfo;
    const { gateway, url } = await start({
      SUPERGRAPH_URL: `http://127.0.0.1:${port}/supergraph.graphql?token=secret`,
      GATEWAY_SUPERGRAPH_POLL_INTERVAL: '100',
    });
    await until(() => seen.notModified >= 3);
    expect(seen.conditional).toBe(seen.notModified);
    expect(gateway.supergraph.status()).toMatchObject({
      hash: supergraphVersion(V1()).hash,
      reloads: 0,
      source: `http://127.0.0.1:${port}/supergraph.graphql`, // no query string: it may hold a token
    });

    const reloaded = nextReload(gateway);
    body = V2();
    expect((await reloaded).hash).toBe(supergraphVersion(V2()).hash);
    expect(await query(url, '{ added }')).toEqual({ data: { added: 'added answer' } });

    status = 503;
    const before = seen.requests;
    await until(() => seen.requests >= before + 3);
    expect(await query(url, '{ added }')).toEqual({ data: { added: 'added answer' } });
    expect(gateway.supergraph.status()).toMatchObject({ hash: supergraphVersion(V2()).hash, reloads: 1 });
    status = 200;
  });

  test('a URL that cannot be fetched at start-up fails the start naming SUPERGRAPH_URL', async () => {
    const { port } = server.address() as AddressInfo;
    status = 404;
    const gateway = createGateway(
      defaultConfig({ GATEWAY_PORT: '0', SUPERGRAPH_URL: `http://127.0.0.1:${port}/missing` }),
      { logger, features: defaultFeatures },
    );
    await expect(gateway.start()).rejects.toThrow(
      `SUPERGRAPH_URL: cannot fetch the supergraph from http://127.0.0.1:${port}/missing: HTTP 404`,
    );
    status = 200;
  });
});

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
