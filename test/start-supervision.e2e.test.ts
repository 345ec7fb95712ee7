/**
 * `npm start` supervises its children (scripts/start/supervise.ts), with the processes it runs: a
 * subgraph killed with `kill -9` costs only its own fields while it is down (the gateway and the other
 * subgraphs keep answering), it is started again on the same port after the backoff, its fields come
 * back, and npm start's output says what happened. Ctrl-C then still stops everything, exit 0.
 * The embedded database server stays tied to npm start: when it dies, npm start stops everything.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signDevToken } from '../scripts/devKeys';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';

const LAP_THACH = '000.00.46.H62';
const dataDir = mkdtempSync(path.join(tmpdir(), 'govgraph-supervise-'));
let stack: Stack | null = null;

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function gql(query: string, claims: { role: string; agency?: string }): Promise<any> {
  const res = await fetch(stack!.gateway, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await signDevToken(dataDir, claims)}`,
    },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(15_000),
  });
  expect(res.status).toBe(200);
  return res.json();
}

const DOCUMENTS = `{ agency(code: "000.00.21.H26") { documentStats(period: {from: "2014-01-01", to: "2014-12-31"}) { electronicRatio } } }`;
const BUDGETS = `{ budgetLines(filter: { agencyCode: "${LAP_THACH}", fiscalYear: 2024, direction: CHI }, first: 1) { nodes { id } } }`;
const readDocuments = () => gql(DOCUMENTS, { role: 'analyst' });
const readBudgets = () => gql(BUDGETS, { role: 'official', agency: LAP_THACH });

/** The pid of npm start's child running subgraph `name`. */
function childPid(parent: number, name: string): number {
  const lines = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(parent)], { encoding: 'utf8' });
  const line = lines.split('\n').find((l) => l.includes(`subgraphs/${name}/main.ts`));
  if (!line) throw new Error(`no ${name} child of ${parent}:\n${lines}`);
  return Number(line.trim().split(/\s+/)[0]);
}

test('kill -9 of one subgraph: the others keep serving through the gateway, it is restarted with backoff and its fields come back; the log says so', async () => {
  stack = await startStack(dataDir, { GOVGRAPH_RESTART_DELAY_MS: '1000' });
  const documents = await readDocuments();
  expect(documents.data.agency.documentStats).toEqual({ electronicRatio: 0.9 });
  const budgets = await readBudgets();
  expect(budgets.errors).toBeUndefined();
  const lineId = budgets.data.budgetLines.nodes[0].id;

  const pid = childPid(stack.pid, 'budgets');
  process.kill(pid, 'SIGKILL');
  await new Promise((r) => setTimeout(r, 200));
  // During the outage: the documents subgraph answers through the gateway; budgets' fields fail alone.
  expect(await readDocuments()).toEqual(documents);
  const down = await readBudgets();
  expect(down.data?.budgetLines ?? null).toBeNull();
  expect(down.errors.length).toBeGreaterThan(0);
  expect(JSON.stringify(down.errors)).toMatch(/budgets/);

  // Back after the backoff, on the same port, with the same data.
  const t0 = Date.now();
  let back: any;
  for (;;) {
    back = await readBudgets();
    if (!back.errors) break;
    if (Date.now() - t0 > 60_000) throw new Error(`budgets did not come back: ${JSON.stringify(back)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(back.data.budgetLines.nodes[0].id).toBe(lineId);
  expect(childPid(stack.pid, 'budgets')).not.toBe(pid);
  expect(await readDocuments()).toEqual(documents);
  const out = stack.output();
  expect(out).toContain(
    'govgraph: budgets exited (signal SIGKILL); restarting it in 1 s (crash 1 of 5 allowed within 60 s)',
  );
  expect(out).toMatch(/govgraph: budgets is back at http:\/\/127\.0\.0\.1:\d+\/graphql \(after 1 crash\)/);
  expect(out).not.toContain('stopping everything');

  expect(await stack.stop()).toBe(0);
  stack = null;
}, 240_000);

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

test('kill -9 of the embedded database server: npm start says so and stops everything, exit 1', async () => {
  stack = await startStack(dataDir); // the same data: no seed this time
  const children = ['documents', 'budgets', 'land'].map((name) => childPid(stack!.pid, name));
  const postmaster = Number(
    readFileSync(path.join(dataDir, 'postgres/postmaster.pid'), 'utf8').split('\n')[0],
  );
  process.kill(postmaster, 'SIGKILL');
  expect(await stack.exited).toBe(1);
  expect(stack.output()).toContain('govgraph: the embedded database server exited; stopping everything.');
  expect(stack.output()).not.toContain('restarting it'); // stopped, not restarted one by one
  for (const pid of children) expect(alive(pid)).toBe(false);
  stack = null;
}, 180_000);
