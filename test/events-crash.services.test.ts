/**
 * Domain events survive a crash of the subgraph process (issue 20, docs/events.md): the budgets
 * subgraph's own process (its main.ts, as `npm start` runs it) on an embedded PostgreSQL server of
 * this file's own, publishing to a Redis server of the test's own.
 * - With no Redis configured the process starts and serves; the event is written and kept.
 * - Redis unreachable: a mutation commits, the relay tries and fails to publish; the process is
 *   killed with SIGKILL between the commit and any publish. Restarted with Redis back, it publishes
 *   the event — the one committed before the crash, exactly once on the stream, with its id — and
 *   the earlier one kept while events were off.
 * - SIGTERM stops the relay with the rest: the process exits 0.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { adminQuery } from '../kit/runtime/db';
import { startEmbeddedPostgres } from '../kit/embedded-postgres';
import type { EmbeddedPostgres } from '../kit/embedded-postgres';
import { ownRedis } from '../kit/testing';
import type { OwnRedis } from '../kit/testing';
import { BUDGETS_DB, EXECUTE, LAP_THACH, startBudgets } from './support/subgraphProcess';
import type { SubgraphProcess } from './support/subgraphProcess';

const dir = mkdtempSync(path.join(tmpdir(), 'govgraph-events-'));
let server: EmbeddedPostgres;
let redis: OwnRedis;
const started: SubgraphProcess[] = [];
const STREAM = 'govgraph:events';

async function start(env: Record<string, string> = {}): Promise<SubgraphProcess> {
  const s = await startBudgets(server, env);
  started.push(s);
  return s;
}

const outbox = () =>
  adminQuery<{ id: string; type: string; attempts: number; delivered: boolean; streamId: string | null }>(
    server.url(BUDGETS_DB),
    `SELECT id::text, type, attempts, delivered_at IS NOT NULL AS delivered, stream_id AS "streamId"
     FROM event_outbox ORDER BY seq`,
  );

async function until(what: string, check: () => Promise<boolean>, withinMs = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > withinMs) throw new Error(`not within ${withinMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'postgres'), settings: { fsync: 'off' } });
  await server.ensureDatabase(BUDGETS_DB);
  redis = await ownRedis(); // not started yet: unreachable
}, 180_000);

afterAll(async () => {
  for (const s of started) if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGKILL');
  await Promise.all(started.map((s) => s.exited));
  await redis?.stop();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('an event committed before a SIGKILL, while Redis was unreachable, is published once after the restart', async () => {
  // No Redis configured (as `npm start` runs it by default): the process starts, migrates, seeds, serves;
  // its event is written and kept.
  const plain = await start();
  const r = await plain.gql(
    `{ budgetLines(filter: { agencyCode: "${LAP_THACH}", fiscalYear: 2024, direction: CHI }, first: 1) { nodes { id } } }`,
  );
  const lineId = r.data.budgetLines.nodes[0].id as string;
  const kept = await plain.gql(EXECUTE, { i: { lineId, amount: '1000', date: '2024-06-03' } });
  expect(kept.errors).toBeUndefined();
  expect((await outbox()).map((e) => [e.type, e.attempts, e.delivered])).toEqual([
    ['BudgetExecutionPosted', 0, false],
  ]);
  plain.proc.kill('SIGTERM');
  expect(await plain.exited).toBe(0);

  // Redis configured but unreachable: the mutation commits, the relay fails to publish, then SIGKILL.
  const env = {
    BUDGETS_EVENTS_REDIS_URL: redis.url,
    BUDGETS_EVENTS_POLL_MS: '20',
    BUDGETS_EVENTS_RETRY_MAX_MS: '200',
  };
  const first = await start(env);
  const committed = await first.gql(EXECUTE, { i: { lineId, amount: '2000', date: '2024-06-04' } });
  expect(committed.errors).toBeUndefined();
  await until(
    'the relay tried the new event and failed',
    async () => ((await outbox())[1]?.attempts ?? 0) >= 1,
  );
  first.proc.kill('SIGKILL');
  expect(await first.exited).toBe('SIGKILL');
  const before = await outbox();
  expect(before.map((e) => [e.type, e.delivered])).toEqual([
    ['BudgetExecutionPosted', false],
    ['BudgetExecutionPosted', false],
  ]);

  // Redis back, the process restarted: both events published, each once, in order.
  await redis.start();
  const second = await start(env);
  await until('both events delivered', async () => (await outbox()).every((e) => e.delivered));
  const client = new Redis(redis.url);
  try {
    const entries = await client.xrange(STREAM, '-', '+');
    expect(entries.map(([, f]) => [f[1], f[3], f[5]])).toEqual(
      before.map((e) => [e.id, 'BudgetExecutionPosted', 'budgets']),
    );
    const event = JSON.parse(entries[1]![1][7]!);
    expect(event).toMatchObject({
      id: before[1]!.id,
      source: 'budgets',
      entity: { typename: 'BudgetLine', key: { id: lineId } },
      agencyCode: LAP_THACH,
      data: { lineId, amount: '2000', date: '2024-06-04' },
    });
    expect((await outbox()).map((e) => e.streamId)).toEqual(entries.map(([id]) => id));
  } finally {
    client.disconnect();
  }
  second.proc.kill('SIGTERM');
  expect(await second.exited).toBe(0);
}, 120_000);
