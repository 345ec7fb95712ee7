/**
 * `@defer` through the gateway (docs/defer.md), over every real subgraph on real HTTP: Apollo Client
 * 4 (HttpLink, `Defer20220824Handler`) reads the multipart/mixed deferSpec=20220824 answer of a
 * portal dossier page; the raw stream is read too, to see what each payload holds. A field the
 * caller may not read stays refused inside a deferred fragment, personal data stays masked, a
 * deferred fetch's error lands in its own payload, and a client that does not take incremental
 * delivery is refused with a code.
 */
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { Defer20220824Handler } from '@apollo/client/incremental';
import { callers } from '../kit/testing';
import type { Caller } from '../kit';
import { startFederatedStack } from './support/subgraphs';
import type { FederatedStack } from './support/subgraphs';

jest.setTimeout(120_000);

const CODE = '000.00.46.H62-170103-0001';
const DEFER_ACCEPT = 'multipart/mixed;deferSpec=20220824,application/json';

let stack: FederatedStack;

beforeAll(async () => {
  stack = await startFederatedStack({ scale: 0.05 });
}, 180_000);
afterAll(async () => stack?.close());

const PAGE = `query DossierPage($code: String!) {
  dossierStatus(code: $code) {
    code
    status
    ... @defer(label: "details") {
      procedure { name processingDays }
      agency { name }
    }
  }
}`;

interface Part {
  data?: any;
  errors?: any[];
  incremental?: { data: any; path: (string | number)[]; label?: string; errors?: any[] }[];
  hasNext: boolean;
}

/** POSTs and splits the multipart body into its JSON parts, in order. */
async function multipart(
  query: string,
  variables: Record<string, unknown>,
  caller?: Caller,
  accept = DEFER_ACCEPT,
): Promise<{ status: number; contentType: string; parts: Part[]; text: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept };
  if (caller) headers.authorization = `Bearer ${await stack.token(caller)}`;
  const res = await fetch(stack.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  const parts = contentType.startsWith('multipart/mixed')
    ? text
        .split('\r\n---')
        .map((chunk) => chunk.slice(chunk.indexOf('\r\n\r\n') + 4).trim())
        .filter((json) => json.startsWith('{'))
        .map((json) => JSON.parse(json) as Part)
    : [];
  return { status: res.status, contentType, parts, text };
}

const items = (parts: Part[]) => parts.slice(1).flatMap((p) => p.incremental ?? []);

/** The portal's client: Apollo Client 4 with the deferSpec=20220824 handler (it sends the multipart Accept). */
function deferClient(): ApolloClient {
  return new ApolloClient({
    cache: new InMemoryCache(),
    incrementalHandler: new Defer20220824Handler(),
    link: new HttpLink({ uri: stack.url }),
  });
}

test('Apollo Client gets the dossier page in two payloads: the status first, then procedure and agency', async () => {
  const client = deferClient();
  const seen: any[] = [];
  const done = new Promise<void>((resolve, reject) => {
    const sub = client
      .watchQuery({ query: gql(PAGE), variables: { code: CODE }, fetchPolicy: 'network-only' })
      .subscribe({
        next: (result) => {
          seen.push(result);
          if (result.dataState === 'complete') {
            sub.unsubscribe();
            resolve();
          }
        },
        error: reject,
      });
  });
  await done;
  const streamed = seen.filter((r) => r.dataState === 'streaming');
  expect(streamed.length).toBeGreaterThanOrEqual(1);
  // The initial payload: the status, without the deferred fields.
  expect(streamed[0].data.dossierStatus).toEqual({
    __typename: 'DossierPublicStatus',
    code: CODE,
    status: expect.any(String),
  });
  const final = seen[seen.length - 1];
  expect(final.error).toBeUndefined();
  expect(final.data.dossierStatus).toMatchObject({
    code: CODE,
    procedure: { name: expect.any(String), processingDays: expect.any(Number) },
    agency: { name: 'Ủy ban nhân dân huyện Lập Thạch' },
  });
});

test('the stream: deferSpec=20220824 parts, the deferred fragment at its path with its label', async () => {
  const { status, contentType, parts, text } = await multipart(PAGE, { code: CODE });
  expect(status).toBe(200);
  expect(contentType).toBe('multipart/mixed; boundary="-"; deferSpec=20220824');
  expect(text.endsWith('\r\n-----\r\n')).toBe(true);
  expect(parts[0]).toEqual({
    data: { dossierStatus: { code: CODE, status: expect.any(String) } },
    hasNext: true,
  });
  const last = parts[parts.length - 1]!;
  expect(last.hasNext).toBe(false);
  expect(items(parts)).toEqual([
    {
      data: {
        procedure: { name: expect.any(String), processingDays: expect.any(Number) },
        agency: { name: 'Ủy ban nhân dân huyện Lập Thạch' },
      },
      path: ['dossierStatus'],
      label: 'details',
    },
  ]);
});

test('a field the caller may not read stays refused inside a deferred fragment', async () => {
  // Anonymous: Agency.officials is @authenticated. The gateway removes it before planning (its
  // refusal is a request-level error, in the initial payload); the deferred fragment brings the
  // agency's name and nothing of its officials.
  const query = `query($code: String!) { dossierStatus(code: $code) { code ... @defer { agency { name officials(first: 2) { nodes { fullName } } } } } }`;
  const { parts } = await multipart(query, { code: CODE });
  expect(parts[0]!.data).toEqual({ dossierStatus: { code: CODE } });
  expect(parts[0]!.errors).toEqual([
    expect.objectContaining({
      path: ['dossierStatus', 'agency', 'officials'],
      extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
    }),
  ]);
  const delivered = items(parts);
  expect(delivered).toEqual([
    { data: { agency: { name: 'Ủy ban nhân dân huyện Lập Thạch' } }, path: ['dossierStatus'] },
  ]);
  // The same operation without @defer: the same refusal.
  const whole = await stack.gql(query.replace('... @defer {', '... {'), { code: CODE });
  expect(whole.errors[0].extensions.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
  expect(JSON.stringify(whole.data)).not.toContain('fullName');
});

test('personal data in a deferred fragment is masked as in a whole answer', async () => {
  const query = `query($c: ID!) { dossier(code: $c) { code ... @defer { applicant { name idNumber } } } }`;
  const { parts } = await multipart(query, { c: CODE }, callers.analyst);
  expect(parts[0]!.data).toEqual({ dossier: { code: CODE } });
  const delivered = items(parts);
  expect(delivered).toHaveLength(1);
  expect(delivered[0]!.path).toEqual(['dossier']);
  expect(delivered[0]!.data.applicant.idNumber).toMatch(/^\*+\d{3}$/);
  const whole = await stack.gql(
    `query($c: ID!) { dossier(code: $c) { applicant { name idNumber } } }`,
    { c: CODE },
    callers.analyst,
  );
  expect(delivered[0]!.data.applicant).toEqual(whole.data.dossier.applicant);
});

test("a deferred fetch's error lands in that payload, not in the initial one", async () => {
  const query = `query($code: String!) { dossierStatus(code: $code) { code ... @defer { agency { name documentStats(period: { from: "2014-12-31", to: "2014-01-01" }) { outgoingTotal } } } } }`;
  const { parts } = await multipart(query, { code: CODE }, callers.analyst);
  expect(parts[0]!.errors).toBeUndefined();
  expect(parts[0]!.data).toEqual({ dossierStatus: { code: CODE } });
  const errors = parts
    .slice(1)
    .flatMap((p) => [...(p.errors ?? []), ...(p.incremental ?? []).flatMap((i) => i.errors ?? [])]);
  expect(errors.length).toBeGreaterThan(0);
  expect(errors[0].extensions.code).toBe('BAD_USER_INPUT');
  expect(errors[0].extensions.serviceName).toBe('documents');
});

test('without a multipart Accept a @defer operation is refused with 406 and a code', async () => {
  const res = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query: PAGE, variables: { code: CODE } }),
  });
  expect(res.status).toBe(406);
  const body = (await res.json()) as any;
  expect(body.data).toBeUndefined();
  expect(body.errors[0].extensions.code).toBe('INCREMENTAL_DELIVERY_NOT_ACCEPTED');
  expect(body.errors[0].message).toContain('multipart/mixed;deferSpec=20220824');
});
