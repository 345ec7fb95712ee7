/**
 * Reads on a real streaming replica (docs/database.md#read-replicas): the budgets subgraph started by
 * the kit's runner (kit/runtime/run.ts) with `BUDGETS_DATABASE_REPLICA_URL` naming a hot standby made
 * by `pg_basebackup` from the services tier's server. Replay is paused on the replica to make it
 * visibly behind: the scorecard then answers from the replica (the old figures), a mutation's answer
 * and its writer's next read from the primary, and once the lag passes
 * `BUDGETS_REPLICA_MAX_LAG_MS` every read goes to the primary.
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

async function gql(caller: Caller, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const res = await fetch(sub.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [CALLER_HEADER]: await sign(caller) },
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
