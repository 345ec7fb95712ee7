/**
 * Authorization directives enforced by the gateway (features/authorization.ts), over two small
 * subgraphs whose SDL uses every directive kind: what each role gets, partial data with errors,
 * null propagation, fragments, aliases, variables, lists, a registered policy, the role → scope
 * table, a supergraph naming an unknown policy, and no subgraph fetch for a removed field.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import pino from 'pino';
import { composeSupergraph } from '../../schema/compose';
import { loadGatewayConfig } from '../config';
import { defaultFeatures } from '../features';
import { authorizationFeature } from '../features/authorization';
import { createGateway } from '../server';
import type { Gateway } from '../server';
import { startSubgraph } from './support/fixtures';
import type { RunningServer } from './support/fixtures';

const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9",
  import: ["@key", "@authenticated", "@requiresScopes", "@policy"])`;

const CATALOG_SDL = `${LINK}
type Query {
  notice: String!
  me: String @authenticated
  files: [File!]!
  file(id: ID!): File
  people: [Person!] @requiresScopes(scopes: [["documents:read"], ["people:read", "registry:read"]])
  stamp: Stamp
  items: [Item!]!
  entries: [Entry!]!
}
"An interface: Folder's label needs a token, File's does not."
interface Item { id: ID! label: String }
type Folder implements Item { id: ID! label: String @authenticated }
type Mutation { publish(title: String!): File! @policy(policies: [["official"]]) }
type File implements Item @key(fields: "id") {
  id: ID!
  label: String
  title: String!
  classified: String @authenticated
  "Non-null and admin-only: denied, its null propagates to the file."
  auditCode: String! @policy(policies: [["admin"]])
  "Only officials of an agency under H26 (a policy the test registers)."
  localNote: String @policy(policies: [["h26"]])
}
type Person @authenticated { name: String! }
"Needs a token as a type, and no field returns it: it is reached only through the union."
type Vault @authenticated { code: String }
union Entry = File | Vault
scalar Stamp @authenticated
`;

const NOTES_SDL = `${LINK}
type File @key(fields: "id") {
  id: ID!
  notes: [String!] @policy(policies: [["official"], ["admin"]])
}
type Query { noteCount: Int! }
`;

const FILES = [
  { id: 'f1', title: 'Kế hoạch', classified: 'mật', auditCode: 'A-1', localNote: 'H26 only' },
  { id: 'f2', title: 'Báo cáo', classified: 'mật 2', auditCode: 'A-2', localNote: 'H26 only' },
];

const catalogResolvers = {
  Query: {
    notice: () => 'Thông báo công khai',
    me: () => 'someone',
    files: () => FILES,
    file: (_: unknown, { id }: { id: string }) => FILES.find((f) => f.id === id) ?? null,
    people: () => [{ name: 'Nguyễn Văn An' }],
    stamp: () => '2025-01-01',
    items: () => [
      { kind: 'File', id: 'f1', label: 'tệp' },
      { kind: 'Folder', id: 'd1', label: 'thư mục' },
    ],
    entries: () => [
      { kind: 'File', ...FILES[0] },
      { kind: 'Vault', code: 'V-1' },
    ],
  },
  Item: { __resolveType: (item: { kind: string }) => item.kind },
  Entry: { __resolveType: (entry: { kind: string }) => entry.kind },
  Mutation: { publish: (_: unknown, { title }: { title: string }) => ({ ...FILES[0], title }) },
  File: { __resolveReference: (ref: { id: string }) => FILES.find((f) => f.id === ref.id) },
};
const notesResolvers = {
  Query: { noteCount: () => 1 },
  File: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, notes: [`note of ${ref.id}`] }) },
};

const idp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const logger = pino({ level: 'silent' });
const features = defaultFeatures.map((f) =>
  f.name === 'authorization'
    ? authorizationFeature({
        policies: { h26: (c) => c.role === 'official' && !!c.agencyCode?.endsWith('H26') },
      })
    : f,
);

let catalog: RunningServer;
let notes: RunningServer;
let supergraphFile: string;
let url: string;
const gateways: Gateway[] = [];

function writeSupergraph(catalogSdl = CATALOG_SDL): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'govgraph-authz-')), 'supergraph.graphql');
  writeFileSync(
    file,
    composeSupergraph([
      { name: 'catalog', url: catalog.url, typeDefs: catalogSdl },
      { name: 'notes', url: notes.url, typeDefs: NOTES_SDL },
    ]),
  );
  return file;
}

async function startGateway(env: Record<string, string> = {}, file = supergraphFile): Promise<string> {
  const config = loadGatewayConfig(
    {
      SUPERGRAPH_PATH: file,
      GATEWAY_PORT: '0',
      GATEWAY_JWT_PUBLIC_KEY: idp.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      ...env,
    },
    [],
    features,
  );
  const gateway = createGateway(config, { logger, features });
  gateways.push(gateway);
  return (await gateway.start()).url;
}

type Claims = Record<string, string>;
const CALLERS: Record<string, Claims | undefined> = {
  anonymous: undefined,
  citizen: { role: 'citizen', citizen_id: '001085012345' },
  official: { role: 'official', agency: '000.00.21.H26' },
  otherOfficial: { role: 'official', agency: '000.00.00.H18' },
  analyst: { role: 'analyst' },
  partner: { role: 'partner', agency: '000.00.21.H26', scope: 'people:read registry:read' },
  admin: { role: 'admin' },
};

async function token(claims: Claims): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject('u-1')
    .setIssuer('govgraph-dev')
    .setAudience('govgraph')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(idp.privateKey);
}

async function gql(
  query: string,
  as?: Claims,
  variables: Record<string, unknown> = {},
  at = url,
): Promise<{ status: number; body: { data?: any; errors?: any[] } }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (as) headers.authorization = `Bearer ${await token(as)}`;
  const res = await fetch(at, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: await res.json() };
}

const denied = (body: { errors?: any[] }) =>
  (body.errors ?? [])
    .filter((e) => e.extensions?.code === 'UNAUTHORIZED_FIELD_OR_TYPE')
    .map((e) => e.path.join('.'))
    .sort();

beforeAll(async () => {
  catalog = await startSubgraph(CATALOG_SDL, catalogResolvers);
  notes = await startSubgraph(NOTES_SDL, notesResolvers);
  supergraphFile = writeSupergraph();
  url = await startGateway();
});

afterAll(async () => {
  await Promise.all(gateways.map((g) => g.stop()));
  await catalog?.close();
  await notes?.close();
});

test('the composed supergraph links the security features for: SECURITY, and the gateway loads it', async () => {
  const { readFileSync } = await import('node:fs');
  expect(readFileSync(supergraphFile, 'utf8')).toMatch(
    /@link\(url: "https:\/\/specs\.apollo\.dev\/authenticated\/v0\.1", for: SECURITY\)/,
  );
  expect((await gql('{ notice }')).body).toEqual({ data: { notice: 'Thông báo công khai' } });
});

test('anonymous: public fields answer, @authenticated ones are null with an error at their path', async () => {
  const r = await gql('{ notice me stamp files { id classified } }');
  expect(r.status).toBe(200);
  expect(r.body.data).toEqual({
    notice: 'Thông báo công khai',
    me: null,
    stamp: null,
    files: [
      { id: 'f1', classified: null },
      { id: 'f2', classified: null },
    ],
  });
  // One error per removed field; list paths carry no indices.
  expect(denied(r.body)).toEqual(['files.classified', 'me', 'stamp']);
  expect(r.body.errors![0]).toEqual({
    message: expect.stringMatching(/^Unauthorized field or type: /),
    path: expect.any(Array),
    extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
  });
});

test('each role sees exactly what its directives allow', async () => {
  const query = `{ me stamp people { name } files { id classified localNote notes } }`;
  const expected: Record<string, string[]> = {
    anonymous: ['files.classified', 'files.localNote', 'files.notes', 'me', 'people', 'stamp'],
    citizen: ['files.localNote', 'files.notes', 'people'], // citizens imply dossiers:read only
    official: [],
    otherOfficial: ['files.localNote'],
    analyst: ['files.localNote', 'files.notes'],
    partner: ['files.localNote', 'files.notes'],
    admin: ['files.localNote'],
  };
  for (const [who, paths] of Object.entries(expected)) {
    const r = await gql(query, CALLERS[who]);
    expect([who, denied(r.body)]).toEqual([who, paths]);
    if (!paths.includes('people')) expect(r.body.data.people).toEqual([{ name: 'Nguyễn Văn An' }]);
    if (!paths.includes('files.notes')) expect(r.body.data.files[0].notes).toEqual(['note of f1']);
  }
});

test('@requiresScopes is an OR of ANDs over the token scopes and the scopes implied by role', async () => {
  const partner = (scope: string) => ({ role: 'partner', agency: '000.00.21.H26', scope });
  const people = [{ name: 'Nguyễn Văn An' }];
  // [["documents:read"], ["people:read", "registry:read"]]
  expect((await gql('{ people { name } }', partner('documents:read'))).body).toEqual({ data: { people } });
  expect((await gql('{ people { name } }', partner('registry:read people:read'))).body).toEqual({
    data: { people },
  });
  const half = await gql('{ people { name } }', partner('people:read'));
  expect(half.body.data).toEqual({ people: null });
  expect(denied(half.body)).toEqual(['people']);
  // An analyst's role implies documents:read (the default table).
  expect((await gql('{ people { name } }', CALLERS.analyst)).body).toEqual({ data: { people } });
});

test('a non-null field denied makes its nearest nullable parent null', async () => {
  const r = await gql('{ notice file(id: "f1") { id auditCode } }', CALLERS.official);
  expect(r.body.data).toEqual({ notice: 'Thông báo công khai', file: null });
  expect(denied(r.body)).toEqual(['file.auditCode']);
  // In a list of non-null items inside a non-null list, the propagation reaches `data`.
  const all = await gql('{ notice files { auditCode } }', CALLERS.official);
  expect(all.body.data).toBeNull();
  expect(denied(all.body)).toEqual(['files.auditCode']);
  const admin = await gql('{ file(id: "f1") { auditCode } }', CALLERS.admin);
  expect(admin.body).toEqual({ data: { file: { auditCode: 'A-1' } } });
});

test('fragments, inline fragments, aliases and variables: the denied fields are found wherever they are', async () => {
  const query = `query($id: ID!, $skip: Boolean!) {
    first: file(id: $id) { ...F  secret: classified }
    again: file(id: "f2") { ... on File { n: notes title } }
    hidden: me @skip(if: $skip)
  }
  fragment F on File { id title c: classified ... on File { notes } }`;
  const r = await gql(query, CALLERS.citizen, { id: 'f1', skip: true });
  expect(r.body.data).toEqual({
    first: { id: 'f1', title: 'Kế hoạch', c: 'mật', secret: 'mật', notes: null },
    again: { n: null, title: 'Báo cáo' },
  });
  expect(denied(r.body)).toEqual(['again.n', 'first.notes']);
  const anonymous = await gql(query, undefined, { id: 'f1', skip: false });
  expect(denied(anonymous.body)).toEqual(['again.n', 'first.c', 'first.notes', 'first.secret', 'hidden']);
  expect(anonymous.body.data.first).toEqual({
    id: 'f1',
    title: 'Kế hoạch',
    c: null,
    secret: null,
    notes: null,
  });
});

test('interfaces: asking through the interface needs what every implementation needs; per type otherwise', async () => {
  const through = await gql('{ items { id label } }');
  expect(through.body.data).toEqual({
    items: [
      { id: 'f1', label: null },
      { id: 'd1', label: null },
    ],
  });
  expect(denied(through.body)).toEqual(['items.label']);
  // Per type condition, only the Folder loses its label; the File keeps it (no placeholder shows).
  const perType = await gql('{ items { id ... on File { label } ... on Folder { folder: label } } }');
  expect(perType.body.data).toEqual({
    items: [
      { id: 'f1', label: 'tệp' },
      { id: 'd1', folder: null },
    ],
  });
  expect(denied(perType.body)).toEqual(['items.folder']);
  const signedIn = await gql('{ items { id label } }', CALLERS.citizen);
  expect(signedIn.body).toEqual({
    data: {
      items: [
        { id: 'f1', label: 'tệp' },
        { id: 'd1', label: 'thư mục' },
      ],
    },
  });
});

test('regression: a type-level directive holds for a type spread from a union, where no field returns it', async () => {
  const query = '{ entries { ... on File { id } ... on Vault { code } } }';
  const anonymous = await gql(query);
  expect(anonymous.body.data).toEqual({ entries: [{ id: 'f1' }, { code: null }] });
  expect(denied(anonymous.body)).toEqual(['entries.code']);
  const signedIn = await gql(query, CALLERS.citizen);
  expect(signedIn.body).toEqual({ data: { entries: [{ id: 'f1' }, { code: 'V-1' }] } });
});

test('a selection set left empty still answers, without the placeholder', async () => {
  const r = await gql('{ file(id: "f2") { classified } }');
  expect(r.body.data).toEqual({ file: { classified: null } });
  expect(JSON.stringify(r.body)).not.toContain('_authz');
});

test('no subgraph is asked for a removed field', async () => {
  const before = notes.requestIds.length;
  const r = await gql('{ file(id: "f1") { id title notes } }', CALLERS.citizen);
  expect(r.body.data).toEqual({ file: { id: 'f1', title: 'Kế hoạch', notes: null } });
  expect(notes.requestIds.length).toBe(before);
  const allowed = await gql('{ file(id: "f1") { id title notes } }', CALLERS.official);
  expect(allowed.body.data.file.notes).toEqual(['note of f1']);
  expect(notes.requestIds.length).toBe(before + 1);
});

test('a mutation without an official: null with an error, and nothing is executed', async () => {
  const before = catalog.requestIds.length;
  const r = await gql('mutation { publish(title: "x") { id } }');
  expect(r.status).toBe(200);
  expect(r.body.data).toBeNull();
  expect(denied(r.body)).toEqual(['publish']);
  for (const who of ['citizen', 'analyst', 'partner', 'admin']) {
    expect(denied((await gql('mutation { publish(title: "x") { id } }', CALLERS[who])).body)).toEqual([
      'publish',
    ]);
  }
  expect(catalog.requestIds.length).toBe(before);
  const ok = await gql('mutation { publish(title: "Quyết định") { title } }', CALLERS.official);
  expect(ok.body).toEqual({ data: { publish: { title: 'Quyết định' } } });
});

test('GATEWAY_ROLE_SCOPES replaces the role → scope table', async () => {
  const custom = await startGateway({ GATEWAY_ROLE_SCOPES: 'citizen=documents:read;official=' });
  expect((await gql('{ people { name } }', CALLERS.citizen, {}, custom)).body.data.people).toHaveLength(1);
  expect(denied((await gql('{ people { name } }', CALLERS.official, {}, custom)).body)).toEqual(['people']);
  expect(() => loadGatewayConfig({ GATEWAY_ROLE_SCOPES: 'mayor=people:read' }, [], features)).toThrow(
    /GATEWAY_ROLE_SCOPES.*"mayor" is not a role/,
  );
});

test('a supergraph naming a policy nobody registered stops start-up with a clear message', async () => {
  const file = writeSupergraph(CATALOG_SDL.replace('[["admin"]]', '[["treasurer"]]'));
  const config = loadGatewayConfig({ SUPERGRAPH_PATH: file, GATEWAY_PORT: '0' }, [], features);
  const gateway = createGateway(config, { logger, features });
  await expect(gateway.start()).rejects.toThrow(
    /SUPERGRAPH_PATH.*@policy names "treasurer", which no policy is registered for/,
  );
});
