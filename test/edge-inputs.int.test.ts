/**
 * Issue 14, finding 10 — "Edge inputs give INTERNAL_SERVER_ERROR or are silently changed" — one test
 * per item of the finding, written from its description, through the gateway (both engines: this file
 * also runs in the integration-apollo project). Each attacker's request is refused with BAD_USER_INPUT
 * naming the argument's path and the real reason, and nothing is written.
 */
import { callers } from '../kit/testing';
import { ADMIN, startFederatedStack } from './support/subgraphs';
import type { FederatedStack } from './support/subgraphs';

const LAP_THACH = '000.00.46.H62';
const OFFICIAL = callers.official(LAP_THACH);

let stack: FederatedStack;

beforeAll(async () => {
  stack = await startFederatedStack({ scale: 0.02 });
}, 180_000);

afterAll(async () => stack?.close());

const count = async (subgraph: string, sql: string): Promise<number> =>
  (await stack.subgraphs.get(subgraph)!.db.query<{ n: number }>(sql))[0]!.n;

const RECEIVE = `mutation($i: ReceiveDossierInput!) { receiveDossier(input: $i) { code receivedAt } }`;
const receipt = (receivedAt: string) => ({
  agencyCode: LAP_THACH,
  procedureCode: '1.000656',
  channel: 'TRUC_TIEP',
  summary: 'Đăng ký khai sinh',
  applicant: { kind: 'CONG_DAN', name: 'Trần Thị Bích Ngọc', idNumber: '026190654321' },
  receivedAt,
});

test('receivedAt "2026-02-30T03:00Z" is refused as no calendar date, not stored as 2 March', async () => {
  const before = await count('dossiers', 'SELECT count(*)::int AS n FROM dossiers');
  const r = await stack.gql(RECEIVE, { i: receipt('2026-02-30T03:00Z') }, OFFICIAL);
  expect(r).toEqual({
    data: null,
    errors: [
      {
        message: 'input.receivedAt: "2026-02-30" is not a calendar date (February 2026 has 28 days)',
        extensions: { code: 'BAD_USER_INPUT', field: 'input.receivedAt', serviceName: 'dossiers' },
      },
    ],
  });
  // The same in the document register (it had the same DateTime scalar), and as a literal.
  const doc = await stack.gql(
    `mutation { registerIncomingDocument(input: { agencyCode: "${LAP_THACH}", issuerName: "Sở Nội vụ",
      numberSymbol: "12/SNV-VP", issuedDate: "2026-02-27", subject: "Về việc kiểm thử",
      receivedAt: "2026-02-30T03:00Z", electronic: true }) { id } }`,
    {},
    OFFICIAL,
  );
  expect(doc.errors).toEqual([
    expect.objectContaining({
      message: 'input.receivedAt: "2026-02-30" is not a calendar date (February 2026 has 28 days)',
      extensions: { code: 'BAD_USER_INPUT', field: 'input.receivedAt', serviceName: 'documents' },
    }),
  ]);
  expect(await count('dossiers', 'SELECT count(*)::int AS n FROM dossiers')).toBe(before);
  expect(
    await count('dossiers', `SELECT count(*)::int AS n FROM dossiers WHERE received_at::date = '2026-03-02'`),
  ).toBe(0);
  // A real instant is still accepted as it was written (Lập Thạch district existed until 1 July 2025).
  const ok = await stack.gql(RECEIVE, { i: receipt('2025-02-27T03:00Z') }, OFFICIAL);
  expect(ok.errors).toBeUndefined();
  expect(ok.data.receiveDossier.receivedAt).toBe('2025-02-27T03:00:00.000Z');
});

test('a filter from year 0000 is BAD_USER_INPUT naming the filter field, not PostgreSQL 22008', async () => {
  const docs = await stack.gql(
    `{ documents(filter: { issuedFrom: "0000-01-01" }) { nodes { id } } }`,
    {},
    ADMIN,
  );
  const dossiers = await stack.gql(
    `query($f: DossierFilter) { dossiers(filter: $f) { nodes { code } } }`,
    { f: { receivedFrom: '0000-01-01' } },
    ADMIN,
  );
  expect([docs.errors, dossiers.errors]).toEqual([
    [
      {
        message: 'filter.issuedFrom: year 0 is outside 1900–2100',
        extensions: { code: 'BAD_USER_INPUT', field: 'filter.issuedFrom', serviceName: 'documents' },
      },
    ],
    [
      {
        message: 'filter.receivedFrom: year 0 is outside 1900–2100',
        extensions: { code: 'BAD_USER_INPUT', field: 'filter.receivedFrom', serviceName: 'dossiers' },
      },
    ],
  ]);
});

const SCORECARD = `query($p: PeriodInput!) { agency(code: "${LAP_THACH}") {
  documentStats(period: $p) { electronic { value previous rank } }
  dossierStats(period: $p) { onTime { value previous rank } }
  mailStats(period: $p) { coverage { value previous } } } }`;

test('a 0001–9999 period is refused naming period.from and period.to, not a RangeError in kit/scorecard/kpi.ts', async () => {
  const r = await stack.gql(SCORECARD, { p: { from: '0001-01-01', to: '9999-12-31' } }, ADMIN);
  expect(r.data).toEqual({ agency: null });
  const seen = new Set(
    r.errors.map((e: any) => JSON.stringify([e.extensions.code, e.extensions.field, e.message])),
  );
  expect([...seen].sort()).toEqual([
    JSON.stringify(['BAD_USER_INPUT', 'period.from', 'period.from: year 1 is outside 1900–2100']),
    JSON.stringify(['BAD_USER_INPUT', 'period.to', 'period.to: year 9999 is outside 1900–2100']),
  ]);
  // The widest period allowed is answered, its previous period (1699–1899) included.
  const widest = await stack.gql(SCORECARD, { p: { from: '1900-01-01', to: '2100-12-31' } }, ADMIN);
  expect(widest.errors).toBeUndefined();
  expect(widest.data.agency.documentStats.electronic.previous).toBeNull();
  // from after to: the period is named.
  const reversed = await stack.gql(SCORECARD, { p: { from: '2024-12-31', to: '2024-01-01' } }, ADMIN);
  expect(reversed.errors[0]).toMatchObject({
    message: 'period: from (2024-12-31) is after to (2024-01-01)',
    extensions: { code: 'BAD_USER_INPUT', field: 'period' },
  });
});

test('a tampered cursor is BAD_USER_INPUT "after: is not a valid cursor", not PostgreSQL 22008', async () => {
  const cursor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
  const tampered: [string, unknown][] = [
    ['dossiers', ['2026-02-30T03:00:00.000Z', 1]],
    ['dossiers', ['0000-01-01T00:00:00.000Z', 1]],
    ['documents', [0, '0000-01-01', 1]],
    ['documents', [0, '2024-01-01', 1e21]],
  ];
  for (const [field, key] of tampered) {
    const r = await stack.gql(
      `query($a: String) { ${field}(after: $a) { pageInfo { endCursor } } }`,
      { a: cursor(key) },
      ADMIN,
    );
    expect({ key, errors: r.errors }).toEqual({
      key,
      errors: [
        expect.objectContaining({
          message: 'after: is not a valid cursor',
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' }),
        }),
      ],
    });
  }
});

test('scalar errors name the argument (not field=Date or field=Vnd) and give the real reason', async () => {
  const date = await stack.gql(
    `{ agency(code: "${LAP_THACH}") { dossierStats(period: { from: "2024-02-30", to: "2024-03-31" }) { received } } }`,
    {},
    ADMIN,
  );
  expect(date.errors).toEqual([
    {
      message: 'period.from: "2024-02-30" is not a calendar date (February 2024 has 29 days)',
      extensions: { code: 'BAD_USER_INPUT', field: 'period.from', serviceName: 'dossiers' },
    },
  ]);
  const line = await stack.gql(
    `{ budgetLines(filter: { agencyCode: "${LAP_THACH}" }, first: 1) { nodes { id } } }`,
    {},
    ADMIN,
  );
  const before = await count('budgets', `SELECT count(*)::int AS n FROM audit_log WHERE kind = 'mutation'`);
  const vnd = await stack.gql(
    `mutation($i: RecordBudgetExecutionInput!) { recordBudgetExecution(input: $i) { executed } }`,
    { i: { lineId: line.data.budgetLines.nodes[0].id, amount: '12.5', date: '2024-06-03' } },
    OFFICIAL,
  );
  expect(vnd.errors).toEqual([
    {
      message:
        'input.amount: expected an integer amount of VND as a string of digits, e.g. "9007199254740993", got "12.5"',
      extensions: { code: 'BAD_USER_INPUT', field: 'input.amount', serviceName: 'budgets' },
    },
  ]);
  expect(await count('budgets', `SELECT count(*)::int AS n FROM audit_log WHERE kind = 'mutation'`)).toBe(
    before,
  );
  // A built-in type the gateway refuses is named too: an Int past 32 bits in a variable.
  const big = await stack.gql(
    `query($n: Int) { documents(first: $n) { nodes { id } } }`,
    { n: 2 ** 31 },
    ADMIN,
  );
  expect(big.errors).toEqual([
    expect.objectContaining({
      message: 'first: Int cannot represent non 32-bit signed integer value: 2147483648',
      extensions: { code: 'BAD_USER_INPUT', field: 'first' },
    }),
  ]);
});
