/**
 * `npm run bench`: load test of the running stack. Starts everything `npm start` starts (free ports,
 * a throwaway data directory or BENCH_DATA_DIR to reuse a seeded one, BENCH_SCALE seed), then drives
 * the gateway with a fixed number of concurrent clients per scenario for BENCH_SECONDS and prints
 * requests/s and latency percentiles.
 *
 *   BENCH_SCALE=1 BENCH_SECONDS=10 BENCH_CONCURRENCY=16 npm run bench
 *   BENCH_ENGINES=govgraph,apollo BENCH_ONLY="dossier status,scorecard" npm run bench  (Workload B)
 *
 * BENCH_DATABASE_URL (a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres) puts every
 * subgraph's database on that server instead of the embedded one: `govgraph_bench_<name>`, created and
 * seeded when missing, kept and reused after. BENCH_ONLY runs only the scenarios whose name
 * contains it. `<NAME>_SEED_SCALE` sets one subgraph's scale (docs/benchmarks.md).
 *
 * Traffic goes to 127.0.0.1 only; every loop is bounded in time.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { env, envPrefix, readEnv, rejectUnknown } from '../common/env';
import { loadSecret } from '../kit/embedded-postgres/auth';
import { adminQuery } from '../kit/runtime/db';
import { SCORECARD_QUERY } from '../schema/examples';
import { loadRegistry, ROOT } from '../schema/registry';
import { signDevToken } from './devKeys';

const shape = {
  BENCH_SECONDS: env.integer(1, 3600).default(10),
  BENCH_CONCURRENCY: env.integer(1, 1000).default(16),
  BENCH_SCALE: env.decimal(0, 1000).default(1),
  BENCH_DATA_DIR: env.text().optional(),
  /** A PostgreSQL server to run on instead of the embedded one (databases `govgraph_bench_<name>`, kept). */
  BENCH_DATABASE_URL: env.postgresUrl().optional(),
  /** Gateway engines to run the scenarios on, one stack start each (same data): `govgraph,apollo`. */
  BENCH_ENGINES: env.text().default('govgraph'),
  /** Only the scenarios whose name contains one of these comma-separated words. */
  BENCH_ONLY: env.text().optional(),
};
rejectUnknown(process.env, 'BENCH_', Object.keys(shape));
const b = readEnv(process.env, shape);
const settings = {
  SECONDS: b.BENCH_SECONDS,
  CONCURRENCY: b.BENCH_CONCURRENCY,
  SCALE: b.BENCH_SCALE,
  DATA_DIR: b.BENCH_DATA_DIR,
  DATABASE_URL: b.BENCH_DATABASE_URL,
  ENGINES: b.BENCH_ENGINES.split(',').map((e) => e.trim()),
  ONLY: b.BENCH_ONLY?.split(',').map((w) => w.trim()),
};
const seconds = settings.SECONDS;
const concurrency = settings.CONCURRENCY;
const scale = String(settings.SCALE);

/** `as`: the role whose development token the scenario sends (anonymous without one). */
const SCENARIOS: { name: string; query: string; variables?: Record<string, unknown>; as?: 'analyst' }[] = [
  { name: 'typename (gateway overhead only)', query: '{ __typename }' },
  {
    name: 'portal: document by id',
    query: 'query($id: ID!) { document(id: $id) { numberSymbol subject issuedDate issuer { name } } }',
    variables: { id: '1' },
  },
  {
    // The headline query (examples/analyst/01-scorecard.graphql), the one scorecard scenario: Bắc Từ Liêm and its
    // 13 wards in 2024 (the busiest full year of the seed), seven KPIs from five subgraphs with the
    // previous year, the change and the ranks among siblings; the district's row rolls up its wards.
    name: 'analyst: scorecard of a district and its wards',
    as: 'analyst',
    query: SCORECARD_QUERY,
    variables: {
      agency: '000.00.21.H26',
      period: { from: '2024-01-01', to: '2024-12-31' },
      year: 2024,
      asOf: '2024-12-31',
      withSubordinates: true,
    },
  },
  {
    name: 'analyst: 20 documents with nested fields',
    as: 'analyst',
    query: `{ documents(first: 20) { nodes { numberSymbol subject issuer { name parent { name } }
      recipients { name } assignments { state } } } }`,
  },
  {
    name: 'portal: dossier status by code',
    query: `query($c: String!) { dossierStatus(code: $c) { status statusCode dueDate timeliness
      procedure { name } agency { name } } }`,
    variables: { c: '000.00.46.H62-170103-0001' },
  },
  {
    name: 'analyst: 100 dossiers with agency, procedure',
    as: 'analyst',
    query: `{ dossiers(first: 100) { nodes { code status timeliness agency { name }
      procedure { name onlineLevel } applicant { name } steps { status } } } }`,
  },
  {
    name: 'analyst: 100 dossiers with result documents and land parcels',
    as: 'analyst',
    query: `{ dossiers(first: 100, filter: { agencyCode: "000.00.21.H26", includeSubordinates: true }) { nodes {
      code procedure { name landRelated } applicant { name } resultDocument { numberSymbol }
      parcel { id area currentCommune { name } certificates { issueSerial } } } } }`,
  },
  {
    name: 'search (accent-insensitive)',
    query: '{ searchDocuments(query: "chuyen doi so", first: 10) { nodes { numberSymbol } } }',
  },
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function drive(
  url: string,
  body: string,
  seconds: number,
  headers: Record<string, string>,
): Promise<{ rps: number; p50: number; p95: number; p99: number; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const t = performance.now();
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body,
          });
          const json = (await res.json()) as { errors?: unknown };
          if (res.status !== 200 || json.errors) errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors,
  };
}

async function main(): Promise<void> {
  // A kept data folder (BENCH_DATA_DIR) is seeded once and reused: large scales take minutes to seed.
  // Without one, a throwaway folder is shared by the engines' runs (seeded by the first).
  const dataDir = settings.DATA_DIR
    ? path.resolve(settings.DATA_DIR)
    : mkdtempSync(path.join(tmpdir(), 'govgraph-bench-'));
  const serverDbs = settings.DATABASE_URL ? await serverDatabases(settings.DATABASE_URL) : {};
  const scenarios = SCENARIOS.filter((s) => !settings.ONLY || settings.ONLY.some((w) => s.name.includes(w)));
  try {
    for (const engine of settings.ENGINES) await runEngine(engine, dataDir, serverDbs, scenarios);
  } finally {
    if (!settings.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
  }
}

async function runEngine(
  engine: string,
  dataDir: string,
  serverDbs: Record<string, string>,
  scenarios: typeof SCENARIOS,
): Promise<void> {
  const stack = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/start.ts')], {
    env: {
      ...process.env,
      ...serverDbs,
      // A first run seeds before the stack listens: minutes at a large scale.
      GOVGRAPH_READY_TIMEOUT_S: '86400',
      GOVGRAPH_EPHEMERAL_PORTS: '1',
      GOVGRAPH_DATA_DIR: dataDir,
      GOVGRAPH_SEED_SCALE: scale,
      GOVGRAPH_LOG_LEVEL: 'error',
      GATEWAY_ENGINE: engine,
      // One client drives all the load: the per-IP limiter still counts every request, never refuses…
      GATEWAY_RATE_LIMIT_PER_IP: process.env.GATEWAY_RATE_LIMIT_PER_IP ?? '100000000',
      // …and it signs in as one analyst: the same for the per-subject limiter.
      GATEWAY_RATE_LIMIT_PER_SUBJECT: process.env.GATEWAY_RATE_LIMIT_PER_SUBJECT ?? '100000000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => stack.once('exit', resolve));
  const stop = async (): Promise<void> => {
    stack.kill('SIGINT');
    await exited; // the stack stops its database server before the folder goes
  };
  try {
    const up = await new Promise<string>((resolve, reject) => {
      let out = '';
      stack.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        if (/Press Ctrl-C/.test(out)) resolve(out);
      });
      stack.on('exit', (code) => reject(new Error(`stack exited with ${code}`)));
    });
    const url = /Gateway:\s+(\S+)/.exec(up)![1]!;
    const embedded = /Database:\s+(\S+)/.exec(up)?.[1];
    // start.ts prints the embedded URL with its password masked: the secret file beside the cluster has it.
    const appPassword = (): string =>
      encodeURIComponent(loadSecret(path.join(dataDir, 'postgres.secret'), false).secret.app);
    const dbUrl = (name: string): string =>
      serverDbs[`${envPrefix(name)}DATABASE_URL`] ??
      embedded!
        .replace(':***@', `:${appPassword()}@`)
        .replace('<db>', `govgraph_${name.toLowerCase().replace(/[^a-z0-9]/g, '_')}`);
    console.log(
      `govgraph benchmark: engine ${engine}, scale ${scale}, ${concurrency} concurrent clients, ${seconds} s per scenario, node ${process.version}`,
    );
    console.log(`stack up in ${/is up \(([\d.]+ s)\)/.exec(up)?.[1]} (seeding included on a first run)`);
    console.log(
      await dataSummary(dbUrl, settings.DATABASE_URL ? 'PostgreSQL server' : 'embedded PostgreSQL'),
    );
    console.log(
      'scenario'.padEnd(52),
      'req/s'.padStart(8),
      'p50 ms'.padStart(8),
      'p95 ms'.padStart(8),
      'p99 ms'.padStart(8),
      'errors'.padStart(7),
    );
    const analyst = {
      authorization: `Bearer ${await signDevToken(dataDir, { role: 'analyst' }, { subject: 'bench', ttlSeconds: 7200 })}`,
    };
    for (const s of scenarios) {
      const body = JSON.stringify({ query: s.query, variables: s.variables });
      const headers = s.as ? analyst : {};
      await drive(url, body, 2, headers); // warm-up: query plans, caches, JIT
      const r = await drive(url, body, seconds, headers);
      console.log(
        s.name.padEnd(52),
        r.rps.toFixed(0).padStart(8),
        r.p50.toFixed(1).padStart(8),
        r.p95.toFixed(1).padStart(8),
        r.p99.toFixed(1).padStart(8),
        String(r.errors).padStart(7),
      );
    }
  } finally {
    await stop();
  }
}

/** `<NAME>_DATABASE_URL` of every subgraph on the server, its database created when missing. */
async function serverDatabases(serverUrl: string): Promise<Record<string, string>> {
  const urls: Record<string, string> = {};
  for (const e of loadRegistry()) {
    const name = `govgraph_bench_${e.name.toLowerCase().replace(/[^a-z0-9]/g, '_')}`;
    const found = await adminQuery(serverUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!found.length) await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
    const u = new URL(serverUrl);
    u.pathname = `/${name}`;
    urls[`${envPrefix(e.name)}DATABASE_URL`] = u.toString();
  }
  return urls;
}

/** What the stack serves: documents and dossiers, and the size of the five databases. */
async function dataSummary(dbUrl: (name: string) => string, where: string): Promise<string> {
  const count = async (name: string, table: string): Promise<number> =>
    Number((await adminQuery<{ n: string }>(dbUrl(name), `SELECT count(*) AS n FROM ${table}`))[0]!.n);
  let bytes = 0;
  for (const e of loadRegistry())
    bytes += Number(
      (await adminQuery<{ b: string }>(dbUrl(e.name), 'SELECT pg_database_size(current_database()) AS b'))[0]!
        .b,
    );
  const n = (x: number): string => x.toLocaleString('en-US');
  return `data on ${where}: ${n(await count('documents', 'documents'))} documents, ${n(
    await count('dossiers', 'dossiers'),
  )} dossiers, ${(bytes / 2 ** 30).toFixed(2)} GiB in the five databases`;
}

main().catch((err: Error) => {
  console.error(`bench: ${err.message}`);
  process.exit(1);
});
