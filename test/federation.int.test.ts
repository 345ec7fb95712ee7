/**
 * The product path end to end in one process tree: the gateway and every registered subgraph, each on
 * its own port, talking real HTTP, with the supergraph composed from the registry.
 */
import type { Caller } from '../kit';
import { callers } from '../kit/testing';
import { ANALYST, startFederatedStack, testToken } from './support/subgraphs';
import type { FederatedStack, TestClaims } from './support/subgraphs';

const GRAPHQL_RESPONSE = 'application/graphql-response+json';

let stack: FederatedStack;
let url: string;

/**
 * POSTs as `as` (anonymous when undefined), speaking like Apollo Client: asks for
 * application/graphql-response+json, so request errors are 4xx.
 */
async function post(body: unknown, as?: TestClaims | Caller) {
  const headers: Record<string, string> = as ? { authorization: `Bearer ${await testToken(as)}` } : {};
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: GRAPHQL_RESPONSE, ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any };
}

beforeAll(async () => {
  stack = await startFederatedStack();
  url = stack.url;
}, 120_000);

afterAll(async () => stack?.close());

test('an analyst scorecard query through the gateway returns the published figure', async () => {
  const r = await post(
    {
      query: `query Scorecard($code: ID!) { agency(code: $code) { name level parent { name }
      documentStats(period: {from: "2014-01-01", to: "2014-12-31"}) { electronicRatio outgoingTotal } } }`,
      variables: { code: '000.00.21.H26' },
    },
    ANALYST,
  );
  expect(r.status).toBe(200);
  expect(r.json.errors).toBeUndefined();
  expect(r.json.data.agency).toMatchObject({
    name: 'Ủy ban nhân dân quận Bắc Từ Liêm',
    level: 'DISTRICT',
    parent: { name: 'Ủy ban nhân dân thành phố Hà Nội' },
    documentStats: { electronicRatio: 0.9 },
  });
});

test('a portal looks up a document by number and symbol', async () => {
  const list = await post(
    {
      query: `{ documents(first: 1, filter: {direction: OUTGOING, typeCode: "QĐ"}) { nodes { numberSymbol issuedDate agency { code } } } }`,
    },
    ANALYST,
  );
  const d = list.json.data.documents.nodes[0];
  const r = await post({
    query: `query($a: ID!, $y: Int!, $n: String!) { documentByNumber(agencyCode: $a, year: $y, numberSymbol: $n) { numberSymbol docType { name } } }`,
    variables: { a: d.agency.code, y: Number(d.issuedDate.slice(0, 4)), n: d.numberSymbol },
  });
  expect(r.json.data.documentByNumber).toEqual({
    numberSymbol: d.numberSymbol,
    docType: { name: 'Quyết định' },
  });
});

test('a mutation through the gateway commits, and its input errors keep their code and name the subgraph', async () => {
  const ok = await post(
    {
      query: `mutation { issueOutgoingDocument(input: { agencyCode: "000.00.00.H26", typeCode: "TB", subject: "Thông báo lịch tiếp công dân",
      issuedDate: "2008-09-05", signer: { officialId: "000.00.00.H26/1" }, electronic: true }) { numberSymbol } }`,
    },
    callers.official('000.00.00.H26'),
  );
  expect(ok.json.data.issueOutgoingDocument.numberSymbol).toBe('1/TB-UBND');
  const bad = await post({ query: `{ document(id: "not-an-id") { id } }` });
  expect(bad.status).toBe(200);
  expect(bad.json.data).toEqual({ document: null });
  expect(bad.json.errors[0].extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'id',
    serviceName: 'documents',
  });
  expect(JSON.stringify(bad.json)).not.toMatch(/stack|127\.0\.0\.1/);
});

test('federation internals are not part of the public API', async () => {
  const r = await post({
    query: `{ _entities(representations: [{__typename: "Agency", code: "000.00.00.H26"}]) { __typename } }`,
  });
  expect(r.status).toBe(400);
  expect(r.json.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  const sdl = await post({ query: `{ _service { sdl } }` });
  expect(sdl.json.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
});

test('when the subgraph is down the client gets a masked error that names it', async () => {
  await stack.subgraphs.get('documents')!.close();
  const r = await post({ query: `{ agency(code: "000.00.00.H26") { name } }` });
  expect(r.status).toBe(200);
  expect(r.json.data).toEqual({ agency: null });
  expect(r.json.errors[0].extensions).toMatchObject({
    code: 'DOWNSTREAM_SERVICE_ERROR',
    serviceName: 'documents',
  });
  expect(JSON.stringify(r.json)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|fetch failed/);
});
