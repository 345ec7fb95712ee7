/**
 * `@defer` on each engine over the fixture subgraphs (real HTTP): the govgraph engine answers
 * multipart/mixed deferSpec=20220824 (a list, a nested @defer, `if: false`, a client that takes
 * only multipart); the reference engine (`integration-apollo` project) refuses with
 * DEFER_NOT_SUPPORTED. Every client without the multipart Accept gets a refusal with a code.
 */
import { useGatewayStack } from './support/gatewayStack';

const DEFER_ACCEPT = 'multipart/mixed;deferSpec=20220824,application/json';
const reference = process.env.GATEWAY_ENGINE === 'apollo';

const stack = useGatewayStack();

interface Part {
  data?: any;
  errors?: any[];
  incremental?: { data: any; path: (string | number)[]; label?: string; errors?: any[] }[];
  hasNext: boolean;
}

async function send(
  query: string,
  accept = DEFER_ACCEPT,
  variables: Record<string, unknown> = {},
): Promise<{ status: number; contentType: string; text: string; parts: Part[] }> {
  const res = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  const parts = contentType.startsWith('multipart/mixed')
    ? text
        .split('\r\n---')
        .map((chunk) => chunk.slice(chunk.indexOf('\r\n\r\n') + 4).trim())
        .filter((json) => json.startsWith('{'))
        .map((json) => JSON.parse(json) as Part)
    : [JSON.parse(text) as Part];
  return { status: res.status, contentType, text, parts };
}

const items = (parts: Part[]) => parts.slice(1).flatMap((p) => p.incremental ?? []);

const LIST = `{ topProducts { upc ... @defer(label: "more") { name reviews { body } } } }`;

(reference ? test.skip : test)(
  'a deferred fragment in a list is delivered at each element, after the initial payload',
  async () => {
    const { status, contentType, parts, text } = await send(LIST);
    expect(status).toBe(200);
    expect(contentType).toBe('multipart/mixed; boundary="-"; deferSpec=20220824');
    expect(text.startsWith('\r\n---\r\ncontent-type: application/json; charset=utf-8\r\n\r\n')).toBe(true);
    expect(text.endsWith('\r\n-----\r\n')).toBe(true);
    expect(parts[0]).toEqual({ data: { topProducts: [{ upc: 'p1' }, { upc: 'p2' }] }, hasNext: true });
    expect(parts[parts.length - 1]!.hasNext).toBe(false);
    expect(parts.slice(1, -1).every((p) => p.hasNext)).toBe(true);
    expect(items(parts)).toEqual([
      {
        data: { name: 'Bàn làm việc', reviews: [{ body: 'Chắc chắn' }] },
        path: ['topProducts', 0],
        label: 'more',
      },
      { data: { name: 'Ghế xoay', reviews: expect.any(Array) }, path: ['topProducts', 1], label: 'more' },
    ]);
  },
);

(reference ? test.skip : test)('a nested @defer comes after its parent fragment', async () => {
  const { parts } = await send(
    `{ topProducts { upc ... @defer(label: "outer") { name ... @defer(label: "inner") { reviews { body } } } } }`,
  );
  const delivered = items(parts);
  const outer = delivered.findIndex((i) => i.label === 'outer');
  const inner = delivered.findIndex((i) => i.label === 'inner');
  expect(outer).toBeGreaterThanOrEqual(0);
  expect(inner).toBeGreaterThan(outer);
  expect(delivered.filter((i) => i.label === 'outer').map((i) => i.data)).toEqual([
    { name: 'Bàn làm việc' },
    { name: 'Ghế xoay' },
  ]);
  expect(delivered.find((i) => i.label === 'inner' && i.path[1] === 0)!.data).toEqual({
    reviews: [{ body: 'Chắc chắn' }],
  });
});

(reference ? test.skip : test)(
  '@defer(if: false) answers whole, as JSON, even without the multipart Accept',
  async () => {
    const query = `query($d: Boolean!) { topProducts { upc ... @defer(if: $d) { name } } }`;
    const { status, contentType, parts } = await send(query, 'application/json', { d: false });
    expect(status).toBe(200);
    expect(contentType).toMatch(/^application\/json/);
    expect(parts[0]).toEqual({
      data: {
        topProducts: [
          { upc: 'p1', name: 'Bàn làm việc' },
          { upc: 'p2', name: 'Ghế xoay' },
        ],
      },
    });
  },
);

(reference ? test.skip : test)(
  'a client that takes only multipart gets a non-deferring answer as one part',
  async () => {
    const { contentType, parts } = await send(
      '{ topProducts { upc } }',
      'multipart/mixed;deferSpec=20220824',
    );
    expect(contentType).toBe('multipart/mixed; boundary="-"; deferSpec=20220824');
    expect(parts).toEqual([{ data: { topProducts: [{ upc: 'p1' }, { upc: 'p2' }] }, hasNext: false }]);
  },
);

(reference ? test.skip : test)(
  'without the multipart Accept, @defer is refused: 406 INCREMENTAL_DELIVERY_NOT_ACCEPTED',
  async () => {
    const { status, parts } = await send(LIST, 'application/graphql-response+json');
    expect(status).toBe(406);
    expect(parts[0]!.data).toBeUndefined();
    expect(parts[0]!.errors?.[0]?.extensions?.code).toBe('INCREMENTAL_DELIVERY_NOT_ACCEPTED');
  },
);

(reference ? test : test.skip)('the reference engine refuses @defer with DEFER_NOT_SUPPORTED', async () => {
  const { status, contentType, parts } = await send(LIST);
  expect(contentType).toMatch(/^application\/json/);
  expect(status).toBe(400);
  expect(parts[0]!.data).toBeUndefined();
  expect(parts[0]!.errors?.[0]?.extensions?.code).toBe('DEFER_NOT_SUPPORTED');
  expect(parts[0]!.errors?.[0]?.message).toContain('GATEWAY_ENGINE=apollo');
});

test('a depth limit counts the fields inside deferred fragments: over it, nothing is deferred or run', async () => {
  const { url } = await stack.startGateway({ GATEWAY_MAX_DEPTH: '2' });
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: DEFER_ACCEPT },
    // topProducts → reviews → body is 3 deep, all of it inside the deferred fragment.
    body: JSON.stringify({ query: '{ topProducts { upc ... @defer { reviews { body } } } }' }),
  });
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as {
    data?: unknown;
    errors: { message: string; extensions: { code: string } }[];
  };
  expect(body.data).toBeUndefined();
  expect(body.errors[0]!.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect(body.errors[0]!.message).toMatch(/depth/i);
  // Within the limit, the same shape is deferred.
  const within = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: DEFER_ACCEPT },
    body: JSON.stringify({ query: '{ topProducts { upc ... @defer { name } } }' }),
  });
  expect(within.headers.get('content-type') ?? '').toMatch(
    reference ? /^application\/json/ : /^multipart\/mixed/,
  );
  await within.text();
});

(reference ? test.skip : test)('a deferred named fragment with variables and @skip inside', async () => {
  const query = `query($u: String!, $s: Boolean!) { product(upc: $u) { upc ...More @defer(label: "m") } }
    fragment More on Product { name @skip(if: $s) price reviews { body } }`;
  const { parts } = await send(query, DEFER_ACCEPT, { u: 'p1', s: true });
  expect(parts[0]).toEqual({ data: { product: { upc: 'p1' } }, hasNext: true });
  expect(items(parts)).toEqual([
    { data: { price: 1200, reviews: [{ body: 'Chắc chắn' }] }, path: ['product'], label: 'm' },
  ]);
});

(reference ? test.skip : test)('an aliased parent: the fragment lands at the response name', async () => {
  const { parts } = await send('{ tp: topProducts { code: upc ... @defer { title: name } } }');
  expect(parts[0]).toEqual({ data: { tp: [{ code: 'p1' }, { code: 'p2' }] }, hasNext: true });
  expect(items(parts)).toEqual([
    { data: { title: 'Bàn làm việc' }, path: ['tp', 0] },
    { data: { title: 'Ghế xoay' }, path: ['tp', 1] },
  ]);
});

(reference ? test.skip : test)('the root __typename is in the initial payload', async () => {
  const { parts } = await send('{ __typename kind: __typename topProducts { upc ... @defer { name } } }');
  expect(parts[0]).toEqual({
    data: { __typename: 'Query', kind: 'Query', topProducts: [{ upc: 'p1' }, { upc: 'p2' }] },
    hasNext: true,
  });
});
