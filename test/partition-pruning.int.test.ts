/**
 * Partition pruning for a one-year scorecard (docs/database.md "Partitioning by year"): the statements
 * the scorecard's statistics run (subgraphs/documents/db/stats.ts, subgraphs/dossiers/db/stats.ts) are
 * run as they are, under EXPLAIN ANALYZE, on seeded databases whose rows span 2010–2025, and the
 * partitions the executor actually read are listed from the plan (sequential scans off, as the plan
 * at a million rows has them).
 */
import type { Database, Queryable } from '../kit/runtime/db';
import { startTestSubgraph } from '../kit/testing';
import type { TestSubgraph } from '../kit/testing';
import { documentStats } from '../subgraphs/documents/db/stats';
import { documents } from '../subgraphs/documents/subgraph';
import { dossierStats } from '../subgraphs/dossiers/db/stats';
import { dossiers } from '../subgraphs/dossiers/subgraph';

const BAC_TU_LIEM = '000.00.21.H26';
const YEAR_2024 = { from: '2024-01-01', to: '2024-12-31', includeSubordinates: true };

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

/** The scans the executor ran (loops > 0): relation and index, e.g. `dossiers_2024 dossiers_agency_stats_2024`. */
function scansRun(node: PlanNode, out: string[] = []): string[] {
  if (node['Relation Name'] && (node['Actual Loops'] ?? 0) > 0)
    out.push(`${node['Relation Name']} ${node['Index Name'] ?? bitmapIndex(node) ?? node['Node Type']}`);
  for (const child of node.Plans ?? []) scansRun(child, out);
  return out;
}

/** The index a bitmap heap scan reads, from its Bitmap Index Scan below. */
const bitmapIndex = (node: PlanNode): string | undefined =>
  node['Index Name'] ?? (node.Plans ?? []).map(bitmapIndex).find(Boolean);

/**
 * Runs `stats` with a handle that also EXPLAIN ANALYZEs its one statement that reads `table`, and
 * returns what that statement scanned.
 */
async function scannedBy(
  db: Database,
  table: string,
  stats: (q: Queryable) => Promise<unknown>,
): Promise<string[]> {
  const scans: string[] = [];
  const spy: Queryable = {
    ...db,
    query: (async (sql: string, params?: unknown[]) => {
      if (new RegExp(`(FROM|JOIN) (public_)?${table} d\\b`).test(sql)) {
        // The plan the million-row data set gets (index scans); at this test's scale a sequential scan
        // of a small partition would be as cheap, and would hide which branch read it.
        const [row] = await db.transaction(async (tx) => {
          await tx.query(`SET LOCAL enable_seqscan = off`);
          return tx.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
            `EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`,
            params,
          );
        });
        scans.push(...scansRun(row!['QUERY PLAN'][0].Plan));
      }
      return db.query(sql, params as never);
    }) as Queryable['query'],
  };
  await stats(spy);
  return scans;
}

const partitionsOf = (scans: string[], table: string): string[] =>
  [...new Set(scans.map((s) => s.split(' ')[0]!).filter((r) => r.startsWith(`${table}_`)))].sort();

describe('documents', () => {
  let h: TestSubgraph;
  beforeAll(async () => {
    h = await startTestSubgraph(documents, { scale: 0.05 });
  }, 180_000);
  afterAll(async () => h?.close());

  test('a one-year documentStats reads only that year’s partition', async () => {
    const [{ n }] = (await h.db.query<{ n: number }>(
      `SELECT count(DISTINCT extract(year FROM issued_date))::int AS n FROM documents`,
    )) as [{ n: number }];
    expect(n).toBeGreaterThan(10); // the history is there to be skipped
    const scans = await scannedBy(h.db, 'documents', (q) => documentStats(q, [BAC_TU_LIEM], YEAR_2024));
    expect(partitionsOf(scans, 'documents')).toEqual(['documents_2024']);
  });
});

describe('dossiers', () => {
  let h: TestSubgraph;
  beforeAll(async () => {
    h = await startTestSubgraph(dossiers, { scale: 0.05 });
  }, 180_000);
  afterAll(async () => h?.close());

  test('a one-year dossierStats range-scans only that year (and the longest stay back), never a later year', async () => {
    // How far back a dossier still open on 1 January 2024 can have been received (db/stats.ts `stay`).
    const [{ first }] = (await h.db.query<{ first: number }>(
      `SELECT extract(year FROM DATE '2024-01-01' - max(coalesce(finished_on, ended_on) - received_on))::int AS first
         FROM dossiers WHERE coalesce(finished_on, ended_on) IS NOT NULL`,
    )) as [{ first: number }];
    expect(first).toBeGreaterThanOrEqual(2022); // else this test would prove little: the seed keeps stays short
    const scans = await scannedBy(h.db, 'dossiers', (q) => dossierStats(q, [BAC_TU_LIEM], YEAR_2024));
    const yearOf = (scan: string): number => Number(/^dossiers_(\d{4}) /.exec(scan)?.[1] ?? NaN);
    const probe = scans.filter((s) => s.includes(' dossiers_closed_stay_'));
    const open = scans.filter((s) => s.includes(' dossiers_open_'));
    const ranged = scans.filter((s) => !probe.includes(s) && !open.includes(s));
    // The longest-stay probe: max() over dossiers_closed_stay, one index entry per partition.
    expect(probe.length).toBeGreaterThan(0);
    // The grid's range scan, which reads every dossier received in the period (whichever index the
    // planner takes at this scale): the year itself and the years the longest stay reaches back into,
    // nothing else, though 2013–2025 are seeded.
    expect(ranged.map(yearOf)).toContain(2024);
    expect(ranged.every((s) => yearOf(s) >= first && yearOf(s) <= 2024)).toBe(true);
    // The dossiers still open (a partial index, a few rows a year): the years up to the period's, and
    // the default partition (it could hold any year).
    expect(open.every((s) => yearOf(s) <= 2024 || s.startsWith('dossiers_default '))).toBe(true);
  });
});
