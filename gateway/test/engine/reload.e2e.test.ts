/**
 * Reloading the supergraph of a running gateway process (`gateway/main.ts`, started as `npm start`
 * starts it) with GATEWAY_SUPERGRAPH_WATCH=watch, over the fixture subgraphs:
 * - under a client load, the file is replaced (renamed into place) by a version with new fields:
 *   no request fails, and the new fields answer after the swap — on both engines;
 * - an invalid file (a syntax error, then a valid SDL that is not a supergraph) is refused: the old
 *   version keeps serving, a log line names the refused hash and the reason, /ready counts it;
 * - with two workers, both switch and the primary logs that they agree.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { composeSupergraph } from '../../../schema/compose';
import { ROOT } from '../../../schema/registry';
import { PRODUCTS_SDL, REVIEWS_SDL, startProducts, startReviews } from '../support/fixtures';
import type { RunningServer } from '../support/fixtures';
import { supergraphVersion } from '../../engine/supergraph/source';

jest.setTimeout(120_000);

let products: RunningServer;
let reviews: RunningServer;
let dir: string;
let v1: string;
let v2: string;
const started: ChildProcess[] = [];

beforeAll(async () => {
  [products, reviews] = await Promise.all([startProducts(), startReviews()]);
  v1 = composeSupergraph([{ name: 'products', url: products.url, typeDefs: PRODUCTS_SDL }]);
  v2 = composeSupergraph([
    { name: 'products', url: products.url, typeDefs: PRODUCTS_SDL },
    { name: 'reviews', url: reviews.url, typeDefs: REVIEWS_SDL },
  ]);
});
beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'govgraph-reload-e2e-'))));
afterEach(async () => {
  for (const proc of started.splice(0)) {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGKILL');
      await exited;
    }
  }
  rmSync(dir, { recursive: true, force: true });
});
afterAll(() => Promise.all([products?.close(), reviews?.close()]));

interface Running {
  proc: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<number | null>;
}

function startGateway(file: string, extra: Record<string, string>): Promise<Running> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GATEWAY_')));
  const proc = fork(path.join(ROOT, 'gateway/main.ts'), ['--supergraph', file], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...env,
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'info',
      GATEWAY_SUPERGRAPH_WATCH: 'watch',
      GATEWAY_RATE_LIMIT_PER_IP: '0',
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  started.push(proc);
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    proc.on('message', (m: { type?: string; url?: string }) => {
      if (m?.type === 'listening' && m.url) resolve({ proc, url: m.url, output: () => out, exited });
    });
    void exited.then((code) => reject(new Error(`gateway exited with ${code}:\n${out}`)));
  });
}

interface LogLine {
  msg?: string;
  pid: number;
  level: number;
  supergraph?: string;
  previous?: string;
  reason?: string;
}
const logLines = (gw: Running): LogLine[] =>
  gw
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);

/** One POST; `fresh` uses a new connection (the cluster hands out connections, not requests). */
function post(url: string, query: string, fresh = false): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent: fresh ? false : undefined, headers: { 'content-type': 'application/json' } },
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

/** Replaces the file the way editors and `mv` do: a new file renamed onto the old name. */
function replace(file: string, text: string): void {
  writeFileSync(`${file}.next`, text);
  renameSync(`${file}.next`, file);
}

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const TOP = '{ topProducts { name } }';
const TOP_ANSWER = JSON.stringify({
  data: { topProducts: [{ name: 'Bàn làm việc' }, { name: 'Ghế xoay' }] },
});
const REVIEW_COUNT = JSON.stringify({ data: { reviewCount: 3 } });

describe.each(['govgraph', 'apollo'])('the %s engine', (engine) => {
  test('a new supergraph under load: no request fails; then invalid ones are refused and logged', async () => {
    const file = path.join(dir, 'supergraph.graphql');
    writeFileSync(file, v1);
    const gw = await startGateway(file, { GATEWAY_ENGINE: engine });
    expect(JSON.parse((await post(gw.url, '{ reviewCount }')).body)).toMatchObject({
      errors: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
    });

    // Four clients in a loop until a while after the swap.
    const failures: string[] = [];
    let sent = 0;
    let running = true;
    const client = async () => {
      while (running) {
        sent++;
        const res = await post(gw.url, TOP).catch((error: Error) => ({ status: 0, body: error.message }));
        if (res.status !== 200 || res.body.trim() !== TOP_ANSWER) failures.push(`${res.status} ${res.body}`);
      }
    };
    const clients = Promise.all([client(), client(), client(), client()]);
    // Counted, not timed: on a loaded machine 500 ms may hold few requests.
    await until(() => sent > 10);
    const sentBefore = sent;
    replace(file, v2);
    await until(() => logLines(gw).some((l) => l.msg === 'supergraph reloaded'));
    const sentAtReload = sent;
    await until(() => sent - sentAtReload > 10);
    running = false;
    await clients;
    expect(failures).toEqual([]);
    expect(sentBefore).toBeGreaterThan(10);
    expect(sent - sentBefore).toBeGreaterThan(10);
    const reloaded = logLines(gw).find((l) => l.msg === 'supergraph reloaded')!;
    expect(reloaded).toMatchObject({
      supergraph: supergraphVersion(v2).hash,
      previous: supergraphVersion(v1).hash,
    });
    expect((await post(gw.url, '{ reviewCount }')).body.trim()).toBe(REVIEW_COUNT);

    // Written in place (not renamed): a syntax error, then a valid SDL that is no supergraph.
    for (const [text, reason] of [
      ['type Query {', /^Syntax Error/],
      ['type Query { a: Int }', /supergraph|@link|core/i],
    ] as const) {
      writeFileSync(file, text);
      const hash = supergraphVersion(text).hash;
      await until(() => logLines(gw).some((l) => l.supergraph === hash));
      const refused = logLines(gw).find((l) => l.supergraph === hash)!;
      expect(refused).toMatchObject({
        level: 50,
        msg: 'supergraph refused; the current one keeps serving',
        reason: expect.stringMatching(reason),
      });
      expect((await post(gw.url, '{ reviewCount }')).body.trim()).toBe(REVIEW_COUNT);
    }
    const ready = await fetch(new URL('/ready', gw.url));
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      supergraph: {
        hash: supergraphVersion(v2).hash,
        reloads: 1,
        refusals: 2,
        lastRefused: { hash: supergraphVersion('type Query { a: Int }').hash },
      },
    });

    gw.proc.kill('SIGTERM');
    expect(await gw.exited).toBe(0);
  });
});

test('with two workers, both switch to the new supergraph and the primary logs that they agree', async () => {
  const file = path.join(dir, 'supergraph.graphql');
  writeFileSync(file, v1);
  const gw = await startGateway(file, { GATEWAY_WORKERS: '2' });
  const agree = (hash: string) =>
    logLines(gw).some((l) => l.msg === 'gateway workers agree on the supergraph' && l.supergraph === hash);
  await until(() => agree(supergraphVersion(v1).hash));

  replace(file, v2);
  const hash = supergraphVersion(v2).hash;
  await until(() => agree(hash));
  const workers = new Set(
    logLines(gw)
      .filter((l) => l.msg === 'supergraph reloaded' && l.supergraph === hash)
      .map((l) => l.pid),
  );
  expect(workers.size).toBe(2);
  expect(workers.has(gw.proc.pid!)).toBe(false);
  for (let i = 0; i < 8; i++)
    expect((await post(gw.url, '{ reviewCount }', true)).body.trim()).toBe(REVIEW_COUNT);

  gw.proc.kill('SIGTERM');
  expect(await gw.exited).toBe(0);
});
