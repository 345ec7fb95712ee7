/**
 * A small closed-loop load generator (undici): `connections` clients, each on its own keep-alive
 * connection, POST the same body back to back for `seconds`. A response counts as an error unless it
 * is HTTP 200 with no `"errors"` in the body. Prints one JSON line: requests, rps, p50, p99 (ms),
 * errors, bytes of the last response. Bounded in time; targets loopback only.
 *
 *   node --import tsx scripts/bench-gateways/load.ts <url> <body file> <connections> <seconds>
 */
import { readFileSync } from 'node:fs';
import { Client } from 'undici';

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  bytes: number;
  /** CPU time of the load generator itself per request (it shares CPU 1 with the subgraphs). */
  cpuMsPerRequest: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export async function drive(
  url: string,
  body: string,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const target = new URL(url);
  const latencies: number[] = [];
  let errors = 0;
  let bytes = 0;
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = new Client(target.origin, { pipelining: 1, keepAliveTimeout: 60_000 });
      try {
        while (performance.now() < end) {
          const t = performance.now();
          try {
            const res = await client.request({
              path: target.pathname,
              method: 'POST',
              headers: { 'content-type': 'application/json', accept: 'application/json' },
              body,
            });
            const text = await res.body.text();
            bytes = text.length;
            if (res.statusCode !== 200 || text.includes('"errors"')) errors++;
          } catch {
            errors++;
          }
          latencies.push(performance.now() - t);
        }
      } finally {
        await client.close().catch(() => undefined);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
    bytes,
    cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / latencies.length,
  };
}

if (require.main === module) {
  const [url, bodyFile, connections, seconds] = process.argv.slice(2);
  drive(url!, readFileSync(bodyFile!, 'utf8'), Number(connections), Number(seconds)).then(
    (r) => console.log(JSON.stringify(r)),
    (error: Error) => {
      console.error(`load: ${error.message}`);
      process.exit(1);
    },
  );
}
