/**
 * `npm run bench:stats`: the one-year dossierStats statement (subgraphs/dossiers/db/stats.ts) timed at
 * the database handle, on several databases in alternation, so that two data sets are compared under
 * the same load (docs/benchmarks.md "Partitioning by year" compares one unpartitioned and one
 * partitioned copy of the 1M-dossier data set this way). Each URL is a dossiers database (its owner);
 * each of BENCH_ROUNDS (4) rounds calls each database BENCH_CALLS (15) times, the first 2 untimed.
 *
 *   BENCH_STATS_URLS="postgres://…/govgraph_dossiers postgres://…/govgraph_dossiers" npm run bench:stats
 *
 * BENCH_CODES (the agencies, comma-separated; Bắc Từ Liêm and its 13 wards), BENCH_FROM and BENCH_TO
 * (2024) set the call; subordinates are included. Traffic goes to the URLs given only.
 *
 * BENCH_STATS_MODULES (optional, one per URL, `-` for this checkout's): the stats.ts whose statement
 * runs on that URL, e.g. an older commit's worktree's subgraphs/dossiers/db/stats.ts. A database from
 * before a migration is then timed with the statement that commit served: this checkout's statement
 * bounds columns the older indexes do not cover, which would make the "before" look slower than it was.
 */
import path from 'node:path';
import { openDatabase } from '../kit/runtime/db';
import { dossierStats } from '../subgraphs/dossiers/db/stats';

type Stats = typeof dossierStats;

const BTL_AND_WARDS = Array.from({ length: 14 }, (_, i) => `000.${String(i).padStart(2, '0')}.21.H26`);

const urls = (process.env.BENCH_STATS_URLS ?? '').split(/\s+/).filter(Boolean);
const rounds = Number(process.env.BENCH_ROUNDS ?? 4);
const calls = Number(process.env.BENCH_CALLS ?? 15);
const modules = (process.env.BENCH_STATS_MODULES ?? '').split(/\s+/).filter(Boolean);
const codes = process.env.BENCH_CODES?.split(',') ?? BTL_AND_WARDS;
const period = {
  from: process.env.BENCH_FROM ?? '2024-01-01',
  to: process.env.BENCH_TO ?? '2024-12-31',
  includeSubordinates: true,
};

const percentile = (xs: number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
};

async function main(): Promise<void> {
  if (!urls.length) throw new Error('BENCH_STATS_URLS: one or more postgres:// URLs of dossiers databases');
  if (modules.length && modules.length !== urls.length)
    throw new Error(`BENCH_STATS_MODULES: one per URL (${urls.length}), or none`);
  const statements: Stats[] = await Promise.all(
    urls.map(async (_, i) =>
      !modules[i] || modules[i] === '-'
        ? dossierStats
        : ((await import(path.resolve(modules[i]!))) as { dossierStats: Stats }).dossierStats,
    ),
  );
  const dbs = await Promise.all(urls.map((url) => openDatabase({ url, poolSize: 1 })));
  const latencies: number[][] = urls.map(() => []);
  try {
    for (let round = 0; round < rounds; round++)
      for (const [i, db] of dbs.entries())
        for (let k = 0; k < calls; k++) {
          const started = process.hrtime.bigint();
          await statements[i]!(db, codes, period);
          if (k >= 2) latencies[i]!.push(Number(process.hrtime.bigint() - started) / 1e6);
        }
  } finally {
    await Promise.all(dbs.map((db) => db.close()));
  }
  console.log(`dossierStats ${period.from}…${period.to}, ${codes.length} agencies with subordinates`);
  for (const [i, url] of urls.entries()) {
    const xs = latencies[i]!;
    const where = url.replace(/\/\/[^@]*@/, '//');
    const statement = modules[i] && modules[i] !== '-' ? ` (statement of ${modules[i]})` : '';
    console.log(
      `${where}${statement}: n ${xs.length}, p50 ${percentile(xs, 50).toFixed(1)} ms, p95 ${percentile(xs, 95).toFixed(1)} ms`,
    );
  }
}

main().catch((err: Error) => {
  console.error(`bench:stats: ${err.message}`);
  process.exit(1);
});
