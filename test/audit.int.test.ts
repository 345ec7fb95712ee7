/**
 * The audit log through the gateway, every registered subgraph behind it: a mutation by an official
 * shows up in the owning subgraph's log, queried by an admin, with who, role, agency and the request
 * id the client saw; every subgraph answers its own `<name>AuditChain`; anyone but an admin is refused
 * by the gateway (`@policy` admin: UNAUTHORIZED_FIELD_OR_TYPE) and gets no entries.
 */
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { auditFieldNames } from '../kit/auditlog';
import { loadRegistry } from '../schema/registry';
import { startTestSubgraph } from '../kit/testing';
import { loadSubgraphModule, startFederatedStack } from './support/subgraphs';
import type { FederatedStack } from './support/subgraphs';

jest.setTimeout(120_000);

const idp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const AGENCY = '000.00.00.H26';
const LAP_THACH = '000.00.46.H62';
let stack: FederatedStack;

beforeAll(async () => {
  stack = await startFederatedStack({
    scale: 0.02,
    gatewayEnv: {
      GATEWAY_JWT_PUBLIC_KEY: idp.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      GATEWAY_JWT_ISSUER: 'https://idp.test',
    },
  });
});

afterAll(async () => {
  await stack?.close();
});

const token = (sub: string, claims: Record<string, unknown>): Promise<string> =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject(sub)
    .setIssuer('https://idp.test')
    .setAudience('govgraph')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(idp.privateKey);

const as = {
  admin: () => token('admin-7', { role: 'admin' }),
  official: () => token('can-bo-12', { role: 'official', agency: AGENCY }),
  analyst: () => token('analyst-3', { role: 'analyst' }),
  citizen: () => token('citizen-1', { role: 'citizen', citizen_id: '001085012345' }),
};

async function post(query: string, jwt: string | null, requestId?: string) {
  const res = await fetch(stack.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(jwt ? { authorization: `Bearer ${jwt}` } : {}),
      ...(requestId ? { 'x-request-id': requestId } : {}),
    },
    body: JSON.stringify({ query }),
  });
  return { requestId: res.headers.get('x-request-id'), body: (await res.json()) as any };
}

test('a mutation, then the admin query shows it with who, role, agency and request id', async () => {
  const mutation = await post(
    `mutation { issueOutgoingDocument(input: { agencyCode: "${AGENCY}", typeCode: "TB",
       subject: "Thông báo lịch tiếp công dân", issuedDate: "2033-02-01", signer: { fullName: "Trần Văn An" },
       electronic: true }) { id numberSymbol } }`,
    await as.official(),
    'audit-test-request-1',
  );
  expect(mutation.requestId).toBe('audit-test-request-1');
  const doc = mutation.body.data.issueOutgoingDocument;
  const log = await post(
    `{ documentsAuditLog(filter: { kind: MUTATION, recordId: "${doc.id}" }) {
         nodes { requestId subject role agencyCode kind operation type fields recordIds at hash } } }`,
    await as.admin(),
  );
  expect(log.body.errors).toBeUndefined();
  expect(log.body.data.documentsAuditLog.nodes).toEqual([
    {
      requestId: 'audit-test-request-1',
      subject: 'can-bo-12',
      role: 'official',
      agencyCode: AGENCY,
      kind: 'MUTATION',
      operation: 'issueOutgoingDocument',
      type: 'Document',
      // What the mutation received: the fields given, and those the schema gave a default.
      fields: [
        'input.agencyCode',
        'input.digitallySigned',
        'input.electronic',
        'input.issuedDate',
        'input.legalNormative',
        'input.recipientCodes',
        'input.recipientNames',
        'input.signer.fullName',
        'input.subject',
        'input.typeCode',
      ],
      recordIds: [doc.id],
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    },
  ]);
});

test('mutations of other subgraphs are recorded in their own logs, with their own keys', async () => {
  // Officials of the agencies concerned (a mutation needs one, issue 7).
  const officialOf = (agency: string) => token('can-bo-12', { role: 'official', agency });
  const received = await post(
    `mutation { receiveDossier(input: { agencyCode: "${LAP_THACH}", procedureCode: "1.000656", channel: TRUC_TIEP,
       summary: "Đăng ký khai sinh", applicant: { kind: CONG_DAN, name: "Nguyễn Văn An", idNumber: "026090123456",
       address: "Thị trấn Lập Thạch" }, receivedAt: "2024-02-07T10:00:00+07:00" }) { code } }`,
    await officialOf(LAP_THACH),
  );
  const code = received.body.data.receiveDossier.code;
  const [line] = await stack.subgraphs.get('budgets')!.db.query<{
    id: string;
    year: number;
    agency: string;
  }>(`SELECT id::text, fiscal_year AS year, agency_code AS agency FROM budget_lines ORDER BY id LIMIT 1`);
  const executed = await post(
    `mutation { recordBudgetExecution(input: { lineId: "${line!.id}", amount: "1000", date: "${line!.year}-06-30" }) { id } }`,
    await officialOf(line!.agency),
  );
  expect(executed.body.errors).toBeUndefined();
  const admin = await as.admin();
  const logs = await post(
    `{ dossiersAuditLog(filter: { kind: MUTATION }, first: 1) { nodes { operation type recordIds fields subject } }
       budgetsAuditLog(filter: { kind: MUTATION }, first: 1) { nodes { operation type recordIds fields subject } } }`,
    admin,
  );
  expect(logs.body.data.dossiersAuditLog.nodes).toEqual([
    {
      operation: 'receiveDossier',
      type: 'Dossier',
      recordIds: [code],
      fields: expect.arrayContaining(['input.applicant.idNumber', 'input.applicant.name', 'input.summary']),
      subject: 'can-bo-12',
    },
  ]);
  expect(JSON.stringify(logs.body)).not.toMatch(/Nguyễn|026090123456/); // field names, never values
  expect(logs.body.data.budgetsAuditLog.nodes).toEqual([
    {
      operation: 'recordBudgetExecution',
      type: 'BudgetLine',
      recordIds: [line!.id],
      fields: ['input.amount', 'input.date', 'input.lineId'],
      subject: 'can-bo-12',
    },
  ]);
});

test('a land change is recorded in the land log, keyed by the change id (LandChange has no @key)', async () => {
  const [parcel] = await stack.subgraphs
    .get('land')!
    .db.query<{ id: string }>(`SELECT id FROM land_parcels WHERE retired_on IS NULL ORDER BY id LIMIT 1`);
  const change = await post(
    `mutation { registerLandChange(input: { dossierCode: "000.00.21.H26-170315-0007", kind: CHANGE_OF_USE,
       date: "2026-03-02", parcelIds: ["${parcel!.id}"], landUseCode: "ODT" }) { id } }`,
    await as.official(),
  );
  expect(change.body.errors).toBeUndefined();
  const log = await post(
    `{ landAuditLog(filter: { operation: "registerLandChange" }) { nodes { type recordIds fields } } }`,
    await as.admin(),
  );
  expect(log.body.data.landAuditLog.nodes).toEqual([
    {
      type: 'LandChange',
      recordIds: [change.body.data.registerLandChange.id],
      fields: expect.arrayContaining([
        'input.dossierCode',
        'input.kind',
        'input.landUseCode',
        'input.parcelIds',
      ]),
    },
  ]);
});

test('every subgraph has its own audit log and chain, verified through the gateway', async () => {
  const fields = loadRegistry().map((e) => auditFieldNames(e.name).chain);
  expect(fields).toHaveLength(6); // the five systems and the ICT inventory (subgraphs/ict)
  const res = await post(
    `{ ${fields.map((f) => `${f} { ok entries firstBrokenSeq }`).join(' ')} }`,
    await as.admin(),
  );
  expect(res.body.errors).toBeUndefined();
  for (const f of fields) expect(res.body.data[f]).toMatchObject({ ok: true, firstBrokenSeq: null });
  expect(res.body.data.documentsAuditChain.entries).toBeGreaterThanOrEqual(1);
});

test.each([
  ['an official', as.official],
  ['an analyst', as.analyst],
  ['a citizen', as.citizen],
  ['the anonymous portal', null],
])('%s is refused by the gateway and gets no entries', async (_, who) => {
  const res = await post(
    `{ documentsAuditLog { nodes { subject } } landAuditChain { ok } }`,
    who ? await who() : null,
  );
  expect(res.body.data).toBeNull();
  // Refused before any subgraph is asked (no serviceName): the fields are @policy(policies: [["admin"]]).
  expect(res.body.errors).toEqual([
    {
      message: 'Unauthorized field or type: Query.documentsAuditLog',
      path: ['documentsAuditLog'],
      extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
    },
    {
      message: 'Unauthorized field or type: Query.landAuditChain',
      path: ['landAuditChain'],
      extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
    },
  ]);
});

test('a subgraph added later gets the audit log without writing code (the permits fixture)', async () => {
  const saved = process.env.GOVGRAPH_REGISTRY;
  process.env.GOVGRAPH_REGISTRY = 'test/fixtures/registry.json';
  try {
    const entry = loadRegistry().find((e) => e.name === 'permits')!;
    const permits = loadSubgraphModule(entry);
    expect(permits.databaseModules.map((m) => m.namespace)).toEqual(['audit', 'catalogue', 'permits']);
    const sub = await startTestSubgraph(permits, { scale: 1 });
    try {
      const res = await sub.gql(
        `{ permitsAuditChain { ok entries } permitsAuditLog { nodes { seq } } }`,
        {},
        { subject: 'a', role: 'admin', agencyCode: null, citizenId: null, scopes: [] },
      );
      expect(res).toEqual({
        data: { permitsAuditChain: { ok: true, entries: 0 }, permitsAuditLog: { nodes: [] } },
      });
    } finally {
      await sub.close();
    }
  } finally {
    if (saved === undefined) delete process.env.GOVGRAPH_REGISTRY;
    else process.env.GOVGRAPH_REGISTRY = saved;
  }
});
