/**
 * `npm run bench:gateways`: Workload A (the public gateway-benchmark shape, workloadA.ts) through
 * several gateways in one run, on the same subgraphs and query:
 *
 *   stock     @apollo/gateway 2.14 inside @apollo/server's standalone server, no features (stockGateway.ts)
 *   apollo    our gateway (every feature on) with GATEWAY_ENGINE=apollo (the reference engine)
 *   govgraph  our gateway (every feature on) with GATEWAY_ENGINE=govgraph (gateway/engine/)
 *
 * Each gateway is pinned to CPU 0 (`taskset -c 0`), the subgraphs and the load generator to CPU 1.
 * Each gateway's response must deep-equal stock's before it is measured; then a warm-up, then
 * BENCH_SECONDS of load with BENCH_CONNECTIONS connections. Prints RPS, p50, p99, errors and the
 * gateway's peak RSS side by side with the RPS ratio to stock.
 *
 *   BENCH_SECONDS=20 BENCH_CONNECTIONS=50 npm run bench:gateways
 *   BENCH_ENGINES=stock,govgraph npm run bench:gateways
 *
 * Everything listens on 127.0.0.1 and stops by itself.
 */
import { isDeepStrictEqual } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { env, readEnv, rejectUnknown } from '../../common/env';
import { composeSupergraph } from '../../schema/compose';
import { ROOT } from '../../schema/registry';
import type { LoadResult } from './load';
import { freePort, pinned, startProcess, waitForGraphql } from './processes';
import type { Started } from './processes';
import { QUERY, SUBGRAPHS } from './workloadA';

const ENGINES = ['stock', 'apollo', 'govgraph'] as const;
const OVERHEAD_QUERY = '{ topProducts { upc name price } }';
type Engine = (typeof ENGINES)[number];

const shape = {
  BENCH_SECONDS: env.integer(1, 3600).default(20),
  BENCH_WARMUP: env.integer(0, 600).default(5),
  BENCH_CONNECTIONS: env.integer(1, 1000).default(50),
  BENCH_ENGINES: env.text().default(ENGINES.join(',')),
  BENCH_PROFILE: env.text().optional(),
  /** Seconds of the overhead test: one connection, a query served by one subgraph (0 = skip). */
  BENCH_OVERHEAD_SECONDS: env.integer(0, 600).default(5),
};
rejectUnknown(process.env, 'BENCH_', Object.keys(shape));
const settings = readEnv(process.env, shape);
const engines = settings.BENCH_ENGINES.split(',').map((e) => e.trim()) as Engine[];
for (const e of engines) if (!ENGINES.includes(e)) throw new Error(`BENCH_ENGINES: unknown engine "${e}"`);

/** The environment of our gateway for the benchmark: limits sized for the heavy query, no rate limit. */
export const BENCH_GATEWAY_ENV = {
  LOG_LEVEL: 'error',
  GATEWAY_MAX_COST: '100000000',
  GATEWAY_MAX_DEPTH: '50',
  GATEWAY_RATE_LIMIT_PER_IP: '0',
  GATEWAY_RATE_LIMIT_PER_SUBJECT: '0',
  GATEWAY_GRAPHIQL: 'false',
};

function gatewayCommand(engine: Engine, supergraph: string, port: number, profileDir?: string): string[] {
  const prof = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  if (engine === 'stock') {
    return [
      process.execPath,
      ...prof,
      '--import',
      'tsx',
      path.join(__dirname, 'stockGateway.ts'),
      supergraph,
      String(port),
    ];
  }
  return [
    process.execPath,
    ...prof,
    '--import',
    'tsx',
    path.join(ROOT, 'gateway/main.ts'),
    '--supergraph',
    supergraph,
    '--port',
    String(port),
  ];
}

/** CPU time (user + system) a process has used so far, in ms (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Peak resident set size of a process (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1];
  return kb ? Number(kb) / 1024 : NaN;
}

async function post(url: string, body: string): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return res.json();
}

async function runLoad(
  url: string,
  bodyFile: string,
  seconds: number,
  connections = settings.BENCH_CONNECTIONS,
): Promise<LoadResult> {
  const load = startProcess(
    pinned(1, [
      process.execPath,
      '--import',
      'tsx',
      path.join(__dirname, 'load.ts'),
      url,
      bodyFile,
      String(connections),
      String(seconds),
    ]),
    {},
  );
  const out = await load.output();
  return JSON.parse(out.trim().split('\n').pop()!) as LoadResult;
}

interface Row {
  engine: Engine;
  result: LoadResult;
  rssMb: number;
  identical: boolean;
  /** Gateway CPU time per request (ms): less sensitive than req/s to other load on the machine. */
  cpuPerRequest: number;
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'govgraph-bench-gw-'));
  const started: Started[] = [];
  try {
    const subgraphs = startProcess(
      pinned(1, [process.execPath, '--import', 'tsx', path.join(__dirname, 'subgraphs.ts')]),
      {},
    );
    started.push(subgraphs);
    const port = Number((await subgraphs.line(/^listening (\d+)/))[1]);
    const supergraph = path.join(work, 'supergraph.graphql');
    writeFileSync(
      supergraph,
      composeSupergraph(
        SUBGRAPHS.map((s) => ({
          name: s.name,
          url: `http://127.0.0.1:${port}/${s.name}`,
          typeDefs: s.typeDefs,
        })),
      ),
    );
    // Overhead: a query one subgraph answers alone, one connection, through the gateway and direct.
    const overheadFile = path.join(work, 'overhead.json');
    writeFileSync(overheadFile, JSON.stringify({ query: OVERHEAD_QUERY }));
    const overhead: { name: string; p50: number; cpu?: number }[] = [];
    if (settings.BENCH_OVERHEAD_SECONDS > 0) {
      const direct = `http://127.0.0.1:${port}/products`;
      await runLoad(direct, overheadFile, 1, 1);
      const r = await runLoad(direct, overheadFile, settings.BENCH_OVERHEAD_SECONDS, 1);
      overhead.push({ name: 'direct subgraph', p50: r.p50 });
    }
    const bodyFile = path.join(work, 'body.json');
    const body = JSON.stringify({ query: QUERY });
    writeFileSync(bodyFile, body);

    console.log(
      `Workload A: ${settings.BENCH_CONNECTIONS} connections, ${settings.BENCH_WARMUP} s warm-up + ${settings.BENCH_SECONDS} s per gateway; ` +
        `gateway on CPU 0, subgraphs and load on CPU 1; node ${process.version}; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
    );
    let reference: unknown;
    const rows: Row[] = [];
    for (const engine of engines) {
      const gwPort = await freePort();
      const profileDir = settings.BENCH_PROFILE ? path.resolve(settings.BENCH_PROFILE, engine) : undefined;
      const gw = startProcess(pinned(0, gatewayCommand(engine, supergraph, gwPort, profileDir)), {
        ...BENCH_GATEWAY_ENV,
        GATEWAY_ENGINE: engine === 'stock' ? undefined : engine,
      });
      started.push(gw);
      const url = `http://127.0.0.1:${gwPort}/graphql`;
      await waitForGraphql(url, gw);
      const response = await post(url, body);
      if (engine === 'stock' || reference === undefined) reference = response;
      const identical = isDeepStrictEqual(response, reference);
      if (!identical) {
        const file = path.join(tmpdir(), `bench-gateways-${engine}.json`);
        writeFileSync(file, JSON.stringify(response, null, 1));
        console.log(`${engine}: response differs from the reference; written to ${file}`);
      }
      if (settings.BENCH_OVERHEAD_SECONDS > 0) {
        await runLoad(url, overheadFile, 1, 1);
        const before = cpuMs(gw.pid);
        const r = await runLoad(url, overheadFile, settings.BENCH_OVERHEAD_SECONDS, 1);
        overhead.push({ name: engine, p50: r.p50, cpu: (cpuMs(gw.pid) - before) / r.requests });
      }
      if (settings.BENCH_WARMUP > 0) await runLoad(url, bodyFile, settings.BENCH_WARMUP);
      const cpuBefore = cpuMs(gw.pid);
      const subgraphsBefore = cpuMs(subgraphs.pid);
      const result = await runLoad(url, bodyFile, settings.BENCH_SECONDS);
      const cpuPerRequest = (cpuMs(gw.pid) - cpuBefore) / result.requests;
      const subgraphsPerRequest = (cpuMs(subgraphs.pid) - subgraphsBefore) / result.requests;
      console.log(
        `${engine}: CPU 1 (load side) per request: subgraphs ${subgraphsPerRequest.toFixed(2)} ms, load generator ${result.cpuMsPerRequest.toFixed(2)} ms`,
      );
      rows.push({ engine, result, rssMb: peakRssMb(gw.pid), identical, cpuPerRequest });
      await gw.stop();
    }
    const base = rows.find((r) => r.engine === 'stock') ?? rows[0]!;
    console.log(
      [
        'gateway'.padEnd(10),
        'req/s',
        'ratio',
        'p50 ms',
        'p99 ms',
        'errors',
        'peak RSS MB',
        'CPU ms/req',
        'CPU ratio',
        'response',
      ]
        .map((h, i) => (i ? h.padStart(12) : h))
        .join(''),
    );
    for (const r of rows) {
      console.log(
        [
          r.engine.padEnd(10),
          r.result.rps.toFixed(1),
          `${(r.result.rps / base.result.rps).toFixed(2)}×`,
          r.result.p50.toFixed(1),
          r.result.p99.toFixed(1),
          String(r.result.errors),
          r.rssMb.toFixed(0),
          r.cpuPerRequest.toFixed(2),
          `${(base.cpuPerRequest / r.cpuPerRequest).toFixed(2)}×`,
          r.identical ? 'identical' : 'DIFFERS',
        ]
          .map((c, i) => (i ? c.padStart(12) : c))
          .join(''),
      );
    }
    console.log(`response size ${(rows[0]?.result.bytes ?? 0) / 1000} kB`);
    if (overhead.length > 0) {
      const direct = overhead[0]!.p50;
      console.log(`overhead, one connection, \`${OVERHEAD_QUERY}\` (one subgraph): p50 ms`);
      for (const o of overhead)
        console.log(
          `  ${o.name.padEnd(16)}${o.p50.toFixed(2).padStart(8)}${o === overhead[0] ? '' : `   +${(o.p50 - direct).toFixed(2)} over direct; gateway CPU ${o.cpu!.toFixed(2)} ms/req`}`,
        );
    }
    if (rows.some((r) => !r.identical || r.result.errors > 0)) process.exitCode = 1;
  } finally {
    for (const p of started.reverse()) await p.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(`bench:gateways: ${error.message}`);
  process.exit(1);
});
