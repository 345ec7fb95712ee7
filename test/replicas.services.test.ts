/**
 * Scaled out for real on this machine (scripts/replicas.ts): two gateway replicas and two budgets
 * replicas behind Debian's HAProxy, rate limits in Redis, one budgets database on the PostgreSQL
 * server at TEST_DATABASE_URL. What a client of a cluster relies on:
 * - a rolling restart of every replica under load fails no request;
 * - the per-IP rate limit is one count across the gateway replicas;
 * - a gateway replica killed with SIGKILL mid-load loses no acknowledged mutation, and only the
 *   requests in flight on it fail, with no GraphQL answer (502, or the connection closed), which a
 *   client retries.
 */
import { existsSync } from 'node:fs';
import { Client } from 'pg';
import { testServerUrl } from '../kit/testing';
import { HAPROXY, startReplicas } from '../scripts/replicas';
import type { ReplicaStack } from '../scripts/replicas';

jest.setTimeout(300_000);

const LAP_THACH = '000.00.46.H62';
const DATABASE = `govgraph_replicas_test_${process.pid}`;
const EXECUTE = `mutation($i: RecordBudgetExecutionInput!) { recordBudgetExecution(input: $i) { id executed } }`;
const LINES = `{ budgetLines(filter: { agencyCode: "${LAP_THACH}", fiscalYear: 2024, direction: CHI }, first: 1) { nodes { id } } }`;
const RATE_LIMIT = 10;

let stack: ReplicaStack;
let token: string;
let lineId: string;
/** A client address of its own per request (X-Forwarded-For through HAProxy), so the load never meets the per-IP limit. */
let nextIp = 0;
const freshIp = () => `10.${(process.pid >> 8) & 255}.${(++nextIp >> 8) & 255}.${nextIp & 255}`;

interface Outcome {
  status: number;
  body?: { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  error?: string;
}

async function post(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  ip = freshIp(),
): Promise<Outcome> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-forwarded-for': ip,
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(20_000),
    });
    const text = await res.text();
    let body: Outcome['body'];
    try {
      body = JSON.parse(text) as Outcome['body'];
    } catch {
      body = undefined;
    }
    return { status: res.status, body };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { status: 0, error: `${String(error)} ${cause?.code ?? ''} ${cause?.message ?? ''}` };
  }
}

const ok = (o: Outcome) => o.status === 200 && o.body?.data != null && !o.body.errors;

async function executed(): Promise<bigint> {
  const db = new Client({ connectionString: stack.budgetsDatabaseUrl });
  await db.connect();
  try {
    const r = await db.query<{ executed: string }>(
      'SELECT executed::text AS executed FROM budget_lines WHERE id = $1',
      [lineId],
    );
    return BigInt(r.rows[0].executed);
  } finally {
    await db.end();
  }
}

/** `workers` loops sending requests made by `next` until `until` settles; every outcome, in order. */
async function load(
  workers: number,
  until: Promise<unknown>,
  next: (i: number) => Promise<Outcome>,
): Promise<Outcome[]> {
  let done = false;
  void until.finally(() => (done = true));
  const outcomes: Outcome[] = [];
  let i = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (!done) outcomes.push(await next(i++));
    }),
  );
  return outcomes;
}

beforeAll(async () => {
  if (!existsSync(HAPROXY))
    throw new Error(`${HAPROXY} is missing: apt-get install haproxy (.ci/run installs it)`);
  stack = await startReplicas({
    serverUrl: testServerUrl('server'),
    redisUrl: process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379',
    database: DATABASE,
    rateLimitPerIp: RATE_LIMIT,
    gatewayEnv: { GATEWAY_RATE_LIMIT_PER_SUBJECT: '0' },
  });
  token = await stack.token({ role: 'official', agency: LAP_THACH, sub: `official@${LAP_THACH}` });
  const lines = await post(stack.url, LINES);
  lineId = (lines.body!.data as { budgetLines: { nodes: { id: string }[] } }).budgetLines.nodes[0].id;
});

afterAll(async () => {
  await stack?.stop();
  const admin = new Client({ connectionString: testServerUrl('server') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
  await admin.end();
});

test('a rolling restart of both gateways and both budgets replicas under load fails no request', async () => {
  const before = await executed();
  const restarts = (async () => {
    for (const replica of [...stack.gateways, ...stack.budgets]) await stack.restart(replica);
  })();
  const outcomes = await load(4, restarts, (i) =>
    i % 4 === 0
      ? post(stack.url, EXECUTE, { i: { lineId, amount: '1', date: '2024-06-03' } })
      : post(stack.url, LINES),
  );
  await restarts;
  const failed = outcomes.filter((o) => !ok(o));
  expect(failed).toEqual([]);
  expect(outcomes.length).toBeGreaterThan(50);
  const mutations = outcomes.filter(
    (o) => (o.body?.data as Record<string, unknown> | undefined)?.recordBudgetExecution,
  );
  expect((await executed()) - before).toBe(BigInt(mutations.length));
});

test('the per-IP rate limit is one count in Redis across the gateway replicas', async () => {
  const ip = freshIp();
  const [g1, g2] = stack.gateways.map((g) => `http://127.0.0.1:${g.port}/graphql`);
  const statuses: number[] = [];
  // Alternately on each replica: each sees only half of the requests, the limit counts all of them.
  for (let i = 0; i < RATE_LIMIT + 4; i++) statuses.push((await post(i % 2 ? g2 : g1, LINES, {}, ip)).status);
  expect(statuses).toEqual([...Array<number>(RATE_LIMIT).fill(200), 429, 429, 429, 429]);
  // Through HAProxy too: the same client is still over the limit, whichever replica answers.
  const viaProxy = await post(stack.url, LINES, {}, ip);
  expect([viaProxy.status, viaProxy.body?.errors?.[0]?.extensions?.code]).toEqual([429, 'RATE_LIMITED']);
  expect((await post(stack.url, LINES, {}, freshIp())).status).toBe(200);
});

test('a gateway killed mid-load: no acknowledged mutation lost, only its in-flight requests fail, with no answer (502 or closed)', async () => {
  const before = await executed();
  const killed = (async () => {
    await new Promise((r) => setTimeout(r, 1500));
    await stack.kill(stack.gateways[0]);
    await new Promise((r) => setTimeout(r, 1000));
  })();
  const outcomes = await load(4, killed, () =>
    post(stack.url, EXECUTE, { i: { lineId, amount: '1', date: '2024-06-04' } }),
  );
  await killed;
  const acknowledged = outcomes.filter(ok).length;
  const failed = outcomes.filter((o) => !ok(o));
  const delta = Number((await executed()) - before);
  // Every acknowledged mutation is in the database; a failed one may have committed before its answer was lost.
  expect(delta).toBeGreaterThanOrEqual(acknowledged);
  expect(delta).toBeLessThanOrEqual(acknowledged + failed.length);
  // Only requests in flight on the killed replica fail (at most one per load worker), and none with a
  // GraphQL answer: HAProxy answers 502, or (a request on a kept-alive client connection) closes the
  // connection without an answer, as it does for a browser to retry. A client retries both.
  expect(failed.length).toBeLessThanOrEqual(4);
  expect(
    failed.filter(
      (f) => f.body?.data !== undefined || !(f.status === 502 || /UND_ERR_SOCKET/.test(f.error ?? '')),
    ),
  ).toEqual([]);
  expect(acknowledged).toBeGreaterThan(10);
  // The restarted replica serves again.
  expect((await post(`http://127.0.0.1:${stack.gateways[0].port}/graphql`, LINES)).status).toBe(200);
});
