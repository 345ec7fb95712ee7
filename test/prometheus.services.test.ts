/**
 * Debian's Prometheus (/usr/bin/prometheus, .ci/run installs it) scraping a running stack every
 * second: the gateway on its operators' listener (GATEWAY_METRICS_PORT) and each subgraph on its own
 * metrics listener (`<NAME>_METRICS_PORT`), here the budgets and mail subgraphs behind the gateway on
 * throw-away databases. After real traffic through the gateway, Prometheus' own HTTP API
 * (/api/v1/query) returns the per-subgraph fetch latency series with the counts the traffic made,
 * and each subgraph's request and statement series. Proves the expositions are ones Prometheus ingests.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../common/freePort';
import { loadRegistry } from '../schema/registry';
import { startFederatedStack } from './support/subgraphs';
import type { FederatedStack } from './support/subgraphs';

jest.setTimeout(180_000);

const PROMETHEUS = process.env.TEST_PROMETHEUS ?? '/usr/bin/prometheus';
let stack: FederatedStack | undefined;
let prometheus: ChildProcess | undefined;
let dir: string | undefined;
let log = '';

afterAll(async () => {
  if (prometheus && prometheus.exitCode === null) {
    const exited = new Promise((resolve) => prometheus!.once('exit', resolve));
    prometheus.kill('SIGTERM');
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
  await stack?.close();
});

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(api: string, promql: string): Promise<Sample[]> {
  const res = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await res.json()) as { status: string; data: { result: Sample[] } };
  expect(body.status).toBe('success');
  return body.data.result;
}

async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 45_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; prometheus said:\n${log}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** One operation that reaches both subgraphs: a budget disclosure (budgets) and an agency's officials (mail). */
const QUERY = `query Both {
  budgetDisclosure(agencyCode: "000.00.00.H26", year: 2024) { fiscalYear agency { code } }
  officials(agencyCode: "000.00.00.H26", first: 1) { nodes { id } }
}`;
const SUBGRAPHS = ['budgets', 'mail'];

test('Prometheus scrapes the gateway and the subgraphs, and answers their series', async () => {
  stack = await startFederatedStack({
    registry: loadRegistry().filter((e) => SUBGRAPHS.includes(e.name)),
    scale: 0.01,
    subgraphMetrics: true,
    gatewayEnv: { GATEWAY_METRICS_PORT: '0', GATEWAY_RATE_LIMIT_PER_IP: '0' },
  });
  const targets: [string, string][] = [['govgraph-gateway', new URL(stack.operatorUrl!).host]];
  for (const name of SUBGRAPHS)
    targets.push([`govgraph-${name}`, new URL(await stack.subgraphs.get(name)!.listenMetrics()).host]);
  dir = mkdtempSync(path.join(os.tmpdir(), 'govgraph-prometheus-'));
  writeFileSync(
    path.join(dir, 'prometheus.yml'),
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      ...targets.flatMap(([job, target]) => [
        `  - job_name: ${job}`,
        '    static_configs:',
        `      - targets: ['${target}']`,
      ]),
      '',
    ].join('\n'),
  );
  const port = await freePort();
  prometheus = spawn(
    PROMETHEUS,
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  prometheus.stdout!.on('data', (c: Buffer) => (log += c.toString()));
  prometheus.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  const api = `http://127.0.0.1:${port}`;
  await until('prometheus to be ready', async () => ((await fetch(`${api}/-/ready`)).ok ? true : undefined));

  const analyst = await stack.token({ role: 'analyst', sub: 'analyst-1' });
  for (let i = 0; i < 5; i++) {
    const res = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${analyst}` },
      body: JSON.stringify({ query: QUERY }),
    });
    const body = (await res.json()) as { errors?: unknown; data?: { officials?: unknown } };
    expect(body.errors).toBeUndefined();
    expect(body.data?.officials).toBeDefined();
  }

  const series = await until('the fetch latency series with 5 fetches of each subgraph', async () => {
    const result = await query(
      api,
      'govgraph_gateway_subgraph_fetch_duration_seconds_count{job="govgraph-gateway"}',
    );
    return result.length === 2 && result.every((s) => s.value[1] === '5') ? result : undefined;
  });
  expect(Object.fromEntries(series.map((s) => [s.metric.subgraph, s.value[1]]))).toEqual({
    budgets: '5',
    mail: '5',
  });
  // Each target is scraped on its own schedule (Prometheus spreads them over the interval).
  const up = await until('every target scraped', async () => {
    const result = await query(api, 'up');
    return result.length === 3 ? result : undefined;
  });
  expect(Object.fromEntries(up.map((s) => [s.metric.job, s.value[1]]))).toEqual({
    'govgraph-gateway': '1',
    'govgraph-budgets': '1',
    'govgraph-mail': '1',
  });
  const requests = await query(api, 'sum(govgraph_gateway_requests_total{operation="Both",outcome="ok"})');
  expect(requests.map((s) => s.value[1])).toEqual(['5']);

  // Each subgraph's own series, from its own listener: the 5 requests the gateway sent it, and the
  // statements they ran on its pool.
  for (const name of SUBGRAPHS) {
    const job = `govgraph-${name}`;
    const answered = await until(`${name}'s request series`, async () => {
      const result = await query(api, `govgraph_subgraph_requests_total{job="${job}",status="2xx"}`);
      return result[0]?.value[1] === '5' ? result : undefined;
    });
    expect(answered.map((s) => s.value[1])).toEqual(['5']);
    const statements = await query(
      api,
      `sum(govgraph_subgraph_db_statement_duration_seconds_count{job="${job}",outcome="ok"})`,
    );
    expect(Number(statements[0]?.value[1])).toBeGreaterThanOrEqual(5);
    const pool = await query(api, `govgraph_subgraph_db_pool_connections{job="${job}"}`);
    expect(pool.map((s) => s.metric.state).sort()).toEqual(['idle', 'in_use', 'waiting']);
  }
});
