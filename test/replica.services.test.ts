/**
 * Reads on a real streaming replica (docs/database.md#read-replicas): the budgets subgraph started by
 * the kit's runner (kit/runtime/run.ts) with `BUDGETS_DATABASE_REPLICA_URL` naming a hot standby made
 * by `pg_basebackup` from the services tier's server. Replay is paused on the replica to make it
 * visibly behind: the scorecard then answers from the replica (the old figures), a mutation's answer
 * and its writer's next read from the primary, and once the lag passes
 * `BUDGETS_REPLICA_MAX_LAG_MS` every read goes to the primary. The replica's statements are observed
 * like the primary's: its pool's series in the subgraph's metrics (`pool="replica"`), and a read's
 * statements there as `db.statement` spans under the request's span, exported to an OTLP/HTTP receiver.
 */
import pino from 'pino';
import {
  CALLER_HEADER,
  generateGatewayKeys,
  importGatewayPrivateKey,
  signCallerToken,
} from '../common/identity';
import type { Caller } from '../common/identity';
import { loadSubgraphConfig } from '../kit/runtime/config';
import { adminQuery } from '../kit/runtime/db';
import { startSubgraph } from '../kit/runtime/run';
import type { RunningSubgraph } from '../kit/runtime/run';
import { callers, createTestDatabase } from '../kit/testing';
import type { TestDatabase } from '../kit/testing';
import { budgets } from '../subgraphs/budgets/subgraph';
import { startOtlpReceiver } from '../gateway/test/support/otlpReceiver';
import type { OtlpReceiver } from '../gateway/test/support/otlpReceiver';
import { startStreamingReplica } from './support/streamingReplica';
import type { StreamingReplica } from './support/streamingReplica';

const LAP_THACH = '000.00.46.H62';
const OFFICIAL = callers.official(LAP_THACH);
const ANALYST = callers.analyst;
const MAX_LAG_MS = 3000;

const SCORECARD = `query($r: [_Any!]!) { _entities(representations: $r) {
  ... on Agency { budget(year: 2024) { expenditure { executed } execution { value } } } } }`;
const EXECUTE = `mutation($i: RecordBudgetExecutionInput!) { recordBudgetExecution(input: $i) { id executed } }`;
const LINE = `query($id: ID!) { budgetLine(id: $id) { executed } }`;

let db: TestDatabase;
let replica: StreamingReplica;
let sub: RunningSubgraph;
let sign: (caller: Caller) => Promise<string>;
let lineId: string;
let receiver: OtlpReceiver;

async function gql(
  caller: Caller,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<any> {
  const res = await fetch(sub.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [CALLER_HEADER]: await sign(caller), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return res.json();
}

const scorecard = async (caller: Caller) =>
  (await gql(caller, SCORECARD, { r: [{ __typename: 'Agency', code: LAP_THACH }] })).data._entities[0].budget;

async function ready(): Promise<{ state: string; lagMs: number | null }> {
  const res = await fetch(sub.url.replace(/\/graphql$/, '/ready'));
  return ((await res.json()) as { replica: { state: string; lagMs: number | null } }).replica;
}

async function until(state: string, withinMs: number): Promise<void> {
  const end = Date.now() + withinMs;
  while ((await ready()).state !== state) {
    if (Date.now() > end)
      throw new Error(`the replica never became ${state}: ${JSON.stringify(await ready())}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the replica has replayed everything the primary committed so far. */
async function caughtUp(): Promise<void> {
  const [{ lsn }] = await db.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  for (;;) {
    const [row] = await adminQuery(
      replica.urlFor(db.url),
      'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done',
      [lsn],
    );
    if (row!.done) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  db = await createTestDatabase('server');
  receiver = await startOtlpReceiver();
  replica = await startStreamingReplica(db.url);
  const keys = generateGatewayKeys();
  const key = await importGatewayPrivateKey(keys.privateKey);
  sign = (caller) => signCallerToken(caller, key, { audience: 'budgets' });
  const config = loadSubgraphConfig(
    'budgets',
    {
      BUDGETS_PORT: '0',
      BUDGETS_DATABASE_URL: db.appUrl,
      BUDGETS_MIGRATION_DATABASE_URL: db.url,
      BUDGETS_DATABASE_REPLICA_URL: replica.urlFor(db.appUrl),
      BUDGETS_REPLICA_MAX_LAG_MS: String(MAX_LAG_MS),
      BUDGETS_SEED_SCALE: '0.05',
      BUDGETS_GATEWAY_PUBLIC_KEY: keys.publicKey,
      BUDGETS_METRICS_PORT: '0',
      BUDGETS_TRACING_ENDPOINT: receiver.url,
      BUDGETS_TRACING_EXPORT_DELAY_MS: '100',
    },
    { port: 0 },
  );
  sub = await startSubgraph(budgets, config, pino({ level: 'silent' }));
  const lines = await gql(
    OFFICIAL,
    `{ budgetLines(filter: { agencyCode: "${LAP_THACH}", fiscalYear: 2024, direction: CHI }, first: 1) { nodes { id } } }`,
  );
  lineId = lines.data.budgetLines.nodes[0].id;
  await caughtUp();
  await until('serving', 10_000);
}, 180_000);

afterAll(async () => {
  await sub?.close(5000);
  await replica?.stop();
  await db?.close();
  await receiver?.close();
});

/** The sample values of `name` in one scrape of the subgraph's metrics, by their labels. */
async function scrape(name: string): Promise<Map<string, number>> {
  const text = await (await fetch(sub.metricsUrl!)).text();
  const values = new Map<string, number>();
  for (const line of text.split('\n'))
    if (line.startsWith(`${name}{`)) {
      const at = line.lastIndexOf(' ');
      values.set(line.slice(name.length, at), Number(line.slice(at + 1)));
    }
  return values;
}

test("the replica's statements are in the metrics and traces, as the primary's are", async () => {
  const count = 'govgraph_subgraph_db_statement_duration_seconds_count';
  const before = (await scrape(count)).get('{pool="replica",outcome="ok"}') ?? 0;
  const trace = '7f3a9c1d2e4b5a6978a1b2c3d4e5f601';
  const reads = 3;
  for (let i = 0; i < reads; i++)
    expect(
      (
        await gql(
          ANALYST,
          SCORECARD,
          { r: [{ __typename: 'Agency', code: LAP_THACH }] },
          {
            traceparent: `00-${trace}-00f067aa0ba902b${i}-01`,
          },
        )
      ).errors,
    ).toBeUndefined();

  // Traces: the reads' statements ran on the replica, each a span under its request's span.
  const spans = await receiver.until(
    (all) => all.filter((s) => s.traceId === trace && s.name === 'subgraph.request').length === reads,
  );
  const requests = new Set(
    spans.filter((s) => s.traceId === trace && s.name === 'subgraph.request').map((s) => s.spanId),
  );
  const statements = spans.filter((s) => s.traceId === trace && s.name === 'db.statement');
  const onReplica = statements.filter((s) => s.attributes['govgraph.db.pool'] === 'replica');
  expect(onReplica.length).toBeGreaterThanOrEqual(reads);
  for (const s of statements) expect(requests.has(s.parentSpanId)).toBe(true);

  // Metrics: the replica's pool has its own statement and connection series.
  const after = await scrape(count);
  expect(after.get('{pool="replica",outcome="ok"}')! - before).toBeGreaterThanOrEqual(onReplica.length);
  expect(after.has('{pool="primary",outcome="ok"}')).toBe(true);
  const pools = await scrape('govgraph_subgraph_db_pool_connections');
  expect([...pools.keys()].filter((k) => k.startsWith('{pool="replica"')).sort()).toEqual([
    '{pool="replica",state="idle"}',
    '{pool="replica",state="in_use"}',
    '{pool="replica",state="waiting"}',
  ]);
});

test('a replica behind the primary answers the scorecard within the bound; a mutation and its writer read the primary; past the bound everyone does', async () => {
  const before = await scorecard(ANALYST);
  // A fresh commit replayed just now, then replay stops: the replica's lag grows from zero.
  await db.exec(
    'CREATE TABLE IF NOT EXISTS replica_heartbeat (at timestamptz); INSERT INTO replica_heartbeat VALUES (now())',
  );
  await caughtUp();
  await replica.pauseReplay();

  const written = await gql(OFFICIAL, EXECUTE, { i: { lineId, amount: '1000000', date: '2024-06-03' } });
  expect(written.errors).toBeUndefined();
  const executed = written.data.recordBudgetExecution.executed as string;

  // Within the bound: the analyst's scorecard is the replica's, from before the write…
  expect(await scorecard(ANALYST)).toEqual(before);
  // …while the writer reads its own write (the primary), and so does its scorecard.
  expect(await gql(OFFICIAL, LINE, { id: lineId })).toEqual({ data: { budgetLine: { executed } } });
  const after = await scorecard(OFFICIAL);
  expect(Number(after.expenditure.executed)).toBe(Number(before.expenditure.executed) + 1_000_000);

  // Past the bound the replica is stale: reads go to the primary, the analyst sees the write.
  await until('stale', MAX_LAG_MS + 5000);
  expect(await scorecard(ANALYST)).toEqual(after);

  // Replay resumes: the replica catches up and serves again, with the same figures.
  await replica.resumeReplay();
  await caughtUp();
  await until('serving', 10_000);
  expect(await scorecard(ANALYST)).toEqual(after);
}, 60_000);

test('a replica that goes away: reads fall back to the primary, nothing fails', async () => {
  const expected = await scorecard(ANALYST);
  await replica.stop();
  expect(await scorecard(ANALYST)).toEqual(expected);
  await until('down', 5000);
  expect(await scorecard(ANALYST)).toEqual(expected);
  expect(await gql(ANALYST, LINE, { id: lineId })).toMatchObject({
    data: { budgetLine: { executed: expect.any(String) } },
  });
}, 30_000);
