/**
 * Trusted documents for the public portal, through the gateway and every subgraph: with
 * `GATEWAY_TRUSTED_DOCUMENTS=portal=clients/portal/manifest.json`, each of the portal's operations runs
 * anonymously by hash and answers without an authorization error; any other operation from the portal
 * (or from any anonymous caller) is refused with a clear code, and signed-in callers of other clients
 * are not held to it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ANALYST, startFederatedStack, testToken } from './support/subgraphs';
import type { FederatedStack, TestClaims } from './support/subgraphs';

jest.setTimeout(120_000);

const manifest = JSON.parse(
  readFileSync(path.join(__dirname, '../clients/portal/manifest.json'), 'utf8'),
) as Record<string, string>;
const hashOf = (operation: string): string => {
  const found = Object.entries(manifest).find(([, text]) =>
    new RegExp(`^(?:query|subscription) ${operation}\\(`).test(text),
  );
  if (!found) throw new Error(`no portal operation ${operation}`);
  return found[0];
};

let stack: FederatedStack;

beforeAll(async () => {
  stack = await startFederatedStack({
    scale: 0.05,
    gatewayEnv: { GATEWAY_TRUSTED_DOCUMENTS: 'portal=clients/portal/manifest.json' },
  });
});

afterAll(async () => stack?.close());

async function send(
  body: Record<string, unknown>,
  o: { as?: TestClaims; client?: string } = {},
): Promise<{ status: number; body: { data?: any; errors?: any[] } }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (o.as) headers.authorization = `Bearer ${await testToken(o.as)}`;
  if (o.client) headers['graphql-client-name'] = o.client;
  const res = await fetch(stack.url, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

const byHash = (operation: string, variables: Record<string, unknown>, o: { client?: string } = {}) =>
  send({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: hashOf(operation) } } }, o);

test('every portal operation runs anonymously by hash, without authorization errors', async () => {
  // Ids to look up, found by an analyst (signed in, no client name: not held to the manifest).
  const seed = await stack.gql(
    `{ documents(first: 1, filter: { direction: OUTGOING }) { nodes { id numberSymbol issuedDate agency { code } } } }`,
    {},
    ANALYST,
  );
  const doc = seed.data.documents.nodes[0];
  const procedures = await byHash('Procedures', { filter: { agencyCode: '000.00.46.H62' }, first: 3 });
  const code = procedures.body.data.procedures.nodes[0].code;
  const answers = {
    DocumentById: await byHash('DocumentById', { id: doc.id }),
    DocumentByNumber: await byHash('DocumentByNumber', {
      agencyCode: doc.agency.code,
      year: Number(doc.issuedDate.slice(0, 4)),
      numberSymbol: doc.numberSymbol,
    }),
    SearchDocuments: await byHash('SearchDocuments', { query: 'kế hoạch', first: 3 }),
    DossierStatus: await byHash('DossierStatus', { code: '000.00.46.H62-170103-0001' }),
    Procedures: procedures,
    Procedure: await byHash('Procedure', { code }),
    BudgetDisclosure: await byHash('BudgetDisclosure', { agencyCode: '000.00.00.H26', year: 2024 }),
    Agencies: await byHash('Agencies', { level: 'PROVINCE', first: 5 }),
  };
  // Every query of the manifest; its subscription (DossierStatusLive) runs over /graphql/stream.
  const queries = Object.values(manifest).filter((text) => !String(text).startsWith('subscription'));
  expect(Object.keys(answers).length).toBe(queries.length);
  const live = await byHash('DossierStatusLive', { code: '000.00.46.H62-170103-0001' });
  expect(live.body.errors?.[0]?.extensions?.code).toBe('SUBSCRIPTIONS_NOT_SUPPORTED');
  for (const [operation, r] of Object.entries(answers)) {
    expect([operation, r.status, r.body.errors]).toEqual([operation, 200, undefined]);
    expect(Object.values(r.body.data).every((v) => v !== null)).toBe(true);
  }
  expect(answers.DocumentById.body.data.document.id).toBe(doc.id);
  expect(answers.DossierStatus.body.data.dossierStatus.agency.name).toBe('Ủy ban nhân dân huyện Lập Thạch');
});

test('documentId works as well, and the query text may come along if it is the manifest’s', async () => {
  const hash = hashOf('Agencies');
  const r = await send({ documentId: `sha256:${hash}`, variables: { first: 2 } });
  expect(r.body.data.agencies.nodes).toHaveLength(2);
  const withText = await send({
    query: manifest[hash],
    variables: { first: 1 },
    extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
  });
  expect(withText.body.data.agencies.nodes).toHaveLength(1);
});

test('anything else from the portal is refused before it runs', async () => {
  const plain = await send({ query: '{ agencies(first: 1) { nodes { code } } }' });
  expect([plain.status, plain.body.errors![0].extensions.code, plain.body.data]).toEqual([
    400,
    'PERSISTED_QUERY_NOT_ALLOWED',
    undefined,
  ]);
  const unknown = await send({
    extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } },
  });
  expect([unknown.status, unknown.body.errors![0].extensions.code]).toEqual([
    400,
    'PERSISTED_QUERY_NOT_FOUND',
  ]);
  const swapped = await send({
    query: '{ agencies(first: 100) { nodes { code name } } }',
    extensions: { persistedQuery: { version: 1, sha256Hash: hashOf('Agencies') } },
  });
  expect([swapped.status, swapped.body.errors![0].extensions.code]).toEqual([
    400,
    'PERSISTED_QUERY_NOT_ALLOWED',
  ]);
  // Trusted documents come by POST only.
  const search = new URLSearchParams({
    extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hashOf('Agencies') } }),
  });
  const get = await fetch(`${stack.url}?${search}`, { headers: { 'apollo-require-preflight': 'true' } });
  expect([get.status, ((await get.json()) as any).errors[0].extensions.code]).toEqual([
    400,
    'PERSISTED_QUERY_NOT_ALLOWED',
  ]);
  // An anonymous caller cannot leave the portal's manifest by naming another client.
  const renamed = await send({ query: '{ agencies(first: 1) { nodes { code } } }' }, { client: 'mobile' });
  expect(renamed.body.errors![0].extensions.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
  expect(JSON.stringify([plain, unknown, swapped].map((r) => r.body))).not.toMatch(/stack|127\.0\.0\.1/);
});

test('signed-in callers are held to the manifest only when they name the portal', async () => {
  const query = '{ agencies(first: 1) { nodes { code } } }';
  expect((await send({ query }, { as: ANALYST })).body.data.agencies.nodes).toHaveLength(1);
  const asPortal = await send({ query }, { as: ANALYST, client: 'portal' });
  expect(asPortal.body.errors![0].extensions.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
});
