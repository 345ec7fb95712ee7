/**
 * The authorization suites' stack: two small subgraphs (catalog, notes) whose SDL uses every
 * authorization directive kind, composed into a temp supergraph, and a gateway with the default
 * features plus a registered policy (`h26`). Callers are tokens of a test identity provider.
 * `useAuthorizationStack()` registers the suite's beforeAll/afterAll.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import pino from 'pino';
import { composeSupergraph } from '../../../schema/compose';
import { loadGatewayConfig } from '../../config';
import { defaultFeatures } from '../../features';
import { authorizationFeature } from '../../features/authorization';
import { createGateway } from '../../server';
import type { Gateway } from '../../server';
import { startSubgraph } from './fixtures';
import type { RunningServer } from './fixtures';

const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9",
  import: ["@key", "@authenticated", "@requiresScopes", "@policy"])`;

export const CATALOG_SDL = `${LINK}
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
export const logger = pino({ level: 'silent' });
export const features = defaultFeatures.map((f) =>
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

export function writeSupergraph(catalogSdl = CATALOG_SDL): string {
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

export async function startGateway(env: Record<string, string> = {}, file = supergraphFile): Promise<string> {
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

export type Claims = Record<string, string>;
export const CALLERS: Record<string, Claims | undefined> = {
  anonymous: undefined,
  citizen: { role: 'citizen', citizen_id: '001085012345' },
  official: { role: 'official', agency: '000.00.21.H26' },
  otherOfficial: { role: 'official', agency: '000.00.00.H18' },
  analyst: { role: 'analyst' },
  partner: { role: 'partner', agency: '000.00.21.H26', scope: 'people:read registry:read' },
  admin: { role: 'admin' },
};

export async function token(claims: Claims): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject('u-1')
    .setIssuer('govgraph-dev')
    .setAudience('govgraph')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(idp.privateKey);
}

export async function gql(
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

export const denied = (body: { errors?: any[] }) =>
  (body.errors ?? [])
    .filter((e) => e.extensions?.code === 'UNAUTHORIZED_FIELD_OR_TYPE')
    .map((e) => e.path.join('.'))
    .sort();

export function useAuthorizationStack() {
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
  return {
    get url() {
      return url;
    },
    get catalog() {
      return catalog;
    },
    get notes() {
      return notes;
    },
    get supergraphFile() {
      return supergraphFile;
    },
  };
}
