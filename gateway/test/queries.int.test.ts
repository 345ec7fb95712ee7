/**
 * Queries across the two fixture subgraphs: joined answers, subgraph errors as a client sees them, request ids and the operation log.
 * Over real HTTP: two fixture subgraphs and a gateway on port 0 (support/gatewayStack.ts).
 */
import pino from 'pino';
import { createGateway } from '../server';
import { defaultFeatures } from './support/config';
import { JOIN_QUERY } from './support/gatewayStack';
import { post, useGatewayStack } from './support/gatewayStack';

const stack = useGatewayStack();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('queries across subgraphs', () => {
  test('a query joining products and reviews returns both subgraphs’ fields', async () => {
    const res = await post(stack.url, { query: JOIN_QUERY });
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
    const res = await post(stack.url, { query: '{ product(upc: "") { name } }' });
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
    const res = await post(stack.url, { query: '{ product(upc: "gone") { name } }' });
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
    const mine = await post(stack.url, { query: '{ __typename }' }, { 'x-request-id': 'analyst-42' });
    expect(mine.headers.get('x-request-id')).toMatch(UUID);
    const again = await post(stack.url, { query: '{ __typename }' }, { 'x-request-id': 'analyst-42' });
    expect(again.headers.get('x-request-id')).toMatch(UUID);
    expect(again.headers.get('x-request-id')).not.toBe(mine.headers.get('x-request-id'));
    const notFound = await fetch(`${stack.origin}/nothing-here`);
    expect(notFound.headers.get('x-request-id')).toMatch(UUID);
  });

  test('subgraphs get the gateway’s request id; the client’s, sanitised and cut to 128, as x-client-request-id', async () => {
    const res = await post(stack.url, { query: JOIN_QUERY }, { 'x-request-id': 'trace-join-1' });
    const id = res.headers.get('x-request-id');
    expect(stack.products.requestIds).toContain(id);
    expect(stack.reviews.requestIds).toContain(id);
    expect(stack.products.requestIds).not.toContain('trace-join-1');
    const header = (name: string, requestId: string) =>
      post(stack.url, { query: `{ requestHeader(name: "${name}") }` }, { 'x-request-id': requestId });
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
    const gateway = createGateway(stack.configFor(), { logger: capture, features: defaultFeatures });
    stack.track(gateway);
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
    const gateway = createGateway(stack.configFor({ GATEWAY_SLOW_MS: '0' }), {
      logger: capture,
      features: defaultFeatures,
    });
    stack.track(gateway);
    const { url: gwUrl } = await gateway.start();
    await post(gwUrl, { query: 'query Fast { __typename }' });
    const ops = lines.filter((l) => l.msg === 'graphql operation');
    expect(ops).toEqual([expect.objectContaining({ level: 40, operationName: 'Fast' })]);
  });
});
