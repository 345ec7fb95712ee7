/**
 * The audit log through the gateway, every registered subgraph behind it: a mutation by an official
 * shows up in the owning subgraph's log, queried by an admin, with who, role, agency and the request
 * id the client saw (the gateway's own, never the client's `x-request-id`); every subgraph answers its own `<name>AuditChain`; anyone but an admin is refused
 * by the gateway (`@policy` admin: UNAUTHORIZED_FIELD_OR_TYPE) and gets no entries.
 */
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { LAND_CHANGE_PROCEDURES } from '../kit';
import { auditFieldNames } from '../kit/runtime/auditlog';
import { makeLandDossier } from '../subgraphs/land/test/support/dossiers';
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

async function post(
  query: string,
  jwt: string | null,
  requestId?: string,
  variables?: Record<string, unknown>,
) {
  const res = await fetch(stack.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(jwt ? { authorization: `Bearer ${jwt}` } : {}),
      ...(requestId ? { 'x-request-id': requestId } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { requestId: res.headers.get('x-request-id'), body: (await res.json()) as any };
}

test('a mutation, then the admin query shows it with who, role, agency and request id', async () => {
  const mutation = await post(
    `mutation { issueOutgoingDocument(input: { agencyCode: "${AGENCY}", typeCode: "TB",
       subject: "Thông báo lịch tiếp công dân", issuedDate: "2024-02-01", signer: { officialId: "${AGENCY}/1" },
       electronic: true }) { id numberSymbol } }`,
    await as.official(),
    'audit-test-request-1',
  );
  // Finding 8: the client's x-request-id is not the request id; the gateway's own is, in the audit log too.
  expect(mutation.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  const doc = mutation.body.data.issueOutgoingDocument;
  const log = await post(
    `{ documentsAuditLog(filter: { kind: MUTATION, recordId: "${doc.id}" }) {
         nodes { requestId subject role agencyCode kind operation type fields recordIds at hash } } }`,
    await as.admin(),
  );
  expect(log.body.errors).toBeUndefined();
  expect(log.body.data.documentsAuditLog.nodes).toEqual([
    {
      requestId: mutation.requestId,
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
        'input.signer.officialId',
        'input.subject',
        'input.typeCode',
      ],
      recordIds: [doc.id],
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    },
  ]);
});

test('finding 8: a client-chosen x-request-id never becomes the audit entry’s request id', async () => {
  const official = await as.official();
  const send = (requestId: string) =>
    post(
      `mutation { issueOutgoingDocument(input: { agencyCode: "${AGENCY}", typeCode: "TB",
         subject: "Thông báo họp", issuedDate: "2024-02-02", signer: { officialId: "${AGENCY}/1" },
         electronic: true }) { id } }`,
      official,
      requestId,
    );
  const first = await send('client-chosen-1');
  // The attacker replays the first request's id (as if to pin their write on it) and a forged one.
  const second = await send(first.requestId!);
  const third = await send('00000000-0000-4000-8000-000000000000');
  const admin = await as.admin();
  const entry = async (r: { body: any }) => {
    const id = r.body.data.issueOutgoingDocument.id;
    const log = await post(
      `{ documentsAuditLog(filter: { kind: MUTATION, recordId: "${id}" }) { nodes { requestId } } }`,
      admin,
    );
    return log.body.data.documentsAuditLog.nodes.map((n: { requestId: string }) => n.requestId);
  };
  expect(await entry(first)).toEqual([first.requestId]);
  expect(await entry(second)).toEqual([second.requestId]);
  expect(await entry(third)).toEqual([third.requestId]);
  const ids = [first.requestId, second.requestId, third.requestId];
  expect(new Set(ids).size).toBe(3);
  expect(ids).not.toContain('client-chosen-1');
  expect(ids).not.toContain('00000000-0000-4000-8000-000000000000');
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

test('a land change is recorded in the land log with the values it wrote, personal data masked, and the certificates it cancelled', async () => {
  const BTL = '000.00.21.H26';
  const date = '2025-06-16';
  // A parcel of Bắc Từ Liêm whose current certificate and last change are older than the change.
  const [parcel] = await stack.subgraphs
    .get('land')!
    .db.query<{ id: string; serial: string; certificate: string }>(
      `SELECT p.id, c.issue_serial AS serial, c.id::text AS certificate FROM land_parcels p
     JOIN land_certificates c ON c.parcel_id = p.id AND c.cancelled_on IS NULL AND c.issue_date <= $1::date
     WHERE p.retired_on IS NULL AND p.original_commune_code = '00598'
       AND NOT EXISTS (SELECT 1 FROM land_change_parcels cp JOIN land_changes ch ON ch.id = cp.change_id
                       WHERE cp.parcel_id = p.id AND ch.change_date > $1::date)
     ORDER BY p.id LIMIT 1`,
      [date],
    );
  const official = await as.official(); // of Hà Nội, above Bắc Từ Liêm
  const procedures = await post(
    `{ agency(code: "${BTL}") { procedures(filter: { fieldCode: "G16-DD01" }, first: 50) { nodes { code name } } } }`,
    official,
  );
  const procedureCode = procedures.body.data.agency.procedures.nodes.find(
    (p: { name: string }) => p.name === LAND_CHANGE_PROCEDURES.TRANSFER,
  ).code;
  const dossierCode = await makeLandDossier(async (q, v) => (await post(q, official, undefined, v)).body, {
    agency: BTL,
    procedureCode,
    parcelId: parcel!.id,
    received: '2025-06-02',
    resolved: '2025-06-09',
    returned: '2025-06-10',
  });
  const change = await post(
    `mutation($input: RegisterLandChangeInput!) { registerLandChange(input: $input) {
       id cancelledCertificates { id issueSerial } issuedCertificates { id issueSerial } } }`,
    official,
    undefined,
    {
      input: {
        dossierCode,
        kind: 'TRANSFER',
        date,
        parcelIds: [parcel!.id],
        newHolders: [
          {
            fullName: 'Nguyễn Văn A',
            birthYear: 1985,
            idNumber: '001085012345',
            address: 'Số 5, Tổ dân phố 3, Phường Thượng Cát, Thành phố Hà Nội',
          },
        ],
      },
    },
  );
  expect(change.body.errors).toBeUndefined();
  const done = change.body.data.registerLandChange;
  // The response cites the victim's certificate as well as the new one.
  expect(done.cancelledCertificates).toEqual([{ id: parcel!.certificate, issueSerial: parcel!.serial }]);
  expect(done.issuedCertificates).toEqual([
    { id: expect.any(String), issueSerial: expect.stringMatching(/^DA \d{6}$/) },
  ]);
  const issued = done.issuedCertificates[0];
  const log = await post(
    `{ landAuditLog(filter: { operation: "registerLandChange" }) { nodes { type recordIds fields written } } }`,
    await as.admin(),
  );
  const [entry] = log.body.data.landAuditLog.nodes;
  expect({ ...entry, written: JSON.parse(entry.written) }).toEqual({
    type: 'LandChange',
    recordIds: [done.id, `LandCertificate ${parcel!.certificate}`, `LandCertificate ${issued.id}`],
    fields: [
      'input.date',
      'input.dossierCode',
      'input.kind',
      'input.newHolders[].address',
      'input.newHolders[].birthYear',
      'input.newHolders[].fullName',
      'input.newHolders[].holderType',
      'input.newHolders[].idNumber',
      'input.parcelIds',
    ],
    written: {
      arguments: {
        input: {
          dossierCode,
          kind: 'TRANSFER',
          date,
          parcelIds: [parcel!.id],
          newHolders: [
            {
              holderType: 'CNV',
              fullName: 'N*** V** A',
              birthYear: '19**',
              idNumber: '*********345',
              address: '***, Phường Thượng Cát, Thành phố Hà Nội',
            },
          ],
        },
      },
      actingAgency: BTL,
      cancelledCertificates: [`${parcel!.id} ${parcel!.serial}`],
      issuedCertificates: [`${parcel!.id} ${issued.issueSerial}`],
    },
  });
  expect(entry.written).not.toMatch(/Nguyễn|001085012345|Số 5/); // personal data never in the log
});

test('every subgraph has its own audit log and chain, verified through the gateway', async () => {
  const fields = loadRegistry().map((e) => auditFieldNames(e.name).chain);
  expect(fields).toHaveLength(8); // the five systems, the ICT inventory (subgraphs/ict), the legacy one-stop-shop connector (subgraphs/legacy-mc) and partners' webhooks (subgraphs/webhooks)
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
