/**
 * Issue 14 finding 5: no statement timeout existed, so one mutation could hold a transaction for as long
 * as it liked. A subgraph's statement and transaction timeouts (`<NAME>_STATEMENT_TIMEOUT_MS`,
 * `<NAME>_TRANSACTION_TIMEOUT_MS`) cancel it: the client gets TIMEOUT (not INTERNAL_SERVER_ERROR) and
 * nothing is written. A mutation is held here by a row lock the test takes on its budget line.
 */
import { callers, startTestSubgraph } from '../kit/testing';
import type { TestSubgraph } from '../kit/testing';
import { loadRegistry } from '../schema/registry';
import { loadSubgraphModule } from './support/subgraphs';

const LAP_THACH = '000.00.46.H62';
const EXECUTE = `mutation($i: RecordBudgetExecutionInput!) { recordBudgetExecution(input: $i) { executed } }`;
const budgets = loadSubgraphModule(loadRegistry().find((e) => e.name === 'budgets')!);
let statement: TestSubgraph;
let transaction: TestSubgraph;
let lineId: string;

beforeAll(async () => {
  statement = await startTestSubgraph(budgets, { scale: 0.05, statementTimeoutMs: 300 });
  transaction = await startTestSubgraph(budgets, {
    scale: 0.05,
    statementTimeoutMs: 10_000,
    transactionTimeoutMs: 400,
  });
  const [line] = await statement.adminDb.query<{ id: string }>(
    `SELECT id FROM budget_lines WHERE agency_code = $1 AND fiscal_year = 2024 ORDER BY id LIMIT 1`,
    [LAP_THACH],
  );
  lineId = line!.id;
}, 120_000);
afterAll(async () => {
  await statement?.close();
  await transaction?.close();
});

/** Runs `fn` while the budget line is locked by another transaction (as the owner). */
async function whileLocked<T>(sub: TestSubgraph, fn: () => Promise<T>): Promise<T> {
  return sub.adminDb.transaction(async (tx) => {
    await tx.query('SELECT id FROM budget_lines WHERE id = $1 FOR UPDATE', [lineId]);
    return fn();
  });
}

const entries = (sub: TestSubgraph) =>
  sub.adminDb.query(`SELECT count(*)::int AS n FROM budget_entries WHERE line_id = $1`, [lineId]);

test.each([
  [
    'statement',
    () => statement,
    'the database statement timeout (300 ms) cancelled this request; nothing was written',
  ],
  [
    'transaction',
    () => transaction,
    'the database transaction timeout (400 ms) cancelled this request; nothing was written',
  ],
])('a mutation held past the %s timeout gets TIMEOUT and writes nothing', async (_, sub, message) => {
  const before = await entries(sub());
  const r = await whileLocked(sub(), () =>
    sub().gql(EXECUTE, { i: { lineId, amount: '1000', date: '2024-06-03' } }, callers.official(LAP_THACH)),
  );
  expect(r).toEqual({
    data: null,
    errors: [expect.objectContaining({ message, extensions: { code: 'TIMEOUT' } })],
  });
  expect(await entries(sub())).toEqual(before);
  // Without the lock, the same mutation goes through.
  const ok = await sub().gql(
    EXECUTE,
    { i: { lineId, amount: '1000', date: '2024-06-03' } },
    callers.official(LAP_THACH),
  );
  expect(ok.errors).toBeUndefined();
});
