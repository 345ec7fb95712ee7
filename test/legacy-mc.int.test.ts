/**
 * The legacy-mc connector end to end: the stand-in vendor system on real HTTP, the documents, dossiers
 * and legacy-mc subgraphs on their own ports, the gateway in front. What a client sees: the vendor's
 * fields beside the native ones in one query, one batched call for 100 dossiers, the API key sent,
 * masking and row rules applied, and each way the vendor system fails as a stable code with the rest of
 * the answer intact.
 */
import { ADMIN, ANALYST, official, startFederatedStack } from './support/subgraphs';
import type { FederatedStack } from './support/subgraphs';
import { loadRegistry } from '../schema/registry';
import { paymentOf } from '../subgraphs/legacy-mc/standin/data';
import { startStandIn } from '../subgraphs/legacy-mc/standin/server';
import type { StandIn } from '../subgraphs/legacy-mc/standin/server';

const API_KEY = 'test-key-7f3a';
let standIn: StandIn;
let stack: FederatedStack;
const saved = { url: process.env.MOTCUA_URL, key: process.env.MOTCUA_API_KEY };

beforeAll(async () => {
  standIn = await startStandIn({ apiKey: API_KEY });
  process.env.MOTCUA_URL = standIn.url;
  process.env.MOTCUA_API_KEY = API_KEY;
  const registry = loadRegistry().filter((e) => ['documents', 'dossiers', 'legacy-mc'].includes(e.name));
  stack = await startFederatedStack({ registry, scale: 0.05 });
}, 180_000);

afterAll(async () => {
  await stack?.close();
  await standIn?.close();
  process.env.MOTCUA_URL = saved.url;
  process.env.MOTCUA_API_KEY = saved.key;
});

beforeEach(() => {
  standIn.fault = null;
  standIn.calls.length = 0;
  standIn.keys.length = 0;
});

const DOSSIERS = `query Payments($first: Int!) {
  dossiers(first: $first) { nodes { code status agency { code name } legacyPayment { dossierCode fee status payerName payerPhone } } }
}`;

test('the vendor fields come beside the native ones in one query; 100 dossiers cost one call to the vendor system', async () => {
  const r = await stack.gql(DOSSIERS, { first: 100 }, ADMIN);
  expect(r.errors).toBeUndefined();
  const nodes = r.data.dossiers.nodes as any[];
  expect(nodes).toHaveLength(100);
  for (const n of nodes) {
    const p = paymentOf(n.code)!;
    expect(n.legacyPayment).toEqual({
      dossierCode: n.code,
      fee: p.lePhi,
      status: p.trangThaiThanhToan,
      payerName: p.nguoiNop.hoTen,
      payerPhone: p.nguoiNop.soDienThoai,
    });
    expect(typeof n.agency.name).toBe('string');
  }
  // One batched GET with the 100 codes: no N+1.
  expect(standIn.calls).toHaveLength(1);
  expect(standIn.calls[0]).toMatch(/^\/api\/v1\/hoso\?dsMaHoSo=/);
  expect(decodeURIComponent(standIn.calls[0]!.split('=')[1]!).split(',').sort()).toEqual(
    nodes.map((n) => n.code).sort(),
  );
  expect(standIn.keys).toEqual([API_KEY]);
});

test('the payer is masked for an analyst, shown to an official of the dossier agency', async () => {
  const first = (await stack.gql(DOSSIERS, { first: 1 }, ADMIN)).data.dossiers.nodes[0];
  const p = paymentOf(first.code)!;
  const one = `query One($code: ID!) { dossier(code: $code) { code legacyPayment { agencyCode fee payerName payerPhone } } }`;
  const asAnalyst = await stack.gql(one, { code: first.code }, ANALYST);
  expect(asAnalyst.errors).toBeUndefined();
  expect(asAnalyst.data.dossier.legacyPayment).toEqual({
    agencyCode: p.maDonVi,
    fee: p.lePhi,
    payerName: p.nguoiNop.hoTen
      .split(' ')
      .map((w) => `${w[0]}${'*'.repeat(w.length - 1)}`)
      .join(' '),
    payerPhone: `*********${p.nguoiNop.soDienThoai.slice(-3)}`,
  });
  const asOfficial = await stack.gql(one, { code: first.code }, official(p.maDonVi));
  expect(asOfficial.errors).toBeUndefined();
  expect(asOfficial.data.dossier.legacyPayment.payerPhone).toBe(p.nguoiNop.soDienThoai);
  // The unmasked disclosure is in legacy-mc's own audit log, as for a native subgraph.
  const log = await stack.gql(
    `query Log($id: String!, $who: String!) { legacyMcAuditLog(filter: { kind: READ, recordId: $id, subject: $who }) { nodes { subject type fields recordIds } } }`,
    { id: first.code, who: `official@${p.maDonVi}` },
    ADMIN,
  );
  expect(log.errors).toBeUndefined();
  expect(log.data.legacyMcAuditLog.nodes).toEqual([
    {
      subject: `official@${p.maDonVi}`,
      type: 'LegacyPayment',
      fields: ['payerName', 'payerPhone'],
      recordIds: [first.code],
    },
  ]);
});

test('row rules: an official of another agency gets no payment record; the receipts need a sign-in', async () => {
  const first = (await stack.gql(DOSSIERS, { first: 1 }, ADMIN)).data.dossiers.nodes[0];
  const other = first.agency.code === '000.00.21.H26' ? '000.00.00.H18' : '000.00.21.H26';
  const r = await stack.gql(
    `query One($code: ID!) { dossier(code: $code) { code legacyPayment { fee } } }`,
    { code: first.code },
    { ...official(other), scope: 'dossiers:read' },
  );
  // The dossiers subgraph's own row rule refuses the dossier first, or the connector's refuses the payment.
  expect(r.data?.dossier?.legacyPayment ?? null).toBeNull();
  expect(r.errors.map((e: any) => e.extensions.code)).toContain('FORBIDDEN');
  const anonymous = await stack.gql(
    `{ agency(code: "000.00.21.H26") { code legacyReceipts { totalCount } } }`,
  );
  expect(anonymous.errors[0].extensions.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
  expect(anonymous.data.agency).toEqual({ code: '000.00.21.H26', legacyReceipts: null });
});

const AGENCY = `query Desk($code: ID!, $after: String) {
  agency(code: $code) { code name legacyDesk { system counters } legacyReceipts(first: 30, after: $after) {
    totalCount nodes { number dossierCode amount } pageInfo { hasNextPage endCursor } } }
}`;

test("the vendor's page-number paging becomes cursor paging: 30 by 30 over pages of 50", async () => {
  const code = '000.00.21.H26';
  const total = 83; // receiptCount(code), fixed by the stand-in's data
  const seen: string[] = [];
  let after: string | null = null;
  for (;;) {
    const r = await stack.gql(AGENCY, { code, after }, ANALYST);
    expect(r.errors).toBeUndefined();
    const a = r.data.agency;
    expect(a.legacyDesk).toEqual({ system: 'MotCua 3.2', counters: expect.any(Number) });
    expect(a.legacyReceipts.totalCount).toBe(total);
    seen.push(...a.legacyReceipts.nodes.map((n: { number: string }) => n.number));
    if (!a.legacyReceipts.pageInfo.hasNextPage) break;
    after = a.legacyReceipts.pageInfo.endCursor;
  }
  expect(seen).toEqual(
    Array.from({ length: total }, (_, i) => `BL-${code}-${String(i + 1).padStart(4, '0')}`),
  );
  // Receipts 1–30 (page 1), 31–60 (pages 1 and 2), 61–83 (page 2), plus one desk call per query.
  expect(standIn.calls.filter((c) => c.includes('/bienlai')).map((c) => c.replace(/^.*\?/, ''))).toEqual([
    'trang=1&soBanGhi=50',
    'trang=1&soBanGhi=50',
    'trang=2&soBanGhi=50',
    'trang=2&soBanGhi=50',
  ]);
});

describe('the vendor system failing: stable codes, the native fields still there', () => {
  const query = `{ dossiers(first: 3) { nodes { code status legacyPayment { fee } } } }`;
  const expectLost = (r: any, code: string) => {
    expect(r.data.dossiers.nodes).toHaveLength(3);
    for (const n of r.data.dossiers.nodes) {
      expect(n.code).toMatch(/^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}$/);
      expect(n.legacyPayment).toBeNull();
    }
    // One error per lost field (or one for the batch), each with the code and the legacy path.
    expect(r.errors.length).toBeGreaterThanOrEqual(1);
    for (const e of r.errors) expect(e.extensions.code).toBe(code);
    expect(r.errors[0].message).toContain('"motcua"');
  };

  test('500 is BAD_GATEWAY', async () => {
    standIn.fault = { kind: '500' };
    expectLost(await stack.gql(query, {}, ADMIN), 'BAD_GATEWAY');
  });

  test('a body that is not JSON is BAD_GATEWAY', async () => {
    standIn.fault = { kind: 'malformed' };
    expectLost(await stack.gql(query, {}, ADMIN), 'BAD_GATEWAY');
  });

  test('slower than the source timeout (1500 ms) is UPSTREAM_TIMEOUT', async () => {
    standIn.fault = { kind: 'slow', ms: 2500 };
    const started = Date.now();
    const r = await stack.gql(query, {}, ADMIN);
    expectLost(r, 'UPSTREAM_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2500);
  });

  test('a wrong API key (the system refuses us) is BAD_GATEWAY', async () => {
    process.env.MOTCUA_API_KEY = 'wrong';
    try {
      expectLost(await stack.gql(query, {}, ADMIN), 'BAD_GATEWAY');
      expect(standIn.keys).toEqual(['wrong']);
    } finally {
      process.env.MOTCUA_API_KEY = API_KEY;
    }
  });

  test('down (connection refused) is SERVICE_UNAVAILABLE', async () => {
    const url = process.env.MOTCUA_URL;
    process.env.MOTCUA_URL = 'http://127.0.0.1:9'; // nothing listens on the discard port
    try {
      expectLost(await stack.gql(query, {}, ADMIN), 'SERVICE_UNAVAILABLE');
    } finally {
      process.env.MOTCUA_URL = url;
    }
  });
});
