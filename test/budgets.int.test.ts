/**
 * The budgets subgraph through the gateway, next to documents: agency names from documents and budgets
 * from budgets in one query, a district with its wards in one batched fetch, the disclosure view,
 * amounts beyond 2^53 over HTTP, stable error codes, and the README's examples.
 */
import type { Caller } from '../kit';
import { callers } from '../kit/testing';
import { example } from '../schema/examples';
import { official, startFederatedStack } from './support/subgraphs';
import type { FederatedStack, TestClaims } from './support/subgraphs';

let stack: FederatedStack;

// As an official of Bắc Từ Liêm, whose lines the tests read and write (the README examples: an analyst).
const post = (
  query: string,
  variables: Record<string, unknown> = {},
  caller: Caller | TestClaims = callers.official(BTL),
): Promise<any> => stack.gql(query, variables, caller);

beforeAll(async () => {
  stack = await startFederatedStack();
}, 180_000);

afterAll(async () => stack?.close());

const BTL = '000.00.21.H26';

test('analyst: a district and its wards — names from documents, budgets from budgets, one batched fetch', async () => {
  const budgets = stack.subgraphs.get('budgets')!.db;
  const before = budgets.roundTrips;
  const r = await post(`{ agency(code: "${BTL}") { name
    budget(year: 2020) { executionRate expenditure { currentEstimate executed } }
    withWards: budget(year: 2020, includeSubordinates: true) { executionRate expenditure { currentEstimate executed } }
    children(asOf: "2020-06-30") { code name budget(year: 2020) { executionRate expenditure { currentEstimate executed } } } } }`);
  expect(r.errors).toBeUndefined();
  const a = r.data.agency;
  expect(a.name).toBe('Ủy ban nhân dân quận Bắc Từ Liêm');
  expect(a.children).toHaveLength(13);
  expect(a.children[0].name).toMatch(/^Ủy ban nhân dân phường /);
  // The district with its wards is the district plus each ward, to the đồng.
  for (const k of ['currentEstimate', 'executed'] as const) {
    const sum = a.children.reduce(
      (n: bigint, c: any) => n + BigInt(c.budget.expenditure[k]),
      BigInt(a.budget.expenditure[k]),
    );
    expect(a.withWards.expenditure[k]).toBe(String(sum));
  }
  for (const c of a.children) expect(c.budget.executionRate).toBeGreaterThan(0.5);
  // At most: the district's two budgets in one fetch, the 13 wards' budgets in another.
  expect(budgets.roundTrips - before).toBeLessThanOrEqual(3);
});

test('disclosure with the agency name, and an amount beyond 2^53 exact over HTTP through the gateway', async () => {
  const d = await post(`{ budgetDisclosure(agencyCode: "000.00.00.H26", year: 2024) { agency { name }
    revenue { currentEstimate currentEstimateMillions } } }`);
  expect(d.errors).toBeUndefined();
  expect(d.data.budgetDisclosure.agency.name).toBe('Ủy ban nhân dân thành phố Hà Nội');
  const revenue = d.data.budgetDisclosure.revenue;
  expect(typeof revenue.currentEstimate).toBe('string');
  expect(revenue.currentEstimateMillions).toBeCloseTo(Number(revenue.currentEstimate) / 1e6, 3);

  const lines = await post(
    `{ budgetLines(filter: { agencyCode: "${BTL}", fiscalYear: 2024, direction: CHI }, first: 1) { nodes { id executed } } }`,
  );
  const line = lines.data.budgetLines.nodes[0];
  const amount = '9007199254740993';
  const w = await post(
    `mutation($i: RecordBudgetExecutionInput!) { recordBudgetExecution(input: $i) { executed } }`,
    { i: { lineId: line.id, amount, date: '2024-11-30', note: 'Kiểm thử' } },
    official(BTL),
  );
  expect(w.errors).toBeUndefined();
  expect(w.data.recordBudgetExecution.executed).toBe(String(BigInt(line.executed) + BigInt(amount)));
  const bad = await post(
    `mutation { recordBudgetAdjustment(input: { lineId: "${line.id}", amount: "0", date: "2024-11-30", reason: "x" }) { id } }`,
    {},
    official(BTL),
  );
  expect(bad.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.amount' });
  const missing = await post(
    `mutation { recordBudgetExecution(input: { lineId: "987654321", amount: "1000", date: "2024-11-30" }) { id } }`,
    {},
    official(BTL),
  );
  expect(missing.errors[0].extensions.code).toBe('NOT_FOUND');
  // Issue 14, finding 4: an entry dated in the future is refused before the fiscal-period rule, and
  // nothing is written.
  const future = await post(
    `mutation { recordBudgetExecution(input: { lineId: "${line.id}", amount: "1000", date: "2099-06-30" }) { executed } }`,
    {},
    official(BTL),
  );
  expect(future.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.date' });
  expect(future.errors[0].message).toMatch(/2099-06-30 is in the future/);
  const after = await post(`{ budgetLine(id: "${line.id}") { executed } }`, {}, official(BTL));
  expect(after.data.budgetLine.executed).toBe(w.data.recordBudgetExecution.executed);
});

test('the budget examples (examples/, docs/systems/budgets.md) run through the gateway', async () => {
  const examples = ['analyst/07-budget-of-a-district', 'portal/04-budget-disclosure'].map(
    (name) => example(name).query,
  );
  const [analyst, disclosure] = await Promise.all(examples.map((q) => post(q, {}, callers.analyst)));
  for (const r of [analyst, disclosure]) expect(r.errors).toBeUndefined();
  expect(analyst.data.agency.children).toHaveLength(13);
  expect(disclosure.data.budgetDisclosure.expenditureByGroup.map((g: any) => g.group)).toEqual([
    'DAU_TU_PHAT_TRIEN',
    'THUONG_XUYEN',
    'TRA_NO',
    'DU_PHONG',
  ]);
});
