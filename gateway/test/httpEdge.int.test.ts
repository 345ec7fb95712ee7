/**
 * The HTTP edge as a client meets it: malformed bodies, CSRF, batching, status codes of GraphQL over HTTP, routes and methods.
 * Over real HTTP: two fixture subgraphs and a gateway on port 0 (support/gatewayStack.ts).
 */
import type { GraphQLBody } from './support/gatewayStack';
import { post, useGatewayStack } from './support/gatewayStack';

const stack = useGatewayStack();

describe('HTTP edge', () => {
  test('malformed JSON → 400 JSON BAD_REQUEST, never Fastify text or HTML', async () => {
    const res = await post(stack.url, '{"query": "{ __typename }"');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.json).toEqual({
      errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  test('a body over GATEWAY_BODY_LIMIT → 413 JSON PAYLOAD_TOO_LARGE', async () => {
    const small = await stack.startGateway({ GATEWAY_BODY_LIMIT: '1024' });
    const res = await post(small.url, { query: `{ __typename } # ${'x'.repeat(2000)}` });
    expect(res.status).toBe(413);
    expect(res.json.errors?.[0].extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    const fits = await post(small.url, { query: '{ __typename }' });
    expect(fits.json).toEqual({ data: { __typename: 'Query' } });
  });

  test('GET query without a preflight header is blocked as CSRF (400); with it, it runs', async () => {
    const q = `${stack.url}?query=${encodeURIComponent('{ __typename }')}`;
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
    const res = await post(stack.url, JSON.stringify({ query: '{ __typename }' }), {
      'content-type': 'text/plain',
    });
    expect(res.status).toBe(400);
    expect(res.json.errors?.[0].message).toMatch(/Cross-Site Request Forgery/);
  });

  test('a batched array POST is rejected with a JSON error', async () => {
    const res = await post(stack.url, [{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      errors: [{ message: 'Operation batching disabled.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  test('a syntax error → 400 GRAPHQL_PARSE_FAILED; an unknown field → 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const parse = await post(stack.url, { query: '{ topProducts {' });
    expect(parse.status).toBe(400);
    expect(parse.json.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const invalid = await post(stack.url, { query: '{ nope }' });
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
      const strict = await post(stack.url, body);
      expect([strict.status, strict.headers.get('content-type')]).toEqual([
        400,
        'application/graphql-response+json; charset=utf-8',
      ]);
      const plain = await post(stack.url, body, json);
      expect([plain.status, plain.headers.get('content-type')]).toEqual([
        200,
        'application/json; charset=utf-8',
      ]);
      expect(plain.json).toEqual(strict.json);
      expect(plain.json.errors?.[0].extensions?.code).toBe(code);
      // No Accept preference (curl, fetch's */*) is application/json too.
      expect((await post(stack.url, body, { accept: '*/*' })).status).toBe(200);
    }
    // Not a GraphQL request at all: 400 whatever the client accepts.
    expect((await post(stack.url, { query: '{ __typename }', variables: '{}' }, json)).status).toBe(400);
    expect((await post(stack.url, '{"query": ', json)).status).toBe(400);
    expect((await post(stack.url, [{ query: '{ __typename }' }], json)).status).toBe(400);
  });

  test('an unknown operationName or an ambiguous document → 400 OPERATION_RESOLUTION_FAILURE, not 500', async () => {
    const unknown = await post(stack.url, { query: 'query A { __typename }', operationName: 'B' });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toEqual({
      errors: [
        { message: 'Unknown operation named "B".', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } },
      ],
    });
    const ambiguous = await post(stack.url, { query: 'query A { __typename } query B { __typename }' });
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.json.errors?.[0].extensions?.code).toBe('OPERATION_RESOLUTION_FAILURE');
    const chosen = await post(stack.url, {
      query: 'query A { __typename } query B { reviewCount }',
      operationName: 'B',
    });
    expect(chosen.json).toEqual({ data: { reviewCount: 3 } });
  });

  test('GATEWAY_INTROSPECTION=false rejects introspection even for roles that may see the schema', async () => {
    const query = '{ __schema { queryType { name } } }';
    // Anonymous callers never introspect by default (schema-visibility feature); let them here.
    const open = await stack.startGateway({ GATEWAY_SCHEMA_ROLES: 'anonymous' });
    expect((await post(open.url, { query })).json).toEqual({
      data: { __schema: { queryType: { name: 'Query' } } },
    });
    const closed = await stack.startGateway({
      GATEWAY_INTROSPECTION: 'false',
      GATEWAY_SCHEMA_ROLES: 'anonymous',
    });
    const res = await post(closed.url, { query });
    expect(res.status).toBe(400);
    expect(res.json.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  test('a browser opening /graphql is sent to the local GraphiQL, not to a CDN-hosted sandbox', async () => {
    const res = await fetch(stack.url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('url=/graphiql');
    expect(html).not.toMatch(/https?:\/\//);
  });

  test('federation internals (_entities, _service) are not part of the public API', async () => {
    const res = await post(stack.url, { query: '{ _service { sdl } }' });
    expect(res.status).toBe(400);
    expect(res.json.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  test('unknown route → 404 JSON ROUTE_NOT_FOUND; wrong method → 405 JSON with Allow', async () => {
    const missing = await fetch(`${stack.origin}/graphq`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      errors: [{ message: 'No route GET /graphq', extensions: { code: 'ROUTE_NOT_FOUND' } }],
    });
    const put = await fetch(stack.url, {
      method: 'PUT',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST');
    expect(((await put.json()) as GraphQLBody).errors?.[0].extensions?.code).toBe('METHOD_NOT_ALLOWED');
    const postHealth = await fetch(`${stack.origin}/health`, { method: 'POST' });
    expect(postHealth.status).toBe(405);
    expect(postHealth.headers.get('allow')).toBe('GET');
  });

  test('a non-utf-8 charset or compressed body → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const utf7 = await post(
      stack.url,
      { query: '{ __typename }' },
      { 'content-type': 'application/json; charset=utf-7' },
    );
    expect(utf7.status).toBe(415);
    expect(utf7.json.errors?.[0].extensions?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const gz = await post(stack.url, { query: '{ __typename }' }, { 'content-encoding': 'gzip' });
    expect(gz.status).toBe(415);
  });
});
