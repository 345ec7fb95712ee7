/**
 * `npm run bench:gateways`: Workload A (the public gateway-benchmark shape, workloadA.ts) through
 * several gateways in one run, on the same subgraphs and query. The rows (BENCH_ENGINES, rows.ts):
 *
 *   stock            @apollo/gateway 2.14 in @apollo/server's standalone server, no features
 *   apollo           our gateway (every feature on), GATEWAY_ENGINE=apollo (the reference engine)
 *   govgraph         our gateway (every feature on), GATEWAY_ENGINE=govgraph (gateway/engine/)
 *   govgraph+dedupe  govgraph with GATEWAY_DEDUPE_INFLIGHT=true
 *   govgraph+usage   govgraph with usage recording (not in the default list; docs/registry.md "Usage")
 *   govgraph-2w      govgraph with GATEWAY_WORKERS=2 on CPUs 0-1 (shares CPU 1 with the load side)
 *   govgraph+dedupe-2w  both (not in the default list; `npm run bench:workers` runs the four govgraph rows)
 *   hive             Hive Gateway's runtime (optional package), hive+dedupe with its inbound dedup
 *   mercurius        the mercurius gateway (optional package)
 *
 * Gateways run pinned to CPU 0 (`taskset -c 0`; govgraph-2w 0-1), the subgraphs and the load
 * generator to CPU 1. First the overhead test (overhead.ts: one connection, a one-subgraph query,
 * a warm-up, then BENCH_OVERHEAD_ROUNDS rounds alternating between the direct call and each
 * gateway). Then per row: its response must deep-equal stock's, a warm-up, BENCH_SECONDS of load
 * with BENCH_CONNECTIONS connections. Prints RPS, p50, p99, errors, peak RSS and CPU per request with ratios to stock,
 * and 2 workers against 1. Exits 1 if a response differs or a request failed.
 *
 *   BENCH_SECONDS=20 BENCH_CONNECTIONS=50 npm run bench:gateways
 *   BENCH_ENGINES=stock,govgraph BENCH_OVERHEAD_SECONDS=0 npm run bench:gateways
 *
 * Everything listens on 127.0.0.1 and stops by itself.
 */
import { isDeepStrictEqual } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { env, readEnv, rejectUnknown } from '../../common/env';
import { composeSupergraph } from '../../schema/compose';
import { cpuMs, peakRssMb, post, runLoad } from './measure';
import { measureOverhead } from './overhead';
import type { OverheadTarget } from './overhead';
import { freePort, pinned, startProcess, waitForGraphql } from './processes';
import type { Started } from './processes';
import { printTable, printWorkers } from './report';
import type { Row } from './report';
import { DEFAULT_ROWS, selectRows } from './rows';
import type { RowSpec } from './rows';
import { QUERY, SUBGRAPHS } from './workloadA';

const OVERHEAD_QUERY = '{ topProducts { upc name price } }';

const shape = {
  BENCH_SECONDS: env.integer(1, 3600).default(20),
  /** Seconds of unmeasured load before each measurement (per row, and per target of the overhead test). */
  BENCH_WARMUP: env.integer(0, 600).default(5),
  BENCH_CONNECTIONS: env.integer(1, 1000).default(50),
  /** Rows to run, comma-separated (rows.ts); optional gateways that are not installed are skipped. */
  BENCH_ENGINES: env.text().default(DEFAULT_ROWS.join(',')),
  /** A folder whose node_modules holds optional gateways that need their own install (optional.ts). */
  BENCH_GATEWAYS_DIR: env.text().optional(),
  BENCH_PROFILE: env.text().optional(),
  /** Seconds per target per round of the overhead test (0 = skip the test). */
  BENCH_OVERHEAD_SECONDS: env.integer(0, 600).default(2),
  BENCH_OVERHEAD_ROUNDS: env.integer(1, 100).default(5),
};
/** The settings, or one line on stderr and exit 1 (a misspelt or bad BENCH_ variable). */
function readSettings() {
  try {
    rejectUnknown(process.env, 'BENCH_', Object.keys(shape));
    return readEnv(process.env, shape);
  } catch (error) {
    console.error(`bench:gateways: ${(error as Error).message}`);
    return process.exit(1);
  }
}
const settings = readSettings();

interface Gateway {
  proc: Started;
  url: string;
}

/** Starts a row's gateway; an optional gateway that cannot start is reported and skipped (undefined). */
async function startGateway(
  spec: RowSpec,
  entry: string | undefined,
  supergraph: string,
): Promise<Gateway | undefined> {
  try {
    return await startPinned(spec, entry, supergraph);
  } catch (error) {
    if (!spec.needs) throw error;
    const reason = (error as Error).message.replace(/^.* exited: /, '');
    console.log(`${spec.name}: cannot run, skipped: ${reason}`);
    return undefined;
  }
}

async function startPinned(spec: RowSpec, entry: string | undefined, supergraph: string): Promise<Gateway> {
  const port = await freePort();
  const command = spec.command(entry, supergraph, port);
  if (settings.BENCH_PROFILE) {
    const dir = path.resolve(settings.BENCH_PROFILE, spec.name);
    command.splice(1, 0, '--cpu-prof', `--cpu-prof-dir=${dir}`);
  }
  const proc = startProcess(pinned(spec.cpus, command), spec.env);
  const url = `http://127.0.0.1:${port}/graphql`;
  await waitForGraphql(url, proc);
  return { proc, url };
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'govgraph-bench-gw-'));
  const started: Started[] = [];
  try {
    const rows = selectRows(
      settings.BENCH_ENGINES.split(',').map((e) => e.trim()),
      settings.BENCH_GATEWAYS_DIR,
    );
    const subgraphs = startProcess(
      pinned('1', [process.execPath, '--import', 'tsx', path.join(__dirname, 'subgraphs.ts')]),
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
    const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    console.log(`node ${process.version}; load average ${loadavg()}; rows:`);
    for (const { row } of rows) console.log(`  ${row.name.padEnd(20)}${row.describe}; CPUs ${row.cpus}`);

    let overheadErrors = 0;
    if (settings.BENCH_OVERHEAD_SECONDS > 0) {
      const overheadFile = path.join(work, 'overhead.json');
      writeFileSync(overheadFile, JSON.stringify({ query: OVERHEAD_QUERY }));
      const targets: OverheadTarget[] = [
        { name: 'direct subgraph', url: `http://127.0.0.1:${port}/products` },
      ];
      const gateways: Gateway[] = [];
      try {
        for (const { row, entry } of rows.filter((r) => r.row.overhead)) {
          const gw = await startGateway(row, entry, supergraph);
          if (!gw) continue;
          gateways.push(gw);
          targets.push({ name: row.name, url: gw.url, pid: gw.proc.pid });
        }
        overheadErrors = await measureOverhead(
          targets,
          overheadFile,
          settings.BENCH_OVERHEAD_SECONDS,
          settings.BENCH_OVERHEAD_ROUNDS,
          settings.BENCH_WARMUP,
          OVERHEAD_QUERY,
        );
      } finally {
        for (const gw of gateways) await gw.proc.stop();
      }
    }

    const bodyFile = path.join(work, 'body.json');
    const body = JSON.stringify({ query: QUERY });
    writeFileSync(bodyFile, body);
    console.log(
      `Workload A: ${settings.BENCH_CONNECTIONS} connections, ${settings.BENCH_WARMUP} s warm-up + ${settings.BENCH_SECONDS} s per gateway; ` +
        `gateway on CPU 0 (govgraph-2w: 0-1), subgraphs and load on CPU 1; load average ${loadavg()}`,
    );
    let reference: unknown;
    const results: Row[] = [];
    for (const { row, entry } of rows) {
      const gw = await startGateway(row, entry, supergraph);
      if (!gw) continue;
      started.push(gw.proc);
      try {
        const response = await post(gw.url, body);
        if (row.name === 'stock' || reference === undefined) reference = response;
        const identical = isDeepStrictEqual(response, reference);
        if (!identical) {
          const file = path.join(tmpdir(), `bench-gateways-${row.name}.json`);
          writeFileSync(file, JSON.stringify(response, null, 1));
          console.log(`${row.name}: response differs from the reference; written to ${file}`);
        }
        if (settings.BENCH_WARMUP > 0)
          await runLoad(gw.url, bodyFile, settings.BENCH_WARMUP, settings.BENCH_CONNECTIONS);
        const cpuBefore = cpuMs(gw.proc.pid);
        const subgraphsBefore = cpuMs(subgraphs.pid);
        const result = await runLoad(gw.url, bodyFile, settings.BENCH_SECONDS, settings.BENCH_CONNECTIONS);
        const gatewayCpu = cpuMs(gw.proc.pid) - cpuBefore;
        // The load generator's own measuring time (its start-up is not part of the run).
        const wall = (result.requests / result.rps) * 1000;
        const subgraphsPerRequest = (cpuMs(subgraphs.pid) - subgraphsBefore) / result.requests;
        console.log(
          `${row.name}: CPU 1 (load side) per request: subgraphs ${subgraphsPerRequest.toFixed(2)} ms, load generator ${result.cpuMsPerRequest.toFixed(2)} ms`,
        );
        results.push({
          name: row.name,
          result,
          rssMb: peakRssMb(gw.proc.pid),
          identical,
          cpuPerRequest: gatewayCpu / result.requests,
          cores: gatewayCpu / wall,
        });
      } finally {
        await gw.proc.stop();
      }
    }
    printTable(results);
    const row = (name: string) => results.find((r) => r.name === name);
    printWorkers(row('govgraph'), row('govgraph-2w'));
    printWorkers(row('govgraph+dedupe'), row('govgraph+dedupe-2w'));
    if (overheadErrors > 0 || results.some((r) => !r.identical || r.result.errors > 0)) process.exitCode = 1;
  } finally {
    for (const p of started.reverse()) await p.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(`bench:gateways: ${error.message}`);
  process.exit(1);
});
