/**
 * A bounded soak of supergraph reloads: a gateway process (`gateway/main.ts`, as `npm start` starts
 * it, GATEWAY_SUPERGRAPH_WATCH=watch) over the two fixture subgraphs, four clients in a loop, and
 * its supergraph file renamed-over every SOAK_RELOAD_MS by the other of two versions (with and
 * without the reviews subgraph). Every SOAK_SAMPLE_MS it samples the gateway's RSS and open file
 * descriptors (/proc, Linux); at the end it prints the samples, the reload and request counts and
 * the failed requests (there must be none), and exits 1 if a request failed, a reload was refused,
 * or the descriptors grew. RSS lags garbage collection, so a second phase runs a gateway in this
 * process (started with --expose-gc) through SOAK_HEAP_RELOADS reloads and prints the heap in use
 * after a full collection every quarter: flat means no version is retained.
 *
 *   npm run soak:reload                         (60 s, a reload a second, the govgraph engine)
 *   SOAK_SECONDS=300 GATEWAY_ENGINE=apollo npm run soak:reload
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadGatewayConfig } from '../gateway/config';
import { defaultFeatures } from '../gateway/features';
import { createGateway } from '../gateway/server';
import { PRODUCTS_SDL, REVIEWS_SDL, startProducts, startReviews } from '../gateway/test/support/fixtures';
import { composeSupergraph } from '../schema/compose';
import { ROOT } from '../schema/registry';

const seconds = Number(process.env.SOAK_SECONDS ?? 60);
const reloadMs = Number(process.env.SOAK_RELOAD_MS ?? 1000);
const sampleMs = Number(process.env.SOAK_SAMPLE_MS ?? 5000);
const engine = process.env.GATEWAY_ENGINE ?? 'govgraph';
const heapReloads = Number(process.env.SOAK_HEAP_RELOADS ?? 100);

const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const fds = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;

async function main(): Promise<void> {
  const [products, reviews] = await Promise.all([startProducts(), startReviews()]);
  const versions = [
    composeSupergraph([{ name: 'products', url: products.url, typeDefs: PRODUCTS_SDL }]),
    composeSupergraph([
      { name: 'products', url: products.url, typeDefs: PRODUCTS_SDL },
      { name: 'reviews', url: reviews.url, typeDefs: REVIEWS_SDL },
    ]),
  ];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'govgraph-soak-'));
  const file = path.join(dir, 'supergraph.graphql');
  writeFileSync(file, versions[0]!);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GATEWAY_')));
  const gateway = fork(path.join(ROOT, 'gateway/main.ts'), ['--supergraph', file], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...env,
      GATEWAY_PORT: '0',
      GATEWAY_ENGINE: engine,
      GATEWAY_SUPERGRAPH_WATCH: 'watch',
      GATEWAY_RATE_LIMIT_PER_IP: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  let log = '';
  gateway.stdout!.on('data', (c: Buffer) => (log += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    gateway.on('message', (m: { type?: string; url?: string }) => m?.type === 'listening' && resolve(m.url!));
    gateway.on('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
  });
  const pid = gateway.pid!;

  let running = true;
  let requests = 0;
  const failures: string[] = [];
  const client = async () => {
    while (running) {
      requests++;
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ topProducts { upc name } }' }),
      }).catch((error: Error) => ({ status: 0, text: async () => error.message }));
      const text = await res.text();
      if (res.status !== 200 || !text.includes('"topProducts"') || text.includes('"errors"'))
        failures.push(`${res.status} ${text.slice(0, 200)}`);
    }
  };
  const clients = Promise.all([client(), client(), client(), client()]);

  let reloads = 0;
  const reloader = setInterval(() => {
    reloads++;
    writeFileSync(`${file}.next`, versions[reloads % 2]!);
    renameSync(`${file}.next`, file);
  }, reloadMs);
  const samples: { s: number; rssMb: number; fds: number; requests: number }[] = [];
  const started = Date.now();
  const sample = () =>
    samples.push({
      s: Math.round((Date.now() - started) / 1000),
      rssMb: Math.round(rssMb(pid)),
      fds: fds(pid),
      requests,
    });
  sample();
  const sampler = setInterval(sample, sampleMs);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  clearInterval(reloader);
  clearInterval(sampler);
  await new Promise((resolve) => setTimeout(resolve, 500));
  sample();
  running = false;
  await clients;

  const ready = (await (await fetch(new URL('/ready', url))).json()) as {
    supergraph?: { reloads: number; refusals: number };
  };
  gateway.kill('SIGTERM');
  await new Promise((resolve) => gateway.once('exit', resolve));
  await Promise.all([products.close(), reviews.close()]);
  rmSync(dir, { recursive: true, force: true });

  console.table(samples);
  const first = samples[1] ?? samples[0]!;
  const last = samples[samples.length - 1]!;
  console.log(
    `engine ${engine}, ${seconds} s: ${reloads} file replacements, gateway reloads ${ready.supergraph?.reloads}, ` +
      `refusals ${ready.supergraph?.refusals}, ${requests} requests, ${failures.length} failed; ` +
      `RSS ${first.rssMb} → ${last.rssMb} MB, fds ${first.fds} → ${last.fds} (from the first interval on)`,
  );
  for (const failure of failures.slice(0, 5)) console.log(`failed: ${failure}`);
  if (log.trim()) console.log(`gateway warnings:\n${log.slice(0, 2000)}`);
  const fdGrowth = last.fds - first.fds;
  if (failures.length > 0 || ready.supergraph?.refusals || fdGrowth > 5) process.exitCode = 1;
  await heapPhase();
}

/** Reloads a gateway in this process and prints the heap in use after a full collection. */
async function heapPhase(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return console.log('heap phase skipped: run with node --expose-gc (npm run soak:reload does)');
  const [products, reviews] = await Promise.all([startProducts(), startReviews()]);
  const versions = [
    composeSupergraph([{ name: 'products', url: products.url, typeDefs: PRODUCTS_SDL }]),
    composeSupergraph([
      { name: 'products', url: products.url, typeDefs: PRODUCTS_SDL },
      { name: 'reviews', url: reviews.url, typeDefs: REVIEWS_SDL },
    ]),
  ];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'govgraph-soak-heap-'));
  const file = path.join(dir, 'supergraph.graphql');
  writeFileSync(file, versions[0]!);
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const config = loadGatewayConfig(
    {
      GATEWAY_PORT: '0',
      SUPERGRAPH_PATH: file,
      GATEWAY_SUPERGRAPH_WATCH: 'watch',
      GATEWAY_ENGINE: engine,
      GATEWAY_RATE_LIMIT_PER_IP: '0',
    },
    [],
    defaultFeatures,
  );
  const gateway = createGateway(config, { logger: pino({ level: 'silent' }), features: defaultFeatures });
  const { url } = await gateway.start();
  const heapMb = () => {
    gc();
    gc();
    return Math.round(process.memoryUsage().heapUsed / 1e6);
  };
  const rows: { reloads: number; heapUsedMb: number }[] = [{ reloads: 0, heapUsedMb: heapMb() }];
  for (let i = 1; i <= heapReloads; i++) {
    const reloaded = new Promise<void>((resolve) => {
      const off = gateway.supergraph.onReload(() => {
        off();
        resolve();
      });
    });
    writeFileSync(`${file}.next`, versions[i % 2]!);
    renameSync(`${file}.next`, file);
    await reloaded;
    for (let k = 0; k < 5; k++)
      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ topProducts { name } }' }),
      }).then((r) => r.text());
    if (i % Math.max(1, Math.floor(heapReloads / 4)) === 0) rows.push({ reloads: i, heapUsedMb: heapMb() });
  }
  await gateway.stop();
  await Promise.all([products.close(), reviews.close()]);
  rmSync(dir, { recursive: true, force: true });
  console.table(rows);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
