/**
 * Timeouts at the HTTP edge, over raw sockets (issue 14, finding 8): a body trickled a byte at a
 * time, headers that never finish and an idle keep-alive connection each lose their socket within
 * the configured bound (plus Node's 1 s check interval); an operation that runs longer than the
 * request timeout after its body arrived is not cut.
 */
import net from 'node:net';
import pino from 'pino';
import { createGateway } from '../server';
import type { Gateway } from '../server';
import { engineEnv, REVIEWS_SDL, startProducts, startSubgraph, writeSupergraph } from './support/fixtures';
import type { RunningServer } from './support/fixtures';
import { defaultConfig, defaultFeatures } from './support/config';

const HEADERS_MS = 1000;
const REQUEST_MS = 2000;
const KEEP_ALIVE_MS = 1500;
/** Node looks for timed-out requests once a second (common/httpTimeouts.ts). */
const CHECK_MS = 1000;

let products: RunningServer;
let reviews: RunningServer;
let supergraph: { file: string; cleanup(): void };
let gateway: Gateway;
let port: number;

beforeAll(async () => {
  products = await startProducts();
  // A reviews subgraph whose count takes longer than the request timeout to compute.
  reviews = await startSubgraph(REVIEWS_SDL, {
    Query: { reviewCount: () => new Promise((resolve) => setTimeout(() => resolve(3), REQUEST_MS + 500)) },
  });
  supergraph = writeSupergraph({ products: products.url, reviews: reviews.url });
  gateway = createGateway(
    defaultConfig({
      SUPERGRAPH_PATH: supergraph.file,
      GATEWAY_PORT: '0',
      GATEWAY_HEADERS_TIMEOUT: String(HEADERS_MS),
      GATEWAY_REQUEST_TIMEOUT: String(REQUEST_MS),
      GATEWAY_KEEP_ALIVE_TIMEOUT: String(KEEP_ALIVE_MS),
      ...engineEnv(),
    }),
    { logger: pino({ level: 'silent' }), features: defaultFeatures },
  );
  port = Number(new URL((await gateway.start()).url).port);
});

afterAll(async () => {
  await gateway?.stop();
  await products?.close();
  await reviews?.close();
  supergraph?.cleanup();
});

/** A raw connection: what it received and when (ms after connecting) the server closed it. */
function connect(): Promise<{ socket: net.Socket; closed: Promise<{ afterMs: number; received: string }> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.once('error', reject);
    socket.once('connect', () => {
      const started = Date.now();
      const closed = new Promise<{ afterMs: number; received: string }>((done) =>
        socket.once('close', () => done({ afterMs: Date.now() - started, received })),
      );
      resolve({ socket, closed });
    });
  });
}

const REQUEST_TIMEOUT_BODY = JSON.stringify({
  errors: [{ message: 'The request did not arrive in time', extensions: { code: 'REQUEST_TIMEOUT' } }],
});

test('finding 8: a body trickled 1 byte every 5 s is cut with 408 REQUEST_TIMEOUT within the request timeout', async () => {
  const { socket, closed } = await connect();
  const body = JSON.stringify({ query: '{ topProducts { upc } }' });
  socket.write(
    `POST /graphql HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
  );
  let sent = 0;
  const trickle = () => socket.writable && sent < body.length && socket.write(body[sent++]!);
  trickle();
  const timer = setInterval(trickle, 5000);
  try {
    const { afterMs, received } = await closed;
    expect(afterMs).toBeGreaterThanOrEqual(REQUEST_MS - 100);
    expect(afterMs).toBeLessThan(REQUEST_MS + CHECK_MS + 1000);
    expect(received.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
    expect(received.split('\r\n\r\n')[1]).toBe(REQUEST_TIMEOUT_BODY);
    expect(sent).toBe(1);
  } finally {
    clearInterval(timer);
  }
});

test('headers that never finish, or nothing at all, lose the socket within the header timeout', async () => {
  const silent = await connect();
  const slow = await connect();
  slow.socket.write('POST /graphql HTTP/1.1\r\nHost: gw\r\n');
  const timer = setInterval(() => slow.socket.writable && slow.socket.write('X-Pad: 1\r\n'), 200);
  try {
    for (const { afterMs, received } of [await silent.closed, await slow.closed]) {
      expect(afterMs).toBeGreaterThanOrEqual(HEADERS_MS - 100);
      expect(afterMs).toBeLessThan(HEADERS_MS + CHECK_MS + 1000);
      expect(received.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
    }
  } finally {
    clearInterval(timer);
  }
});

test('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
  const { socket, closed } = await connect();
  const body = JSON.stringify({ query: '{ topProducts { upc } }' });
  socket.write(
    `POST /graphql HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
  );
  const { afterMs, received } = await closed;
  expect(received.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
  expect(received).toContain('{"data":{"topProducts":[{"upc":"p1"},{"upc":"p2"}]}}');
  expect(afterMs).toBeGreaterThanOrEqual(KEEP_ALIVE_MS - 100);
  expect(afterMs).toBeLessThan(KEEP_ALIVE_MS + CHECK_MS + 1000);
});

test('an operation running longer than the request timeout, once its body arrived, is not cut', async () => {
  const started = Date.now();
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ reviewCount }' }),
  });
  expect(await res.json()).toEqual({ data: { reviewCount: 3 } });
  expect(Date.now() - started).toBeGreaterThanOrEqual(REQUEST_MS + 400);
});
