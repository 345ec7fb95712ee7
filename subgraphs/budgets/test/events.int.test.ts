/**
 * Domain events of the budgets subgraph (kit/events, docs/events.md): an execution entry posts one
 * `BudgetExecutionPosted` in its transaction; an adjustment of the estimate is not an execution and
 * posts none; a refused entry posts none.
 */
import type { Database } from '../../../kit';
import {
  callers,
  createTestDatabase,
  lastOutboxSeq,
  outboxEvents,
  startTestSubgraph,
} from '../../../kit/testing';
import type { TestSubgraph } from '../../../kit/testing';
import { budgets } from '../subgraph';

const LAP_THACH = '000.00.46.H62';
const VINH_PHUC = '000.00.00.H62';
const EXECUTE = `mutation($i: RecordBudgetExecutionInput!) { recordBudgetExecution(input: $i) { id executed } }`;
const ADJUST = `mutation($i: RecordBudgetAdjustmentInput!) { recordBudgetAdjustment(input: $i) { id } }`;

let db: Database;
let sg: TestSubgraph;
let line: { id: string; executed: string };

beforeAll(async () => {
  db = await createTestDatabase();
  sg = await startTestSubgraph(budgets, { db, scale: 0.05, caller: callers.official(LAP_THACH) });
  const r = await sg.gql(
    `{ budgetLines(filter: { agencyCode: "${LAP_THACH}", fiscalYear: 2024, direction: CHI }, first: 1) { nodes { id executed } } }`,
  );
  line = r.data!.budgetLines.nodes[0];
}, 180_000);
afterAll(async () => {
  await sg?.close();
});

test('an execution entry posts exactly one BudgetExecutionPosted; an adjustment and a refused entry post none', async () => {
  const since = await lastOutboxSeq(db);
  // 2^53 + 1 VND: exact in the event as in the graph.
  const amount = '9007199254740993';
  const r = await sg.gql(EXECUTE, { i: { lineId: line.id, amount, date: '2024-06-03' } });
  expect(r.errors).toBeUndefined();
  const executed = (BigInt(line.executed) + BigInt(amount)).toString();
  expect(r.data!.recordBudgetExecution.executed).toBe(executed);

  const adjusted = await sg.gql(ADJUST, {
    i: { lineId: line.id, amount: '1000000', date: '2024-06-04', reason: 'Bổ sung dự toán' },
  });
  expect(adjusted.errors).toBeUndefined();
  const refused = await sg.gql(EXECUTE, {
    i: { lineId: line.id, amount: `-${executed}1`, date: '2024-06-05' },
  });
  expect(refused.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.amount' });

  const events = await outboxEvents(db, since);
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({
    type: 'BudgetExecutionPosted',
    entity: { typename: 'BudgetLine', key: { id: line.id } },
    agencyCode: LAP_THACH,
    agencyPath: [LAP_THACH, VINH_PHUC],
    citizenIds: [],
    data: { lineId: line.id, fiscalYear: 2024, amount, executed, date: '2024-06-03' },
    delivered: false,
  });
  expect(events[0]!.data.entryId).toMatch(/^\d+$/);
});
