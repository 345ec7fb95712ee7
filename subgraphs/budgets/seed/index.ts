/**
 * Deterministic seed of the budgets subgraph (seeded PRNG; same scale, same data).
 *
 * The shared reference catalogue is loaded as is. Every agency gets, for each fiscal year it exists
 * from 2013 to the current one (plan.ts), revenue lines on 1xxx–4xxx and expenditure lines on 6xxx–9xxx
 * (vocabulary.ts) under its chapter: the year's totals split by weight with some scatter, about a third
 * of the lines adjusted during the year (with the adjustment in the journal), executed around the
 * agency's execution rate for the year, and final accounts for closed years.
 *
 * Scale: `scale` sets how many loại–khoản functions carry expenditure lines (1 → 2 of 4, ≈ 27,000
 * lines; tests use 0.25 → 1). The totals do not depend on it.
 */
import { AGENCIES, insertRows, referenceCatalogue } from '../../../kit';
import { Prng } from '../../../kit/synthetic';
import type { AgencySeed, CatalogueSeedResult, Database, InsertOf, Queryable } from '../../../kit';
import { budgetEntries, budgetLines } from '../db/tables';
import { FIRST_YEAR, CURRENT_YEAR, planYear } from './plan';
import { chapterOf, EXPENDITURE, FUNCTIONS, REVENUE } from './vocabulary';
import type { SubsectionSeed } from './vocabulary';

export { CURRENT_YEAR, HANOI, MINISTRY_OF_FINANCE, SEED_NOW } from './plan';

export interface SeedResult {
  catalogue: CatalogueSeedResult | null;
  lines: number;
}

type LineInsert = InsertOf<typeof budgetLines>;
type EntryInsert = InsertOf<typeof budgetEntries>;

/** Seeds an empty database in one transaction; returns null when data is already there. */
export async function seed(db: Database, scale: number): Promise<SeedResult | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM budget_lines');
    if (row!.n > 0) return null;
    const catalogue = await referenceCatalogue.seed(tx);
    return { catalogue, lines: await seedLines(tx, scale) };
  });
}

const existsIn = (a: AgencySeed, year: number): boolean =>
  a.validFrom <= `${year}-12-31` && (a.validTo === null || a.validTo >= `${year}-01-01`);

/** Rounds to 1,000 VND. */
const vnd = (x: number): number => Math.max(0, Math.round(x / 1000) * 1000);

async function seedLines(tx: Queryable, scale: number): Promise<number> {
  const rng = new Prng('budgets:2013');
  const functions = FUNCTIONS.slice(0, Math.min(FUNCTIONS.length, Math.max(1, Math.round(2 * scale))));
  const lines: LineInsert[] = [];
  const entries: EntryInsert[] = [];
  const push = (
    a: AgencySeed,
    year: number,
    s: SubsectionSeed,
    fn: readonly [string, string],
    total: number,
    share: number,
  ) => {
    const plan = planYear(a, year);
    const initial = vnd(total * share * (0.9 + 0.2 * rng.next()));
    const adjusted = rng.chance(0.35) ? vnd(initial * (0.9 + 0.3 * rng.next())) : null;
    const current = adjusted ?? initial;
    const executed = vnd(current * plan.executionRate * plan.elapsed * (0.9 + 0.2 * rng.next()));
    const id = lines.length + 1;
    lines.push({
      id,
      agencyCode: a.code,
      fiscalYear: year,
      direction: s.group ? 'CHI' : 'THU',
      expenditureGroup: s.group,
      chapter: chapterOf(a),
      typeCode: fn[0],
      clauseCode: fn[1],
      sectionCode: String(Math.floor(Number(s.code) / 50) * 50).padStart(4, '0'),
      subsectionCode: s.code,
      description: s.description,
      initialEstimate: String(initial),
      adjustedEstimate: adjusted === null ? null : String(adjusted),
      executed: String(executed),
      finalAccounts: plan.closed ? String(executed) : null,
    });
    if (adjusted !== null && adjusted !== initial)
      entries.push({
        lineId: id,
        kind: 'DIEU_CHINH',
        amount: String(adjusted - initial),
        date: `${year}-07-15`,
        note: 'Bổ sung, điều chỉnh dự toán giữa năm (Nghị quyết HĐND)',
      });
  };
  for (const a of AGENCIES) {
    for (let year = FIRST_YEAR; year <= CURRENT_YEAR; year++) {
      if (!existsIn(a, year)) continue;
      const plan = planYear(a, year);
      const revenueWeight = REVENUE.reduce((n, s) => n + s.weight, 0);
      for (const s of REVENUE) push(a, year, s, ['000', '000'], plan.revenue, s.weight / revenueWeight);
      // Communes carry no debt service.
      const spend = EXPENDITURE.filter((s) => a.level !== 'COMMUNE' || s.group !== 'TRA_NO');
      const spendWeight = spend.reduce((n, s) => n + s.weight, 0) * functions.length;
      for (const fn of functions)
        for (const s of spend) push(a, year, s, fn, plan.expenditure, s.weight / spendWeight);
    }
  }
  await insertRows(tx, budgetLines, lines);
  await insertRows(tx, budgetEntries, entries);
  await tx.exec(`
    SELECT setval('budget_lines_id_seq', greatest(1, (SELECT max(id) FROM budget_lines)));
    ANALYZE budget_lines, budget_entries;
  `);
  return lines.length;
}
