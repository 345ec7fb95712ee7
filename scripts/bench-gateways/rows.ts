/**
 * The rows of `npm run bench:gateways` (BENCH_ENGINES): which gateway, how it is started, on which
 * CPUs. Every row gets the same subgraphs, query and load; only the gateway differs.
 */
import path from 'node:path';
import { ROOT } from '../../schema/registry';
import { HIVE, MERCURIUS, resolveOptional } from './optional';
import type { OptionalPackage } from './optional';

export interface RowSpec {
  name: string;
  /** One line for the usage text and the README. */
  describe: string;
  /** `taskset -c` CPU list of the gateway (its workers included). */
  cpus: string;
  /** Runs in the overhead test too (one connection: deduplication and workers change nothing there). */
  overhead: boolean;
  /** Optional package the row needs; the row is skipped with an install hint when it is missing. */
  needs?: OptionalPackage;
  command(entry: string | undefined, supergraph: string, port: number): string[];
  env: Record<string, string | undefined>;
}

/** The environment of our gateway for the benchmark: limits sized for the heavy query, no rate limit. */
export const BENCH_GATEWAY_ENV = {
  LOG_LEVEL: 'error',
  GATEWAY_MAX_COST: '100000000',
  GATEWAY_MAX_DEPTH: '50',
  GATEWAY_RATE_LIMIT_PER_IP: '0',
  GATEWAY_RATE_LIMIT_PER_SUBJECT: '0',
  GATEWAY_GRAPHIQL: 'false',
  // Off unless a row turns them on, whatever the caller's environment says.
  GATEWAY_DEDUPE_INFLIGHT: 'false',
  GATEWAY_WORKERS: '1',
  GATEWAY_METRICS_PUBLIC: 'false',
};

const script = (file: string, ...args: string[]) => [
  process.execPath,
  '--import',
  'tsx',
  path.resolve(__dirname, file),
  ...args,
];

function ours(
  name: string,
  describe: string,
  extra: Record<string, string>,
  cpus = '0',
  overhead = false,
): RowSpec {
  return {
    name,
    describe,
    cpus,
    overhead,
    command: (_, supergraph, port) =>
      script(path.join(ROOT, 'gateway/main.ts'), '--supergraph', supergraph, '--port', String(port)),
    env: { ...BENCH_GATEWAY_ENV, GATEWAY_ENGINE: 'govgraph', ...extra },
  };
}

export const ROWS: RowSpec[] = [
  {
    name: 'stock',
    describe: '@apollo/gateway 2.14 in @apollo/server standalone, no features (the reference)',
    cpus: '0',
    overhead: true,
    command: (_, supergraph, port) => script('stockGateway.ts', supergraph, String(port)),
    env: {},
  },
  ours(
    'apollo',
    'our gateway, every feature on, GATEWAY_ENGINE=apollo (reference engine)',
    { GATEWAY_ENGINE: 'apollo' },
    '0',
    true,
  ),
  ours('govgraph', 'our gateway, every feature on, GATEWAY_ENGINE=govgraph (gateway/engine/)', {}, '0', true),
  ours('govgraph+dedupe', 'govgraph with GATEWAY_DEDUPE_INFLIGHT=true (inbound in-flight deduplication)', {
    GATEWAY_DEDUPE_INFLIGHT: 'true',
  }),
  ours(
    'govgraph+metrics',
    'govgraph with metrics on (GATEWAY_METRICS_PUBLIC=true: the same request-path cost as a port)',
    {
      GATEWAY_METRICS_PUBLIC: 'true',
    },
  ),
  ours(
    'govgraph+tracing',
    'govgraph with tracing on at 1% sampling (spans exported over OTLP/HTTP to a closed local port)',
    {
      GATEWAY_TRACING_ENDPOINT: 'http://127.0.0.1:9/v1/traces',
      GATEWAY_TRACING_SAMPLE_RATIO: '0.01',
    },
  ),
  ours(
    'govgraph+usage',
    'govgraph with usage recording on (GATEWAY_USAGE_REPORT_URL: reports go to a closed local port and are dropped)',
    {
      GATEWAY_USAGE_REPORT_URL: 'http://127.0.0.1:9/v1/environments/bench/usage',
      GATEWAY_USAGE_REPORT_TOKEN: 'bench.token.unused',
    },
  ),
  ours(
    'govgraph-2w',
    'govgraph with GATEWAY_WORKERS=2 on CPUs 0-1 (CPU 1 shared with the load side)',
    { GATEWAY_WORKERS: '2' },
    '0,1',
  ),
  ours(
    'govgraph+dedupe-2w',
    'govgraph-2w with GATEWAY_DEDUPE_INFLIGHT=true (each worker deduplicates its own requests)',
    { GATEWAY_WORKERS: '2', GATEWAY_DEDUPE_INFLIGHT: 'true' },
    '0,1',
  ),
  {
    name: 'hive',
    describe: `Hive Gateway runtime (${HIVE.name}@${HIVE.version}, optional) on node:http`,
    cpus: '0',
    overhead: true,
    needs: HIVE,
    command: (entry, supergraph, port) => script('hiveGateway.ts', entry!, supergraph, String(port)),
    env: {},
  },
  {
    name: 'hive+dedupe',
    describe: "hive with inboundInflightRequestDeduplication (the issue's 21.9× yardstick)",
    cpus: '0',
    overhead: false,
    needs: HIVE,
    command: (entry, supergraph, port) =>
      script('hiveGateway.ts', entry!, supergraph, String(port), 'dedupe'),
    env: {},
  },
  {
    name: 'mercurius',
    describe: `mercurius gateway (${MERCURIUS.name}@${MERCURIUS.version}, optional) on Fastify`,
    cpus: '0',
    overhead: true,
    needs: MERCURIUS,
    command: (entry, supergraph, port) => script('mercuriusGateway.ts', entry!, supergraph, String(port)),
    env: {},
  },
];

/** Every row but govgraph+dedupe-2w (run by `npm run bench:workers`). */
export const DEFAULT_ROWS = ROWS.map((r) => r.name).filter((n) => n !== 'govgraph+dedupe-2w');

/** The rows asked for, each with its optional package's entry file; missing packages are reported. */
export function selectRows(
  names: string[],
  gatewaysDir: string | undefined,
): { row: RowSpec; entry?: string }[] {
  const chosen: { row: RowSpec; entry?: string }[] = [];
  const reported = new Set<string>();
  for (const name of names) {
    const row = ROWS.find((r) => r.name === name);
    if (!row)
      throw new Error(`BENCH_ENGINES: unknown row "${name}" (known: ${ROWS.map((r) => r.name).join(', ')})`);
    if (!row.needs) {
      chosen.push({ row });
      continue;
    }
    const entry = resolveOptional(row.needs, gatewaysDir);
    if (entry) chosen.push({ row, entry });
    else if (!reported.has(row.needs.name)) {
      reported.add(row.needs.name);
      console.log(`${row.name}: not installed: ${row.needs.install}`);
    }
  }
  return chosen;
}
