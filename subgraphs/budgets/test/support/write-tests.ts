/**
 * Writes of the budgets subgraph (run inside the data suite, on its seeded database): adjustments and
 * execution entries, amounts beyond 2^53 exact end to end, and bad input on every mutation — a clear
 * code naming the field, and nothing half-written.
 */
import { callers } from '../../../../kit/testing';
import type { TestSubgraph } from '../../../../kit/testing';
import { LAP_THACH, TWO_POW_53 } from './fixtures';

const LINE = `id fiscalYear initialEstimate adjustedEstimate currentEstimate executed currentEstimateMillions
  executedMillions executionRate entries { kind amount amountMillions date note }`;
const ADJUST = `mutation($i: RecordBudgetAdjustmentInput!) { recordBudgetAdjustment(input: $i) { ${LINE} } }`;
const EXECUTE = `mutation($i: RecordBudgetExecutionInput!) { recordBudgetExecution(input: $i) { ${LINE} } }`;

export function writeTests(harness: () => TestSubgraph): void {
  // Every line written here is Lập Thạch's: an official of Lập Thạch writes it.
  const official = callers.official(LAP_THACH);
  const gql = (q: string, v?: Record<string, unknown>, caller = official) => harness().gql(q, v, caller);

  test('recording needs an official of the agency of the line; budget lines are not public; the disclosure is', async () => {
    const line = await lineOf(2024, '6551');
    const before = await snapshot(line.id);
    const refusals: [Parameters<TestSubgraph['gql']>[2], string][] = [
      [callers.anonymous, 'UNAUTHENTICATED'],
      [callers.citizen('001085012345'), 'FORBIDDEN'],
      [callers.analyst, 'FORBIDDEN'],
      [callers.admin, 'FORBIDDEN'],
      [callers.official('000.00.94.H18'), 'FORBIDDEN'],
    ];
    for (const [caller, code] of refusals) {
      const r = await gql(EXECUTE, { i: { lineId: line.id, amount: '1000', date: '2024-06-03' } }, caller);
      expect(r.data).toBeNull();
      expect(r.errors![0]!.extensions).toMatchObject({ code, field: 'input.lineId' });
    }
    expect(await snapshot(line.id)).toEqual(before);
    const LINE_BY_ID = `query($id: ID!) { budgetLine(id: $id) { id } }`;
    expect((await gql(LINE_BY_ID, { id: line.id }, callers.anonymous)).errors![0]!.extensions!.code).toBe(
      'UNAUTHENTICATED',
    );
    expect(
      (await gql(LINE_BY_ID, { id: line.id }, callers.official('000.00.94.H18'))).errors![0]!.extensions!
        .code,
    ).toBe('FORBIDDEN');
    const partner = await gql(LINE_BY_ID, { id: line.id }, callers.partner(LAP_THACH, 'budgets:read'));
    expect(partner.data!.budgetLine).toEqual({ id: line.id });
    const lines = await gql(
      `{ budgetLines(first: 5) { nodes { id } } }`,
      {},
      callers.citizen('001085012345'),
    );
    // A citizen owns no budget line: an empty list; anonymous callers are asked to sign in.
    expect(lines.errors).toBeUndefined();
    expect(lines.data!.budgetLines.nodes).toEqual([]);
    const anonymous = await gql(`{ budgetLines(first: 5) { nodes { id } } }`, {}, callers.anonymous);
    expect(anonymous.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    const disclosure = await gql(
      `{ budgetDisclosure(agencyCode: "${LAP_THACH}", year: 2024) { fiscalYear } }`,
      {},
      callers.anonymous,
    );
    expect(disclosure.errors).toBeUndefined();
    expect(disclosure.data!.budgetDisclosure.fiscalYear).toBe(2024);
  });

  /** A line of Lập Thạch's own expenditure in a year, with its state in the database. */
  const lineOf = async (year: number, subsection: string) => {
    const r = await gql(
      `{ budgetLines(filter: { agencyCode: "${LAP_THACH}", fiscalYear: ${year}, section: "${Math.floor(Number(subsection) / 50) * 50}", direction: CHI }, first: 100) { nodes { ${LINE} subsectionCode } } }`,
    );
    expect(r.errors).toBeUndefined();
    return r.data!.budgetLines.nodes.find((l: { subsectionCode: string }) => l.subsectionCode === subsection);
  };
  const budget2024 = async () => {
    const r = await gql(`{ _entities(representations: [{ __typename: "Agency", code: "${LAP_THACH}" }]) {
      ... on Agency { budget(year: 2024) { expenditure { currentEstimate executed } } } } }`);
    expect(r.errors).toBeUndefined();
    return r.data!._entities[0].budget.expenditure as { currentEstimate: string; executed: string };
  };
  const snapshot = async (id: string) =>
    harness().db.query(
      `SELECT l.adjusted_estimate::text, l.executed::text, (SELECT count(*)::int FROM budget_entries e WHERE e.line_id = l.id) AS n
       FROM budget_lines l WHERE l.id = $1`,
      [id],
    );

  test('adjustment and execution: amounts change, the journal records them, millions and rate follow', async () => {
    const line = await lineOf(2024, '6551');
    const adjusted = await gql(ADJUST, {
      i: { lineId: line.id, amount: '-1500000', date: '2024-09-30', reason: 'Điều chỉnh giảm theo NQ HĐND' },
    });
    expect(adjusted.errors).toBeUndefined();
    const a = adjusted.data!.recordBudgetAdjustment;
    expect(a.currentEstimate).toBe(String(BigInt(line.currentEstimate) - 1_500_000n));
    expect(a.adjustedEstimate).toBe(a.currentEstimate);
    expect(a.entries.at(-1)).toEqual({
      kind: 'DIEU_CHINH',
      amount: '-1500000',
      amountMillions: -1.5,
      date: '2024-09-30',
      note: 'Điều chỉnh giảm theo NQ HĐND',
    });
    const executed = await gql(EXECUTE, { i: { lineId: line.id, amount: '2750000', date: '2025-01-20' } });
    expect(executed.errors).toBeUndefined();
    const e = executed.data!.recordBudgetExecution;
    expect(e.executed).toBe(String(BigInt(line.executed) + 2_750_000n));
    expect(e.executedMillions).toBeCloseTo(Number(e.executed) / 1e6, 3);
    expect(e.entries.at(-1)).toMatchObject({ kind: 'THUC_HIEN', amount: '2750000', note: null });
  });

  test('beyond 2^53: an estimate of 2^53 + 1 VND round-trips exactly, and the totals add it exactly', async () => {
    const line = await lineOf(2024, '9301');
    const before = await budget2024();
    const target = TWO_POW_53 + 1n;
    const delta = target - BigInt(line.currentEstimate);
    const r = await gql(ADJUST, {
      i: { lineId: line.id, amount: String(delta), date: '2024-12-20', reason: 'Bổ sung vốn đầu tư' },
    });
    expect(r.errors).toBeUndefined();
    expect(r.data!.recordBudgetAdjustment.currentEstimate).toBe('9007199254740993');
    expect(r.data!.recordBudgetAdjustment.currentEstimateMillions).toBe(9_007_199_254.741);
    const exec = await gql(EXECUTE, {
      i: { lineId: line.id, amount: '9007199254740993', date: '2024-12-31', note: 'Giải ngân' },
    });
    expect(exec.data!.recordBudgetExecution.executed).toBe(String(BigInt(line.executed) + target));
    const after = await budget2024();
    expect(after.currentEstimate).toBe(String(BigInt(before.currentEstimate) + delta));
    expect(after.executed).toBe(String(BigInt(before.executed) + target));
    expect(BigInt(after.currentEstimate)).toBeGreaterThan(TWO_POW_53);
    // A JSON number past 2^53 has already lost precision: refused, never rounded silently.
    const unsafe = await harness().app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...(await harness().gatewayHeaders()) },
      payload: `{"query":${JSON.stringify(EXECUTE)},"variables":{"i":{"lineId":"${line.id}","amount":9007199254740993,"date":"2024-12-31"}}}`,
    });
    expect(unsafe.json().errors[0]).toMatchObject({
      message:
        'input.amount: expected an integer amount of VND as a string of digits, e.g. "9007199254740993", got 9007199254740992',
      extensions: { code: 'BAD_USER_INPUT', field: 'input.amount' },
    });
    expect((await lineOf(2024, '9301')).executed).toBe(exec.data!.recordBudgetExecution.executed);
  });

  test('an integer literal in the query text keeps every digit, unlike a JSON number variable', async () => {
    const line = await lineOf(2023, '7001');
    const r =
      await gql(`mutation { recordBudgetExecution(input: { lineId: "${line.id}", amount: 9007199254740993,
      date: "2023-12-31" }) { executed } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data!.recordBudgetExecution.executed).toBe(String(BigInt(line.executed) + TWO_POW_53 + 1n));
  });

  test('bad input on every mutation: BAD_USER_INPUT naming the field or NOT_FOUND, and nothing written', async () => {
    const line = await lineOf(2023, '6001');
    const before = await snapshot(line.id);
    const cases: [string, Record<string, unknown>, string, string | undefined][] = [];
    for (const [m, base] of [
      [ADJUST, { lineId: line.id, amount: '1000000', date: '2023-06-01', reason: 'Bổ sung' }],
      [EXECUTE, { lineId: line.id, amount: '1000000', date: '2023-06-01' }],
    ] as const) {
      cases.push(
        [m, { ...base, lineId: 'abc' }, 'BAD_USER_INPUT', 'input.lineId'],
        [m, { ...base, lineId: '987654321' }, 'NOT_FOUND', undefined],
        [m, { ...base, amount: '0' }, 'BAD_USER_INPUT', 'input.amount'],
        [m, { ...base, amount: '-99999999999999999' }, 'BAD_USER_INPUT', 'input.amount'],
        [m, { ...base, amount: '9223372036854775807' }, 'BAD_USER_INPUT', 'input.amount'],
        [m, { ...base, date: '2024-02-01' }, 'BAD_USER_INPUT', 'input.date'],
        [m, { ...base, date: '2022-12-31' }, 'BAD_USER_INPUT', 'input.date'],
      );
    }
    cases.push([
      ADJUST,
      { lineId: line.id, amount: '1000', date: '2023-06-01', reason: '  ' },
      'BAD_USER_INPUT',
      'input.reason',
    ]);
    for (const [m, i, code, field] of cases) {
      const r = await gql(m, { i });
      expect(r.data ?? null).toBeNull();
      expect({ i, ...r.errors![0]!.extensions }).toMatchObject({ i, code, ...(field ? { field } : {}) });
    }
    // Malformed amounts are refused by the scalar before any resolver runs, naming the input field.
    for (const amount of ['12.5', '1e9', 'một triệu', ''])
      expect(
        (await gql(EXECUTE, { i: { lineId: line.id, amount, date: '2023-06-01' } })).errors![0],
      ).toMatchObject({
        message: `input.amount: expected an integer amount of VND as a string of digits, e.g. "9007199254740993", got ${JSON.stringify(amount)}`,
        extensions: { code: 'BAD_USER_INPUT', field: 'input.amount' },
      });
    expect(await snapshot(line.id)).toEqual(before);
  });
}
