/**
 * A subgraph that is down, broken or refusing costs only its own fields; SUBGRAPH_URL_<NAME> overrides.
 * Over real HTTP: two fixture subgraphs and a gateway on port 0 (support/gatewayStack.ts).
 */
import { startHtmlErrorServer, startReviews, startStatusServer } from './support/fixtures';
import { JOIN_QUERY } from './support/gatewayStack';
import { post, useGatewayStack } from './support/gatewayStack';

const stack = useGatewayStack();

describe('a subgraph that is down costs only its own fields', () => {
  test('closed reviews subgraph: products fields still come back with a masked DOWNSTREAM_SERVICE_ERROR', async () => {
    const doomed = await startReviews();
    await doomed.close();
    const down = await stack.startGateway({ SUBGRAPH_URL_REVIEWS: doomed.url });
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
    stack.trackServer(broken);
    const gw = await stack.startGateway({ SUBGRAPH_URL_REVIEWS: broken.url });
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
    stack.trackServer(unauthorized, explained);
    const a = await stack.startGateway({ SUBGRAPH_URL_REVIEWS: unauthorized.url });
    const resA = await post(a.url, { query: JOIN_QUERY });
    expect(resA.json.errors).toEqual([
      {
        message: 'Subgraph "reviews" requires authentication',
        extensions: { code: 'UNAUTHENTICATED', serviceName: 'reviews' },
      },
    ]);
    expect(resA.text).not.toContain('10.1.2.3');
    const b = await stack.startGateway({ SUBGRAPH_URL_REVIEWS: explained.url });
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
    const res = await post(stack.url, { query: '{ reviewCount }' });
    expect(res.json).toEqual({ data: { reviewCount: 3 } });
    const redirected = await stack.startGateway({ SUBGRAPH_URL_REVIEWS: 'http://127.0.0.1:9/graphql' });
    const viaOverride = await post(redirected.url, { query: '{ reviewCount }' });
    expect(viaOverride.json.errors?.[0].extensions).toEqual({
      code: 'DOWNSTREAM_SERVICE_ERROR',
      serviceName: 'reviews',
    });
  });
});
