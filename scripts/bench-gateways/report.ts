/** The Workload A table of `npm run bench:gateways`, and the 1-vs-2-worker comparison. */
import type { LoadResult } from './load';

export interface Row {
  name: string;
  result: LoadResult;
  rssMb: number;
  identical: boolean;
  /** Gateway CPU time per request (ms, all its processes): less sensitive than req/s to other load. */
  cpuPerRequest: number;
  /** Gateway CPU time over wall time during the run: how many cores it actually used. */
  cores: number;
}

const cells = (values: string[]) => values.map((c, i) => (i ? c.padStart(12) : c.padEnd(20))).join('');

export function printTable(rows: readonly Row[]): void {
  const base = rows.find((r) => r.name === 'stock') ?? rows[0]!;
  console.log(
    cells([
      'gateway',
      'req/s',
      'ratio',
      'p50 ms',
      'p99 ms',
      'errors',
      'peak RSS MB',
      'CPU ms/req',
      'CPU ratio',
      'gw cores',
      'response',
    ]),
  );
  for (const r of rows)
    console.log(
      cells([
        r.name,
        r.result.rps.toFixed(1),
        `${(r.result.rps / base.result.rps).toFixed(2)}×`,
        r.result.p50.toFixed(1),
        r.result.p99.toFixed(1),
        String(r.result.errors),
        r.rssMb.toFixed(0),
        r.cpuPerRequest.toFixed(2),
        `${(base.cpuPerRequest / r.cpuPerRequest).toFixed(2)}×`,
        r.cores.toFixed(2),
        r.identical ? 'identical' : 'DIFFERS',
      ]),
    );
  console.log(`ratios are to ${base.name}; response size ${(rows[0]?.result.bytes ?? 0) / 1000} kB`);
  const starved = rows.filter((r) => !r.name.endsWith('-2w') && r.cores < 0.8);
  if (starved.length > 0)
    console.log(
      `note: ${starved.map((r) => r.name).join(', ')} used under 0.8 of the gateway's core: other processes on CPU 0 ` +
        'or the load side on CPU 1 held it back, so its req/s and latency say little; compare CPU ms/req',
    );
}

/**
 * 2 workers against 1. On a 2-core machine the 2-worker gateway shares CPU 1 with the subgraphs and
 * the load generator, so its measured req/s ratio understates what two free cores give. Printed as
 * well: the cores each gateway really used, req/s per gateway core, and the projection for two
 * whole cores: 2 × (req/s per core of 2 workers) / (req/s per core of 1 worker).
 */
export function printWorkers(one: Row | undefined, two: Row | undefined): void {
  if (!one || !two) return;
  const perCore1 = one.result.rps / one.cores;
  const perCore2 = two.result.rps / two.cores;
  console.log(
    `workers, ${two.name} against ${one.name}: measured req/s ${(two.result.rps / one.result.rps).toFixed(2)}× ` +
      `(the gateway used ${one.cores.toFixed(2)} → ${two.cores.toFixed(2)} cores; the load side and any neighbours had the rest); ` +
      `req/s per gateway core ${perCore1.toFixed(1)} → ${perCore2.toFixed(1)} (${(perCore2 / perCore1).toFixed(2)}×); ` +
      `CPU-normalised projection for 2 whole cores: ${((2 * perCore2) / perCore1).toFixed(2)}×`,
  );
}
