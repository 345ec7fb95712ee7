/**
 * GATEWAY_WORKERS=2: the gateway process (`gateway/main.ts`, started the way `npm start` starts it:
 * forked with an IPC channel) becomes a cluster primary with two workers on one port. Both workers
 * answer (their log lines carry their pid), a dead worker is replaced, and SIGTERM or the parent
 * going away stops everything cleanly. Over the fixture subgraphs.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import path from 'node:path';
import { ROOT } from '../../schema/registry';
import { startProducts, startReviews, writeSupergraph } from './support/fixtures';
import type { RunningServer } from './support/fixtures';
import { freePort } from '../../common/freePort';

jest.setTimeout(120_000);

let products: RunningServer;
let reviews: RunningServer;
let supergraph: { file: string; cleanup(): void };

beforeAll(async () => {
  [products, reviews] = await Promise.all([startProducts(), startReviews()]);
  supergraph = writeSupergraph({ products: products.url, reviews: reviews.url });
});

const started: Running[] = [];

// A failed test must not leave a primary behind (its workers follow it: their IPC channel closes).
afterEach(async () => {
  for (const gw of started.splice(0)) {
    if (gw.proc.exitCode === null && gw.proc.signalCode === null) gw.proc.kill('SIGKILL');
    await gw.exited;
  }
});

afterAll(async () => {
  await Promise.all([products?.close(), reviews?.close()]);
  supergraph?.cleanup();
});

interface Running {
  proc: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<number | null>;
}

/** The process environment without the GATEWAY_* settings a developer may have exported. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GATEWAY_')));
  return { ...env, GATEWAY_PORT: '0', LOG_LEVEL: 'info', ...extra };
}

function startGateway(extra: Record<string, string>, supergraphFile = supergraph.file): Promise<Running> {
  const proc = fork(path.join(ROOT, 'gateway/main.ts'), ['--supergraph', supergraphFile], {
    execArgv: ['--import', 'tsx'],
    env: cleanEnv(extra),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    proc.on('message', (m: { type?: string; url?: string }) => {
      if (m?.type !== 'listening' || !m.url) return;
      const running = { proc, url: m.url, output: () => out, exited };
      started.push(running);
      resolve(running);
    });
    void exited.then((code) => reject(new Error(`gateway exited with ${code}:\n${out}`)));
  });
}

/** One POST on a fresh connection (the cluster hands out connections, not requests). */
function post(url: string, query: string, requestId: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ query }));
  });
}

/** pid of the process that logged each request's operation line. */
function pidsByRequest(output: string): Map<string, number> {
  const pids = new Map<string, number>();
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { msg?: string; clientRequestId?: string; pid: number };
    if (entry.msg === 'graphql operation' && entry.clientRequestId)
      pids.set(entry.clientRequestId, entry.pid);
  }
  return pids;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const until = async (check: () => boolean, ms = 15_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

const JOIN = '{ topProducts { name reviews { body } } }';
const EXPECTED = JSON.stringify({
  data: {
    topProducts: [
      { name: 'Bàn làm việc', reviews: [{ body: 'Chắc chắn' }] },
      { name: 'Ghế xoay', reviews: [{ body: 'Êm' }, { body: 'Hơi ồn' }] },
    ],
  },
});

async function answeringPids(gw: Running, tag: string, count = 8): Promise<Set<number>> {
  const ids = Array.from({ length: count }, (_, i) => `${tag}-${i}`);
  for (const id of ids) {
    const res = await post(gw.url, JOIN, id);
    expect({ status: res.status, body: res.body.trim() }).toEqual({ status: 200, body: EXPECTED });
  }
  await until(() => ids.every((id) => pidsByRequest(gw.output()).has(id)));
  const pids = pidsByRequest(gw.output());
  return new Set(ids.map((id) => pids.get(id)!));
}

test('two workers share the port and both answer; a dead worker is replaced; SIGTERM stops all', async () => {
  const gw = await startGateway({ GATEWAY_WORKERS: '2' });
  const workers = await answeringPids(gw, 'a');
  expect(workers.size).toBe(2);
  expect(workers.has(gw.proc.pid!)).toBe(false); // the primary serves nothing itself

  const [victim, survivor] = [...workers];
  process.kill(victim, 'SIGKILL');
  await until(() => /gateway worker died; starting another/.test(gw.output()));
  await until(() => /replacement gateway worker ready/.test(gw.output()));
  const after = await answeringPids(gw, 'b');
  expect(after.has(victim)).toBe(false);
  expect(after.has(survivor)).toBe(true);
  expect(after.size).toBe(2);

  gw.proc.kill('SIGTERM');
  expect(await gw.exited).toBe(0);
  for (const pid of after) expect(alive(pid)).toBe(false);
  expect(gw.output()).toMatch(/"reason":"SIGTERM","msg":"stopping gateway workers"/);
});

test('the parent going away (IPC channel closed, as when npm start dies) stops the primary and its workers', async () => {
  const gw = await startGateway({ GATEWAY_WORKERS: '2' });
  const workers = await answeringPids(gw, 'c', 4);
  gw.proc.disconnect();
  expect(await gw.exited).toBe(0);
  await until(() => [...workers].every((pid) => !alive(pid)));
});

test('a worker that cannot start fails the gateway with one line and exit code 1', async () => {
  const missing = path.join(path.dirname(supergraph.file), 'missing.graphql');
  const failed = await startGateway({ GATEWAY_WORKERS: '2' }, missing).then(
    () => undefined,
    (error: Error) => error.message,
  );
  expect(failed).toMatch(/^gateway exited with 1:/);
  const lines = failed!.split('\n').filter((l) => l.startsWith('gateway failed to start'));
  expect(lines).toEqual([
    `gateway failed to start: SUPERGRAPH_PATH: cannot read supergraph file ${missing} (ENOENT)`,
  ]);
});

test('GATEWAY_METRICS_PORT with workers: the primary serves one /metrics summing every worker', async () => {
  const port = await freePort();
  const gw = await startGateway({ GATEWAY_WORKERS: '2', GATEWAY_METRICS_PORT: String(port) });
  const workers = await answeringPids(gw, 'm', 6);
  expect(workers.size).toBe(2); // both workers counted some of the six
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect({ status: res.status, log: res.status === 200 ? '' : gw.output() }).toEqual({
    status: 200,
    log: '',
  });
  const text = await res.text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('govgraph_gateway_requests_total{operation="_unnamed",type="query"'));
  expect(line).toBe(
    'govgraph_gateway_requests_total{operation="_unnamed",type="query",client="anonymous",outcome="ok"} 6',
  );
  gw.proc.kill('SIGTERM');
  expect(await gw.exited).toBe(0);
});
