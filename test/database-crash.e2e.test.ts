/**
 * A `kill -9` of the embedded database server in the middle of a mutation (issue 14, finding 7), with
 * real processes (test/support/budgetsDatabase.ts): the budgets subgraph's process stays alive, the
 * request gets SERVICE_UNAVAILABLE, and once the server is back on the same data and port the subgraph
 * answers again, with every committed write there. Who may reach the database:
 * test/database-access.e2e.test.ts.
 */
import { adminQuery, openDatabase } from '../kit/runtime/db';
import { startEmbeddedPostgres } from '../kit/embedded-postgres';
import type { EmbeddedPostgres } from '../kit/embedded-postgres';
import { APP_ROLE } from '../kit/runtime/roles';
import { DB, EXECUTE, LINE, useBudgetsDatabase } from './support/budgetsDatabase';

const db = useBudgetsDatabase();

/** Holds the row lock of the budget line as the superuser until `release`; errors after a crash are ignored. */
async function holdLineLock(): Promise<{ release: () => void }> {
  const admin = await openDatabase({ url: db.server.url(DB), poolSize: 1 });
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  void admin
    .transaction(async (tx) => {
      await tx.query('SELECT id FROM budget_lines WHERE id = $1 FOR UPDATE', [db.lineId]);
      locked();
      await released;
    })
    .catch(() => undefined)
    .finally(() => admin.close().catch(() => undefined));
  await isLocked;
  return { release };
}

async function waitForAppLockWait(): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const rows = await adminQuery(
      db.server.url(DB),
      `SELECT 1 FROM pg_stat_activity WHERE usename = $1 AND wait_event_type = 'Lock'`,
      [APP_ROLE],
    );
    if (rows.length) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the mutation never waited for the lock');
}

/** Starts the server again on the same data and port (its crashed backends may take a moment to go). */
async function restartServer(port: number): Promise<EmbeddedPostgres> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startEmbeddedPostgres({ dataDir: db.dataDir, port });
    } catch (err) {
      if (attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

test('kill -9 of the database server mid-mutation: the subgraph stays up, the request gets SERVICE_UNAVAILABLE, and it answers again once the server is back', async () => {
  const committed = await db.gql(EXECUTE, { i: { lineId: db.lineId, amount: '1000', date: '2024-06-03' } });
  expect(committed.errors).toBeUndefined();
  const executedAfterCommit = committed.data.recordBudgetExecution.executed;

  const lock = await holdLineLock();
  const inFlight = db.gql(EXECUTE, { i: { lineId: db.lineId, amount: '5000', date: '2024-06-04' } });
  await waitForAppLockWait(); // the mutation's transaction is open, waiting on the line
  const port = db.server.port;
  process.kill(db.server.pid, 'SIGKILL');
  const failed = await inFlight;
  lock.release();
  expect(failed.data).toBeNull();
  expect(failed.errors.map((e: any) => [e.extensions.code, e.message])).toEqual([
    ['SERVICE_UNAVAILABLE', 'The database is unavailable; nothing was written. Retry in a moment.'],
  ]);
  // The process is alive and still answers: health, and a clean error while the database is down.
  expect(db.subgraph.exitCode).toBeNull();
  expect((await fetch(db.subgraphUrl.replace(/\/graphql$/, '/health'))).status).toBe(200);
  const whileDown = await db.gql(LINE, { id: db.lineId });
  expect(whileDown.errors.map((e: any) => e.extensions.code)).toEqual(['SERVICE_UNAVAILABLE']);
  expect((await fetch(db.subgraphUrl.replace(/\/graphql$/, '/ready'))).status).toBe(503);

  await db.server.stop(); // the crashed server's guard
  db.server = await restartServer(port);
  // No restart of the subgraph: its pool connects again. The committed write survived, the cut one is not there.
  const after = await db.gql(LINE, { id: db.lineId });
  expect(after).toEqual({ data: { budgetLine: { id: db.lineId, executed: executedAfterCommit } } });
  const again = await db.gql(EXECUTE, { i: { lineId: db.lineId, amount: '7', date: '2024-06-05' } });
  expect(again.data.recordBudgetExecution.executed).toBe(String(BigInt(executedAfterCommit) + 7n));
  expect(db.subgraph.exitCode).toBeNull();
}, 60_000);
