/**
 * Spans are not lost at shutdown (issue 16): a real gateway process and a real subgraph process (the
 * budgets subgraph's main.ts on an embedded PostgreSQL server of this file's own) export to a small
 * OTLP/HTTP receiver in the test. Their batch delay is set far beyond the test's length, so the spans
 * of a request can only reach the receiver if SIGTERM flushes them before the process exits — also
 * from each worker of a two-worker gateway — and a collector that never answers holds the exit only
 * for the flush timeout.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../kit/embedded-postgres';
import type { EmbeddedPostgres } from '../kit/embedded-postgres';
import { ROOT } from '../schema/registry';
import { startProducts, startReviews, writeSupergraph } from '../gateway/test/support/fixtures';
import type { RunningServer } from '../gateway/test/support/fixtures';
import { JOIN_QUERY, post } from '../gateway/test/support/gatewayStack';
import { startOtlpReceiver } from '../gateway/test/support/otlpReceiver';
import type { OtlpReceiver } from '../gateway/test/support/otlpReceiver';
import { BUDGETS_DB, LAP_THACH, startBudgets } from './support/subgraphProcess';

jest.setTimeout(180_000);

const NEVER = String(3_600_000); // the batch delay: no scheduled export happens during the test
let receiver: OtlpReceiver;
const processes: ChildProcess[] = [];

beforeEach(async () => (receiver = await startOtlpReceiver()));
afterEach(async () => {
  for (const proc of processes.splice(0))
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  await receiver.close();
});

const exitOf = (proc: ChildProcess): Promise<number | string> =>
  proc.exitCode !== null
    ? Promise.resolve(proc.exitCode)
    : new Promise((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));

describe('the gateway', () => {
  let products: RunningServer;
  let reviews: RunningServer;
  let supergraph: ReturnType<typeof writeSupergraph>;
  beforeAll(async () => {
    [products, reviews] = await Promise.all([startProducts(), startReviews()]);
    supergraph = writeSupergraph({ products: products.url, reviews: reviews.url });
  });
  afterAll(async () => {
    await Promise.all([products?.close(), reviews?.close()]);
    supergraph?.cleanup();
  });

  function startGateway(
    endpoint = receiver.url,
    extra: Record<string, string> = {},
  ): Promise<{ proc: ChildProcess; url: string; output(): string }> {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GATEWAY_')));
    const proc = fork(path.join(ROOT, 'gateway/main.ts'), ['--supergraph', supergraph.file], {
      execArgv: ['--import', 'tsx'],
      env: {
        ...env,
        GATEWAY_PORT: '0',
        LOG_LEVEL: 'warn',
        GATEWAY_RATE_LIMIT_PER_IP: '0',
        GATEWAY_SHUTDOWN_DELAY: '0',
        GATEWAY_TRACING_ENDPOINT: endpoint,
        GATEWAY_TRACING_EXPORT_DELAY: NEVER,
        ...extra,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    processes.push(proc);
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    return new Promise((resolve, reject) => {
      proc.on('message', (m: { type?: string; url?: string }) => {
        if (m?.type === 'listening' && m.url) resolve({ proc, url: m.url, output: () => out });
      });
      proc.once('exit', (code) => reject(new Error(`gateway exited with ${code}:\n${out}`)));
    });
  }

  test('SIGTERM exports the spans still in the batch before the process exits', async () => {
    const gateway = await startGateway();
    const res = await post(gateway.url, { query: `query Join ${JOIN_QUERY}` });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.spans()).toEqual([]); // still batched: only a flush can send them now

    gateway.proc.kill('SIGTERM');
    expect(await exitOf(gateway.proc)).toBe(0);
    const spans = receiver.spans();
    const root = spans.find(
      (s) => s.name === 'graphql.request' && s.attributes['graphql.operation.name'] === 'Join',
    );
    expect(root).toBeDefined();
    const fetches = spans.filter((s) => s.name === 'subgraph.fetch' && s.traceId === root!.traceId);
    expect(fetches.map((s) => s.attributes['govgraph.subgraph']).sort()).toEqual(['products', 'reviews']);
  });

  test('with two workers, SIGTERM to the primary: each worker flushes its own spans', async () => {
    const gateway = await startGateway(receiver.url, { GATEWAY_WORKERS: '2' });
    // A new connection per request: the primary hands connections to the workers in turn.
    for (let i = 0; i < 4; i++) {
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', connection: 'close' },
        body: JSON.stringify({ query: `query Join${i} ${JOIN_QUERY}` }),
      });
      expect(res.status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.spans()).toEqual([]);

    gateway.proc.kill('SIGTERM');
    expect(await exitOf(gateway.proc)).toBe(0);
    const roots = receiver.spans().filter((s) => s.name === 'graphql.request');
    expect(roots.map((s) => s.attributes['graphql.operation.name']).sort()).toEqual([
      'Join0',
      'Join1',
      'Join2',
      'Join3',
    ]);
    // Two processes exported: two export requests at least (one per worker's flush).
    expect(receiver.requests()).toBeGreaterThanOrEqual(2);
  });

  test('a collector that does not answer holds the exit no longer than the flush timeout', async () => {
    const silent = createServer(() => undefined); // accepts connections, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const gateway = await startGateway(`http://127.0.0.1:${port}/v1/traces`);
      expect((await post(gateway.url, { query: JOIN_QUERY })).status).toBe(200);
      const t0 = Date.now();
      gateway.proc.kill('SIGTERM');
      expect(await exitOf(gateway.proc)).toBe(0);
      // GATEWAY_TRACING_FLUSH_TIMEOUT's default (3 s), plus the process's own exit.
      expect(Date.now() - t0).toBeGreaterThanOrEqual(3000);
      expect(Date.now() - t0).toBeLessThan(8000);
      expect(gateway.output()).toContain('did not take the last spans in time');
    } finally {
      silent.close();
    }
  });
});

describe('a subgraph', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'govgraph-flush-'));
  let server: EmbeddedPostgres;
  beforeAll(async () => {
    server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'postgres'), settings: { fsync: 'off' } });
    await server.ensureDatabase(BUDGETS_DB);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('SIGTERM exports the request and statement spans still in the batch', async () => {
    const budgets = await startBudgets(server, {
      BUDGETS_TRACING_ENDPOINT: receiver.url,
      BUDGETS_TRACING_EXPORT_DELAY_MS: NEVER,
    });
    processes.push(budgets.proc);
    const trace = '5b8aa5a2d2c872e8321cf37308d69df2';
    const res = await fetch(budgets.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        traceparent: `00-${trace}-051581bf3cb55c13-01`,
        ...(await budgets.headers()),
      },
      body: JSON.stringify({
        query: `{ budgetLines(filter: { agencyCode: "${LAP_THACH}", fiscalYear: 2024, direction: CHI }, first: 1) { nodes { id } } }`,
      }),
    });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.spans()).toEqual([]);

    budgets.proc.kill('SIGTERM');
    expect(await budgets.exited).toBe(0);
    const ours = receiver.spans().filter((s) => s.traceId === trace);
    const request = ours.find((s) => s.name === 'subgraph.request');
    expect(request?.parentSpanId).toBe('051581bf3cb55c13');
    const statements = ours.filter((s) => s.name === 'db.statement');
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) expect(s.parentSpanId).toBe(request!.spanId);
  });
});
