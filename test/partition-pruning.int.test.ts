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
import { dossiersByCodes } from '../subgraphs/dossiers/db/reads';
import { issueApologyLetter, transition } from '../subgraphs/dossiers/db/writes';
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

/**
 * The scans the executor ran (loops > 0), or with `planned` every scan the plan holds (pruned at
 * planning, or not at all): relation and index, e.g. `dossiers_2024 dossiers_agency_stats_2024`.
 */
function scansRun(node: PlanNode, out: string[] = [], planned = false): string[] {
  if (node['Relation Name'] && (planned || (node['Actual Loops'] ?? 0) > 0))
    out.push(`${node['Relation Name']} ${node['Index Name'] ?? bitmapIndex(node) ?? node['Node Type']}`);
  for (const child of node.Plans ?? []) scansRun(child, out, planned);
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
  planned = false,
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
        scans.push(...scansRun(row!['QUERY PLAN'][0].Plan, [], planned));
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
    const open = scans.filter((s) => s.includes(' dossiers_open_'));
    const ranged = scans.filter((s) => !open.includes(s));
    // The grid's range scan, which reads every dossier received in the period (whichever index the
    // planner takes at this scale): the year itself and the years the longest stay reaches back into,
    // nothing else, though 2013–2025 are seeded.
    expect(ranged.map(yearOf)).toContain(2024);
    expect(ranged.every((s) => yearOf(s) >= first && yearOf(s) <= 2024)).toBe(true);
    // Pruned when planned, not only skipped when run: the plan holds no other year at all (the longest
    // stay is read first, so the range's bounds are constants), and planning stays as cheap at ten
    // years of history as at one.
    const planned = await scannedBy(h.db, 'dossiers', (q) => dossierStats(q, [BAC_TU_LIEM], YEAR_2024), true);
    const plannedRange = planned.filter((s) => s.startsWith('dossiers_') && !s.includes(' dossiers_open_'));
    expect(plannedRange.map(yearOf)).toContain(2024);
    expect(plannedRange.every((s) => yearOf(s) >= first && yearOf(s) <= 2024)).toBe(true);
    expect(open.every((s) => yearOf(s) <= 2024 || s.startsWith('dossiers_default '))).toBe(true);
  });

  test('a dossier found by code is planned in its year’s partition only', async () => {
    const rows = await h.db.query<{ code: string; year: number }>(
      `SELECT DISTINCT ON (extract(year FROM received_on)) code, extract(year FROM received_on)::int AS year
         FROM dossiers WHERE received_on >= DATE '2019-01-01' ORDER BY extract(year FROM received_on), code LIMIT 2`,
    );
    expect(rows.map((r) => r.year)).toEqual([2019, 2020]);
    const codes = rows.map((r) => r.code);
    const planned = await scannedBy(h.db, 'dossier_view', (q) => dossiersByCodes(q, codes), true);
    expect(partitionsOf(planned, 'dossiers')).toEqual(['dossiers_2019', 'dossiers_2020']);
    expect((await dossiersByCodes(h.db, codes)).map((d) => d.code).sort()).toEqual([...codes].sort());
    expect(await dossiersByCodes(h.db, ['000.00.21.H26-190101-9999'])).toEqual([]);
  });

  test('a mutation of a dossier locks and updates it in its year’s partition only', async () => {
    const [open] = await h.db.query<{ code: string; year: number }>(
      `SELECT code, extract(year FROM received_on)::int AS year FROM dossiers
        WHERE status = 'DANG_XU_LY' ORDER BY received_at LIMIT 1`,
    );
    expect(open).toBeDefined();
    // Every statement of the mutation's transaction that reads or writes the partitioned table is
    // EXPLAINed (not run twice) in the same transaction, just before it runs.
    const planned: string[] = [];
    const spied: Database = {
      ...h.db,
      transaction: (fn) =>
        h.db.transaction((tx) =>
          fn({
            ...tx,
            query: (async (sql: string, params?: unknown[]) => {
              if (/\b(FROM|UPDATE) dossiers\b/.test(sql)) {
                const [row] = await tx.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
                  `EXPLAIN (FORMAT JSON) ${sql}`,
                  params,
                );
                planned.push(...scansRun(row!['QUERY PLAN'][0].Plan, [], true));
              }
              return tx.query(sql, params as never);
            }) as Queryable['query'],
          }),
        ),
    };
    const actor = { officialId: null, officialName: null, unitName: null };
    const at = new Date().toISOString();
    const apology = await issueApologyLetter(spied, {
      code: open!.code,
      reason: 'Chờ ý kiến cơ quan phối hợp',
      newAppointmentDate: '2099-01-01',
      at,
    });
    expect(apology.code).toBe(open!.code);
    const done = await transition(spied, { code: open!.code, to: 'DA_XU_LY_XONG', at, note: null, actor });
    expect(done).toMatchObject({ code: open!.code, status: 'DA_XU_LY_XONG' });
    expect(planned.length).toBeGreaterThanOrEqual(3); // two locks and the update were planned
    expect(partitionsOf(planned, 'dossiers')).toEqual([`dossiers_${open!.year}`]);
    // A code that is no dossier is NOT_FOUND, as before.
    await expect(
      transition(spied, { code: '000.00.21.H26-190101-9999', to: 'DA_XU_LY_XONG', at, note: null, actor }),
    ).rejects.toThrow(/Dossier 000\.00\.21\.H26-190101-9999/);
  });
});
