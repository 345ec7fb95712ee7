/**
 * `npm run bench:startup`: start-up time and memory of the compiled processes (dist/, `npm run build`
 * first) against the same sources run through tsx. For the gateway and the documents subgraph, RUNS
 * times each, alternating tsx and compiled so both see the same machine load:
 *
 * - ready: milliseconds from spawning `node …` until the first `GET /ready` answers 200 (polled every
 *   5 ms on a port chosen up front);
 * - cpu: the CPU time (user + system, /proc/<pid>/stat) the process used until then — on a shared
 *   machine the steadier figure, as it does not count time spent waiting for a core;
 * - rss / peak: the process's resident set (VmRSS) and its high-water mark (VmHWM) at that moment,
 *   from /proc; `tree` adds its child processes (tsx's esbuild service).
 *
 * The subgraph serves a database that is already migrated and seeded (a warm-up start of each kind
 * seeds it and is not counted): DOCUMENTS_DATABASE_URL, default `govgraph_startup` on the PostgreSQL
 * server at BENCH_STARTUP_SERVER (postgres://postgres@127.0.0.1:5432/postgres), created when missing.
 * Prints one line per run and the medians as a Markdown table (docs/build.md).
 *
 *   npm run build && BENCH_STARTUP_RUNS=7 npm run bench:startup
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { env, readEnv } from '../common/env';
import { generateGatewayKeys } from '../common/identity';
import { adminQuery } from '../kit/runtime/db';
import { ROOT } from '../schema/registry';
import { freePort } from '../common/freePort';

const settings = readEnv(process.env, {
  BENCH_STARTUP_RUNS: env.integer(1, 100).default(7),
  BENCH_STARTUP_SERVER: env.postgresUrl().default('postgres://postgres@127.0.0.1:5432/postgres'),
});
const DIST = path.join(ROOT, 'dist');
const READY_TIMEOUT_MS = 120_000;

interface Sample {
  readyMs: number;
  cpuMs: number;
  rssMb: number;
  peakMb: number;
  treeMb: number;
}

interface Subject {
  name: string;
  /** The arguments after `node` for one layout, the process's environment for a port. */
  argv(layout: Layout, port: number): string[];
  env(port: number): NodeJS.ProcessEnv;
}

type Layout = 'tsx' | 'compiled';

/** A /proc/<pid>/status field in MB (kB in the file). */
function statusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return line ? Number(line.split(/\s+/)[1]) / 1024 : 0;
}

/** User + system CPU time of a process in ms (/proc/<pid>/stat fields 14 and 15, in 1/100 s). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function descendants(pid: number): number[] {
  const file = `/proc/${pid}/task/${pid}/children`;
  if (!existsSync(file)) return [];
  const children = readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return children.flatMap((c) => [c, ...descendants(c)]);
}

function stop(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    const kill = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    proc.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

async function measure(subject: Subject, layout: Layout): Promise<Sample> {
  const port = await freePort();
  const started = performance.now();
  const proc = spawn(process.execPath, subject.argv(layout, port), {
    cwd: ROOT,
    env: subject.env(port),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  try {
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`${subject.name} (${layout}) exited: ${stderr}`);
      if (performance.now() - started > READY_TIMEOUT_MS)
        throw new Error(`${subject.name} (${layout}) not ready: ${stderr}`);
      const ok = await fetch(`http://127.0.0.1:${port}/ready`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const readyMs = performance.now() - started;
    const pid = proc.pid!;
    const children = descendants(pid);
    return {
      readyMs,
      cpuMs: cpuMs(pid),
      rssMb: statusMb(pid, 'VmRSS'),
      peakMb: statusMb(pid, 'VmHWM'),
      treeMb: statusMb(pid, 'VmRSS') + children.reduce((sum, c) => sum + statusMb(c, 'VmRSS'), 0),
    };
  } finally {
    await stop(proc);
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function main(): Promise<void> {
  if (!existsSync(path.join(DIST, 'gateway/main.js'))) throw new Error('no dist/: run `npm run build` first');
  const server = new URL(settings.BENCH_STARTUP_SERVER);
  let databaseUrl = process.env.DOCUMENTS_DATABASE_URL;
  if (!databaseUrl) {
    const found = await adminQuery(
      server.toString(),
      `SELECT 1 FROM pg_database WHERE datname = 'govgraph_startup'`,
    );
    if (!found.length) await adminQuery(server.toString(), 'CREATE DATABASE govgraph_startup');
    server.pathname = '/govgraph_startup';
    databaseUrl = server.toString();
  }
  const keys = generateGatewayKeys();
  const base: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', APOLLO_TELEMETRY_DISABLED: 'true' };
  delete base.NODE_OPTIONS;
  const subjects: Subject[] = [
    {
      name: 'gateway',
      argv: (layout, port) => [
        ...(layout === 'tsx' ? ['--import', 'tsx', 'gateway/main.ts'] : ['dist/gateway/main.js']),
        '--supergraph',
        'schema/supergraph.graphql',
        '--port',
        String(port),
      ],
      env: () => ({ ...base, GATEWAY_SUBGRAPH_SIGNING_KEY: keys.privateKey }),
    },
    {
      name: 'documents subgraph',
      argv: (layout) =>
        layout === 'tsx'
          ? ['--import', 'tsx', 'subgraphs/documents/main.ts']
          : ['dist/subgraphs/documents/main.js'],
      env: (port) => ({
        ...base,
        DOCUMENTS_DATABASE_URL: databaseUrl,
        DOCUMENTS_PORT: String(port),
        DOCUMENTS_LOG_LEVEL: 'warn',
        DOCUMENTS_SEED_SCALE: '0.05',
        DOCUMENTS_GATEWAY_PUBLIC_KEY: keys.publicKey,
      }),
    },
  ];
  const rows: string[] = [];
  for (const subject of subjects) {
    await measure(subject, 'tsx'); // warm-up: tsx's transform cache, the seed, the file cache
    await measure(subject, 'compiled');
    const samples: Record<Layout, Sample[]> = { tsx: [], compiled: [] };
    for (let i = 0; i < settings.BENCH_STARTUP_RUNS; i++)
      for (const layout of ['tsx', 'compiled'] as const) {
        const s = await measure(subject, layout);
        samples[layout].push(s);
        console.log(
          `${subject.name} ${layout.padEnd(8)} run ${i + 1}: ready ${s.readyMs.toFixed(0)} ms, cpu ${s.cpuMs} ms, rss ${s.rssMb.toFixed(1)} MB, peak ${s.peakMb.toFixed(1)} MB, tree ${s.treeMb.toFixed(1)} MB`,
        );
      }
    for (const layout of ['tsx', 'compiled'] as const) {
      const m = (f: (s: Sample) => number) => median(samples[layout].map(f));
      rows.push(
        `| ${subject.name} | ${layout} | ${m((s) => s.readyMs).toFixed(0)} | ${m((s) => s.cpuMs).toFixed(0)} | ${m((s) => s.rssMb).toFixed(0)} | ${m((s) => s.peakMb).toFixed(0)} | ${m((s) => s.treeMb).toFixed(0)} |`,
      );
    }
  }
  console.log(`\nMedians of ${settings.BENCH_STARTUP_RUNS} runs each (Node ${process.version}):\n`);
  console.log(
    '| process | run as | ready (ms) | CPU to ready (ms) | RSS at ready (MB) | peak RSS (MB) | with children (MB) |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) console.log(row);
}

main().catch((error: Error) => {
  console.error(`bench:startup failed: ${error.message}`);
  process.exit(1);
});
