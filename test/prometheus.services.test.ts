/**
 * Debian's Prometheus (/usr/bin/prometheus, .ci/run installs it) scraping a running gateway over
 * two fixture subgraphs every second, on the gateway's operators' listener (GATEWAY_METRICS_PORT):
 * after real traffic, Prometheus' own HTTP API (/api/v1/query) returns the per-subgraph fetch
 * latency series with the counts the traffic made. Proves the exposition is one Prometheus ingests.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { JOIN_QUERY, post, useGatewayStack } from '../gateway/test/support/gatewayStack';

jest.setTimeout(90_000);

const PROMETHEUS = process.env.TEST_PROMETHEUS ?? '/usr/bin/prometheus';
const stack = useGatewayStack({ startGateway: false });
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
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

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

test('Prometheus scrapes the gateway and answers the per-subgraph fetch latency series', async () => {
  const { url, operatorUrl } = await stack.startGateway({ GATEWAY_METRICS_PORT: '0' });
  const target = new URL(operatorUrl!).host;
  dir = mkdtempSync(path.join(os.tmpdir(), 'govgraph-prometheus-'));
  writeFileSync(
    path.join(dir, 'prometheus.yml'),
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      '  - job_name: govgraph-gateway',
      '    static_configs:',
      `      - targets: ['${target}']`,
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

  for (let i = 0; i < 5; i++)
    expect((await post(url, { query: `query Join ${JOIN_QUERY}` })).status).toBe(200);

  const series = await until('the fetch latency series with 5 reviews fetches', async () => {
    const result = await query(
      api,
      'govgraph_gateway_subgraph_fetch_duration_seconds_count{job="govgraph-gateway"}',
    );
    const reviews = result.find((s) => s.metric.subgraph === 'reviews');
    return reviews?.value[1] === '5' ? result : undefined;
  });
  expect(Object.fromEntries(series.map((s) => [s.metric.subgraph, s.value[1]]))).toEqual({
    products: '5',
    reviews: '5',
  });

  const up = await query(api, 'up{job="govgraph-gateway"}');
  expect(up.map((s) => s.value[1])).toEqual(['1']);
  const requests = await query(api, 'sum(govgraph_gateway_requests_total{operation="Join",outcome="ok"})');
  expect(requests.map((s) => s.value[1])).toEqual(['5']);
});
