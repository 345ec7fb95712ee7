/**
 * `npm run bench:workers`: the gateway process (`gateway/main.ts`, as `npm start` runs it) with 1
 * and with 2 workers (GATEWAY_WORKERS), and with inbound in-flight deduplication off and on
 * (GATEWAY_DEDUPE_INFLIGHT), over the two in-memory fixture subgraphs of the gateway tests, driven
 * by keep-alive HTTP clients in this process for BENCH_SECONDS per row. Prints requests/s and
 * p50/p99 latency per configuration and query, and checks every response against the first.
 *
 *   BENCH_SECONDS=8 BENCH_CONCURRENCY=32 npm run bench:workers
 *
 * The load generator shares the machine with the gateway: on a 2-core machine 2 workers compete
 * with it for the cores, so read the ratios, not the absolute numbers. Traffic stays on 127.0.0.1.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import path from 'node:path';
import { env, readEnv, rejectUnknown } from '../common/env';
import { startProducts, startReviews, writeSupergraph } from '../gateway/test/fixtures';
import { ROOT } from '../schema/registry';

const shape = {
  BENCH_SECONDS: env.integer(1, 3600).default(8),
  BENCH_CONCURRENCY: env.integer(1, 1000).default(32),
  /** Which configurations to run, comma-separated, e.g. `w1,w2,w1-dedupe`. */
  BENCH_ROWS: env.text().default('w1,w2,w1-dedupe,w2-dedupe'),
};
rejectUnknown(process.env, 'BENCH_', Object.keys(shape));
const settings = readEnv(process.env, shape);

const CONFIGS: Record<string, Record<string, string>> = {
  w1: { GATEWAY_WORKERS: '1' },
  w2: { GATEWAY_WORKERS: '2' },
  'w1-dedupe': { GATEWAY_WORKERS: '1', GATEWAY_DEDUPE_INFLIGHT: 'true' },
  'w2-dedupe': { GATEWAY_WORKERS: '2', GATEWAY_DEDUPE_INFLIGHT: 'true' },
};

const QUERIES = [
  { name: '{ __typename } (gateway only)', query: '{ __typename }' },
  {
    name: 'topProducts with reviews (2 subgraphs)',
    query: '{ topProducts { upc name price reviews { id body } } }',
  },
];

async function startGateway(supergraph: string, extra: Record<string, string>) {
  const gatewayEnv = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('GATEWAY_')),
  );
  const proc: ChildProcess = fork(path.join(ROOT, 'gateway/main.ts'), ['--supergraph', supergraph], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...gatewayEnv,
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'warn',
      GATEWAY_RATE_LIMIT_PER_IP: '0',
      GATEWAY_RATE_LIMIT_PER_SUBJECT: '0',
      ...extra,
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    proc.on('message', (m: { type?: string; url?: string }) => m?.type === 'listening' && resolve(m.url!));
    proc.on('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      proc.removeAllListeners('exit');
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  return { url, stop };
}

function post(agent: Agent, url: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(Buffer.concat(chunks).toString())
            : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function drive(url: string, query: string, seconds: number, expected: string | undefined) {
  const agent = new Agent({ keepAlive: true, maxSockets: settings.BENCH_CONCURRENCY });
  const body = JSON.stringify({ query });
  const latencies: number[] = [];
  let errors = 0;
  let mismatches = 0;
  let first = expected;
  const warmEnd = Date.now() + 1000;
  const end = warmEnd + seconds * 1000;
  const client = async () => {
    while (Date.now() < end) {
      const started = performance.now();
      try {
        const text = await post(agent, url, body);
        first ??= text;
        if (text !== first) mismatches++;
        if (Date.now() > warmEnd) latencies.push(performance.now() - started);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: settings.BENCH_CONCURRENCY }, client));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
  return { rps: latencies.length / seconds, p50: at(0.5), p99: at(0.99), errors, mismatches, first };
}

async function main(): Promise<void> {
  const [products, reviews] = await Promise.all([startProducts(), startReviews()]);
  const supergraph = writeSupergraph({ products: products.url, reviews: reviews.url });
  const rows: string[] = [];
  const baseline = new Map<string, { rps: number; body?: string }>();
  try {
    for (const name of settings.BENCH_ROWS.split(',').map((r) => r.trim())) {
      const extra = CONFIGS[name];
      if (!extra)
        throw new Error(`BENCH_ROWS: unknown row "${name}" (known: ${Object.keys(CONFIGS).join(', ')})`);
      const gateway = await startGateway(supergraph.file, extra);
      try {
        for (const q of QUERIES) {
          const base = baseline.get(q.name);
          const r = await drive(gateway.url, q.query, settings.BENCH_SECONDS, base?.body);
          if (!base) baseline.set(q.name, { rps: r.rps, body: r.first });
          const ratio = base ? `${(r.rps / base.rps).toFixed(2)}×` : '1.00×';
          rows.push(
            `| ${name.padEnd(10)} | ${q.name.padEnd(40)} | ${r.rps.toFixed(0).padStart(6)} | ${ratio.padStart(6)} | ${r.p50.toFixed(1).padStart(6)} | ${r.p99.toFixed(1).padStart(6)} | ${r.errors} | ${r.mismatches} |`,
          );
          console.error(rows[rows.length - 1]);
        }
      } finally {
        await gateway.stop();
      }
    }
  } finally {
    await Promise.all([products.close(), reviews.close()]);
    supergraph.cleanup();
  }
  console.log(
    `\n${settings.BENCH_CONCURRENCY} clients, ${settings.BENCH_SECONDS} s per row after 1 s warm-up; ratio to the first row\n`,
  );
  console.log(
    '| config     | query                                    |  req/s |  ratio | p50 ms | p99 ms | errors | different |',
  );
  console.log(
    '| ---------- | ---------------------------------------- | -----: | -----: | -----: | -----: | -----: | --------: |',
  );
  for (const row of rows) console.log(row);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
