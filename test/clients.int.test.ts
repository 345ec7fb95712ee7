/**
 * Stock clients against a gateway that holds the portal to its trusted documents
 * (GATEWAY_TRUSTED_DOCUMENTS=portal=clients/portal/manifest.json), configured as docs/clients.md shows:
 *
 * - Apollo Client 4 with the stock `PersistedQueryLink({ sha256 })` (no custom hash function): every
 *   portal operation runs by hash on the first try, and the InMemoryCache with the generated
 *   `typePolicies` (clients/kit/keys.ts) normalizes Agency, Procedure, Document and Dossier;
 * - graphql-request 7 sending the manifest's `documentId`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import type { TypedDocumentNode } from '@apollo/client';
import { addTypenameToDocument, print } from '@apollo/client/utilities';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { GraphQLClient } from 'graphql-request';
import { typePolicies } from '../clients/kit/keys';
import { canonicalText, CLIENTS_DIR, manifestOf, readClient } from '../scripts/trusted-documents';
import { ANALYST, startFederatedStack } from './support/subgraphs';
import type { FederatedStack } from './support/subgraphs';

jest.setTimeout(120_000);

const PORTAL = path.join(CLIENTS_DIR, 'portal');
/**
 * The operation's file as a client's `gql` document: with the shared fragments it spreads appended,
 * as an application appends an imported fragment (`gql\`… ${FRAGMENT}\``).
 */
function operation(name: string): TypedDocumentNode<any> {
  const source = readFileSync(path.join(PORTAL, `${name}.graphql`), 'utf8');
  const { sharedFragments } = readClient(PORTAL);
  const spread = [...source.matchAll(/\.\.\.\s*([A-Za-z_]\w*)/g)].map((m) => m[1]!);
  const files = [...new Set(spread.flatMap((f) => sharedFragments.get(f) ?? []))];
  return gql([source, ...files.map((f) => readFileSync(path.join(PORTAL, f), 'utf8'))].join('\n'));
}
const manifest = JSON.parse(readFileSync(path.join(PORTAL, 'manifest.json'), 'utf8')) as Record<
  string,
  string
>;
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

let stack: FederatedStack;
/** Every body the gateway was sent, in order (to show which requests carried the query text). */
const sent: Array<Record<string, any>> = [];

beforeAll(async () => {
  stack = await startFederatedStack({
    scale: 0.05,
    gatewayEnv: { GATEWAY_TRUSTED_DOCUMENTS: 'portal=clients/portal/manifest.json' },
  });
});
afterAll(async () => stack?.close());

const recordingFetch: typeof fetch = async (input, init) => {
  sent.push(JSON.parse(String(init?.body)));
  return fetch(input, init);
};

function portalClient(): ApolloClient {
  return new ApolloClient({
    cache: new InMemoryCache({ typePolicies }),
    link: new PersistedQueryLink({ sha256 }).concat(new HttpLink({ uri: stack.url, fetch: recordingFetch })),
  });
}

test('the manifest holds exactly what Apollo Client prints and hashes for each portal operation', () => {
  const files = [...readClient(PORTAL).documents.keys()];
  const apollo = files.map((f) => print(addTypenameToDocument(operation(f.replace('.graphql', '')))));
  expect(apollo).toEqual(Object.values(manifest));
  expect(apollo.map(sha256)).toEqual(Object.keys(manifest));
  expect(manifestOf(readClient(PORTAL))).toEqual(manifest);
  expect(canonicalText('query Q { agencies { nodes { code } } }')).toBe(
    'query Q {\n  agencies {\n    nodes {\n      code\n      __typename\n    }\n    __typename\n  }\n}',
  );
});

test('Apollo Client runs the portal operations by hash with the stock link, and normalizes the cache', async () => {
  const client = portalClient();
  sent.length = 0;
  const provinces = await client.query({
    query: operation('Agencies'),
    variables: { level: 'PROVINCE', first: 3 },
  });
  const procedures = await client.query({
    query: operation('Procedures'),
    variables: { filter: { agencyCode: '000.00.46.H62' }, first: 2 },
  });
  const code = procedures.data!.procedures.nodes[0].code as string;
  const procedure = await client.query({ query: operation('Procedure'), variables: { code } });
  const status = await client.query({
    query: operation('DossierStatus'),
    variables: { code: '000.00.46.H62-170103-0001' },
  });
  const search = await client.query({
    query: operation('SearchDocuments'),
    variables: { query: 'kế hoạch', first: 2 },
  });
  for (const r of [provinces, procedures, procedure, status, search]) expect(r.error).toBeUndefined();
  // Every request went by hash alone, on the first try: no retry with the text was needed.
  expect(
    sent.map((b) => [b.operationName, 'query' in b, b.extensions.persistedQuery.sha256Hash in manifest]),
  ).toEqual([
    ['Agencies', false, true],
    ['Procedures', false, true],
    ['Procedure', false, true],
    ['DossierStatus', false, true],
    ['SearchDocuments', false, true],
  ]);
  const cache = client.cache.extract() as Record<string, any>;
  const firstDocument = search.data!.searchDocuments.nodes[0];
  expect(cache[`Procedure:{"code":"${code}"}`]).toMatchObject({ __typename: 'Procedure', code });
  expect(cache['Agency:{"code":"000.00.46.H62"}']).toMatchObject({
    code: '000.00.46.H62',
    name: 'Ủy ban nhân dân huyện Lập Thạch',
  });
  expect(cache[`Document:{"id":"${firstDocument.id}"}`]).toMatchObject({ id: firstDocument.id });
  // The dossier status's agency is the same cache entry as the procedure's agency.
  expect(status.data!.dossierStatus.agency).toEqual({
    __typename: 'Agency',
    code: '000.00.46.H62',
    name: 'Ủy ban nhân dân huyện Lập Thạch',
  });

  // A write to an Agency fragment shows in another query that selected that agency.
  client.cache.writeFragment({
    id: client.cache.identify({ __typename: 'Agency', code: '000.00.46.H62' }),
    fragment: gql`
      fragment Renamed on Agency {
        name
      }
    `,
    data: { name: 'UBND huyện Lập Thạch (renamed in the cache)' },
  });
  const again = client.cache.readQuery({
    query: operation('DossierStatus'),
    variables: { code: '000.00.46.H62-170103-0001' },
  }) as any;
  expect(again.dossierStatus.agency.name).toBe('UBND huyện Lập Thạch (renamed in the cache)');
  const procedureAgain = client.cache.readQuery({
    query: operation('Procedure'),
    variables: { code },
  }) as any;
  expect(
    procedureAgain.procedure.agency.code === '000.00.46.H62'
      ? procedureAgain.procedure.agency.name
      : 'other agency',
  ).toBe('UBND huyện Lập Thạch (renamed in the cache)');
});

test('Apollo Client normalizes Dossier by code (a signed-in client, not held to the manifest)', async () => {
  const token = await stack.token(ANALYST);
  const client = new ApolloClient({
    cache: new InMemoryCache({ typePolicies }),
    link: new HttpLink({ uri: stack.url, headers: { authorization: `Bearer ${token}` } }),
  });
  const r = await client.query({
    query: gql`
      query OneDossier($code: ID!) {
        dossier(code: $code) {
          code
          agency {
            code
            name
          }
        }
      }
    `,
    variables: { code: '000.00.46.H62-170103-0001' },
  });
  expect(r.error).toBeUndefined();
  const cache = client.cache.extract() as Record<string, any>;
  expect(cache['Dossier:{"code":"000.00.46.H62-170103-0001"}']).toEqual({
    __typename: 'Dossier',
    code: '000.00.46.H62-170103-0001',
    agency: { __ref: 'Agency:{"code":"000.00.46.H62"}' },
  });
});

test('graphql-request sends a portal operation by its documentId from the manifest', async () => {
  const hash = Object.keys(manifest).find((h) => manifest[h]!.startsWith('query Agencies('))!;
  const hashOf = (text: string): string => Object.keys(manifest).find((h) => manifest[h] === text)!;
  // As docs/clients.md shows it: the manifest's hash instead of the text.
  const client = new GraphQLClient(stack.url, {
    requestMiddleware: (request) => {
      const body = JSON.parse(String(request.body)) as Record<string, unknown>;
      const documentId = `sha256:${hashOf(String(body.query))}`;
      delete body.query;
      return { ...request, body: JSON.stringify({ ...body, documentId }) };
    },
  });
  const data = await client.request<{ agencies: { nodes: Array<{ code: string; level: string }> } }>(
    manifest[hash]!,
    { level: 'PROVINCE', first: 2 },
  );
  expect(data.agencies.nodes.map((n) => n.level)).toEqual(['PROVINCE', 'PROVINCE']);
  // Without the hash, graphql-request's plain request is refused with a code that says why.
  const plain = new GraphQLClient(stack.url);
  await expect(plain.request(manifest[hash]!, { first: 1 })).rejects.toMatchObject({
    response: {
      status: 400,
      errors: [
        expect.objectContaining({
          extensions: expect.objectContaining({ code: 'PERSISTED_QUERY_NOT_ALLOWED' }),
        }),
      ],
    },
  });
});
