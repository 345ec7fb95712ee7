/**
 * Security regression suite, requests: one test per attack row of shared/security.md §(a) on the
 * shape and size of a query and on HTTP (rows 1–18, 27), against every registered subgraph behind the
 * gateway over real HTTP. Each asserts the status, the `extensions.code` and that nothing leaks (no
 * stack, no internal URL or address, no data). Rows not here: 6 (fragment bomb: the planner's own
 * caps, gateway ≥2.10.1), 11/14/16/17 (HTTP edge, gateway/test/httpEdge.int.test.ts); identity and
 * schema exposure (rows 20–26): test/security-identity.int.test.ts.
 */
import { AGENCY, as, bearer, nest, post, refused, send, useSecurityStack } from './support/security';

useSecurityStack();

describe('§a rows 1–10: query shape and size', () => {
  test('1. deep nesting (20, 200, 2000 levels) → 400, no stack overflow', async () => {
    refused(await post({ query: nest(20) }), 400, 'GRAPHQL_VALIDATION_FAILED');
    expect((await post({ query: nest(20) })).body.errors?.[0]?.message).toMatch(
      /depth 22 exceeds the limit of 10/,
    );
    refused(await post({ query: nest(200) }), 400, 'GRAPHQL_VALIDATION_FAILED');
    refused(await post({ query: nest(2000) }), 400, 'GRAPHQL_PARSE_FAILED'); // past the token limit
  });

  test('2. alias overload (500 aliases) → 400', async () => {
    const query = `{ ${Array.from({ length: 500 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const a = await post({ query });
    refused(a, 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(a.body.errors?.[0]?.message).toMatch(/Alias count 500 exceeds the limit of 15/);
  });

  test('3. field duplication (__typename ×10 000) → 400 token limit, answered fast', async () => {
    const started = performance.now();
    refused(await post({ query: `{ ${'__typename '.repeat(10_000)}}` }), 400, 'GRAPHQL_PARSE_FAILED');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  test('4. directive overload → 400 with at most 100 errors (+1 "aborted")', async () => {
    const spreads = Array.from({ length: 60 }, () => '...F @include(if: true)').join(' ');
    const a = await post({
      query: `{ agency(code: "${AGENCY}") { ${spreads} } } fragment F on Agency { name }`,
    });
    refused(a, 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(a.body.errors?.[0]?.message).toMatch(/Directive count 60 exceeds the limit of 50/);
    const unknown = await post({ query: `{ __typename ${'@aa '.repeat(300)}}` });
    refused(unknown, 400, 'GRAPHQL_VALIDATION_FAILED');
    // graphql-js stops at 100 errors and adds one saying validation was aborted.
    expect(unknown.body.errors!.length).toBeLessThanOrEqual(101);
  });

  test('5. circular fragments → 400', async () => {
    const query = '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }';
    refused(await post({ query }), 400, 'GRAPHQL_VALIDATION_FAILED');
  });

  test('7. array batch → 400 BAD_REQUEST', async () => {
    const a = await post(Array.from({ length: 100 }, () => ({ query: '{ __typename }' })));
    refused(a, 400, 'BAD_REQUEST');
    expect(a.body.errors?.[0]?.message).toMatch(/batching/i);
  });

  test('8. several operations without operationName → 400 OPERATION_RESOLUTION_FAILURE', async () => {
    refused(
      await post({ query: 'query A { __typename } query B { __typename }' }),
      400,
      'OPERATION_RESOLUTION_FAILURE',
    );
  });

  test('9. huge document (1 MB of tokens, under the body limit) → 400 GRAPHQL_PARSE_FAILED', async () => {
    refused(await post({ query: `{ ${'a '.repeat(400_000)}}` }), 400, 'GRAPHQL_PARSE_FAILED');
  });

  test('10. oversized body → 413 PAYLOAD_TOO_LARGE with a JSON body', async () => {
    refused(await post({ query: `# ${'x'.repeat(1_100_000)}\n{ __typename }` }), 413, 'PAYLOAD_TOO_LARGE');
  });

  test('27. cost amplification (first: 10000, nested lists) → 400', async () => {
    const a = await post({
      query: '{ documents(first: 10000) { nodes { recipients { name } assignments { state } } } }',
    });
    refused(a, 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(a.body.errors?.[0]?.message).toMatch(/Estimated query cost \d+ exceeds the limit of 5000/);
  });

  test('27b. the cost of a repeated operation is checked every time; with variables it follows them', async () => {
    const query = '{ documents(first: 10000) { nodes { recipients { name } assignments { state } } } }';
    // The cost of an operation without variables is computed once: the second refusal is the cached one.
    for (let i = 0; i < 2; i++) refused(await post({ query }), 400, 'GRAPHQL_VALIDATION_FAILED');
    const sized =
      'query Sized($n: Int) { documents(first: $n) { nodes { recipients { name } assignments { state } } } }';
    refused(await post({ query: sized, variables: { n: 10000 } }), 400, 'GRAPHQL_VALIDATION_FAILED');
    const small = await post({ query: sized, variables: { n: 5 } }, await bearer(as.analyst()));
    expect(small.status).toBe(200);
    expect(small.body.errors).toBeUndefined();
  });

  test('a normal query passes every limit', async () => {
    const a = await post(
      {
        query:
          '{ documents(first: 20) { nodes { numberSymbol issuer { name parent { name } } recipients { name } } } }',
      },
      await bearer(as.analyst()),
    );
    expect(a.status).toBe(200);
    expect(a.body.errors).toBeUndefined();
  });
});

describe('§a rows 12–18: HTTP', () => {
  test('12. malformed JSON → 400 JSON error, no HTML', async () => {
    const a = await post('{"query": "{ __typename }"');
    refused(a, 400, 'BAD_REQUEST');
    expect(a.text).not.toMatch(/<html/i);
  });

  test('13. POST with a wrong content-type (xml, none) → 400', async () => {
    refused(
      await send({ method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<q/>' }),
      400,
      'BAD_REQUEST',
    );
    refused(
      await send({ method: 'POST', body: new Uint8Array(Buffer.from('{"query":"{__typename}"}')) }),
      400,
      'BAD_REQUEST',
    );
  });

  test('15. CSRF: GET without a preflight header, POST text/plain, form or multipart → 400', async () => {
    const get = await send({ method: 'GET', search: '?query=%7B__typename%7D' });
    refused(get, 400, 'BAD_REQUEST');
    expect(get.body.errors?.[0]?.message).toMatch(/CSRF/);
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const a = await send({
        method: 'POST',
        headers: { 'content-type': type },
        body: '{"query":"{__typename}"}',
      });
      refused(a, 400, 'BAD_REQUEST');
      expect(a.body.errors?.[0]?.message).toMatch(/CSRF/);
    }
    const preflighted = await send({
      method: 'GET',
      search: '?query=%7B__typename%7D',
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(preflighted.body).toEqual({ data: { __typename: 'Query' } });
  });

  test('18. bad variables: wrong type, missing non-null → 400 BAD_USER_INPUT; variables as a string → 400 BAD_REQUEST', async () => {
    const query = 'query($id: ID!) { document(id: $id) { numberSymbol } }';
    refused(await post({ query, variables: { id: { nested: true } } }), 400, 'BAD_USER_INPUT');
    refused(await post({ query, variables: {} }), 400, 'BAD_USER_INPUT');
    refused(await post({ query, variables: '{"id":"1"}' }), 400, 'BAD_REQUEST');
  });
});
