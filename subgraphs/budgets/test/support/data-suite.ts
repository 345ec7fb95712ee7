/**
 * The budgets subgraph's data tests, run against the embedded PostgreSQL (data.int.test.ts) and a
 * PostgreSQL server given by URL (data.services.test.ts): totals and rates against the lines summed by
 * hand, magnitudes, disclosure, filters and batching (round trips) here; writes and precision beyond
 * 2^53 in write-tests.ts, on the same seeded database.
 */
import type { Database } from '../../../../kit';
import { callers, startTestSubgraph } from '../../../../kit/testing';
import type { TestSubgraph } from '../../../../kit/testing';
import { budgets } from '../../subgraph';
import { HANOI, MINISTRY_OF_FINANCE } from '../../seed';
import { allLines, BAC_TU_LIEM, LAP_THACH, sumByHand, TEST_SCALE, TOTALS } from './fixtures';
import { writeTests } from './write-tests';

const BUDGET = `query($reps: [_Any!]!, $year: Int!, $sub: Boolean) { _entities(representations: $reps) {
  ... on Agency { code budget(year: $year, includeSubordinates: $sub) { fiscalYear includeSubordinates executionRate
    revenue { ${TOTALS} } expenditure { ${TOTALS} } bySection { direction sectionCode totals { ${TOTALS} } } } } } }`;

const pick = (t: Record<string, unknown>) => ({
  lineCount: t.lineCount,
  initialEstimate: t.initialEstimate,
  currentEstimate: t.currentEstimate,
  executed: t.executed,
  finalAccounts: t.finalAccounts,
  executionRate: t.executionRate,
});

export function budgetsDataSuite(label: string, open: () => Promise<Database>): void {
  describe(`budgets data (${label})`, () => {
    let h: TestSubgraph;
    beforeAll(async () => {
      // Reads as an analyst (every line); the writes as an official of Lập Thạch (write-tests.ts).
      h = await startTestSubgraph(budgets, { db: await open(), scale: TEST_SCALE, caller: callers.analyst });
    }, 180_000);
    afterAll(async () => h?.close());

    const budget = async (codes: string[], year: number, sub = false) => {
      const r = await h.gql(BUDGET, {
        reps: codes.map((code) => ({ __typename: 'Agency', code })),
        year,
        sub,
      });
      expect(r.errors).toBeUndefined();
      return r.data!._entities as { code: string; budget: Record<string, any> }[];
    };

    test('Agency.budget equals the lines summed by hand: totals, rates, sections, with and without subordinates', async () => {
      for (const sub of [false, true]) {
        const [b] = await budget([LAP_THACH], 2017, sub);
        const lines = await allLines(h, {
          agencyCode: LAP_THACH,
          includeSubordinates: sub,
          fiscalYear: 2017,
        });
        expect(lines.length).toBe(b!.budget.revenue.lineCount + b!.budget.expenditure.lineCount);
        const spend = sumByHand(lines.filter((l) => l.direction === 'CHI'));
        expect(pick(b!.budget.expenditure)).toEqual(spend);
        expect(pick(b!.budget.revenue)).toEqual(sumByHand(lines.filter((l) => l.direction === 'THU')));
        expect(b!.budget.executionRate).toBe(spend.executionRate);
        expect(spend.executionRate).toBeGreaterThan(0.6);
        for (const s of b!.budget.bySection)
          expect(pick(s.totals)).toEqual(
            sumByHand(lines.filter((l) => l.direction === s.direction && l.sectionCode === s.sectionCode)),
          );
        // Millions: the same amounts, divided by 10^6, rounded to 1,000 VND.
        expect(b!.budget.expenditure.executedMillions).toBeCloseTo(Number(spend.executed) / 1e6, 3);
      }
      const [own] = await budget([LAP_THACH], 2017, false);
      const [all] = await budget([LAP_THACH], 2017, true);
      expect(BigInt(all!.budget.expenditure.currentEstimate)).toBeGreaterThan(
        BigInt(own!.budget.expenditure.currentEstimate),
      );
    });

    test('plausible magnitudes: trillions for provinces, ≈ 2 × 10^15 VND state revenue; rates vary by agency and year', async () => {
      const [mof, hn, bn] = await budget([MINISTRY_OF_FINANCE, HANOI, '000.00.00.H05'], 2025);
      const revenue = BigInt(mof!.budget.revenue.currentEstimate);
      expect(revenue).toBeGreaterThan(1_500_000_000_000_000n);
      expect(BigInt(hn!.budget.expenditure.currentEstimate)).toBeGreaterThan(100_000_000_000_000n);
      expect(BigInt(bn!.budget.expenditure.currentEstimate)).toBeGreaterThan(5_000_000_000_000n);
      // The current year is executed in part; closed years have final accounts.
      expect(hn!.budget.executionRate).toBeLessThan(0.9);
      expect(hn!.budget.expenditure.finalAccounts).toBe('0');
      const rates = new Set<number>();
      for (const year of [2014, 2018, 2022]) {
        const rows = await budget([LAP_THACH, BAC_TU_LIEM, HANOI, '000.00.94.H18'], year);
        for (const r of rows) {
          rates.add(r.budget.executionRate);
          expect(BigInt(r.budget.expenditure.finalAccounts)).toBeGreaterThan(0n);
        }
      }
      expect(rates.size).toBeGreaterThanOrEqual(10);
    });

    test('no N+1: budgets of 40 agencies in one query cost one round trip per distinct (year, subordinates)', async () => {
      const codes = (
        await h.db.query<{ code: string }>('SELECT code FROM agencies ORDER BY code LIMIT 40')
      ).map((r) => r.code);
      const reps = codes.map((code) => ({ __typename: 'Agency', code }));
      const before = h.db.roundTrips;
      const r = await h.gql(
        `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Agency {
          a: budget(year: 2020) { executionRate expenditure { executed } bySection { sectionCode } }
          b: budget(year: 2020, includeSubordinates: true) { executionRate }
          c: budget(year: 2021) { revenue { executed } } } } }`,
        { reps },
      );
      expect(r.errors).toBeUndefined();
      expect(r.data!._entities).toHaveLength(40);
      expect(h.db.roundTrips - before).toBe(3);
    });

    test('public disclosure: aggregates only, matching Agency.budget; groups add up to expenditure', async () => {
      const r =
        await h.gql(`{ budgetDisclosure(agencyCode: "${HANOI}", year: 2019) { agency { code } fiscalYear
        revenue { ${TOTALS} } expenditure { ${TOTALS} } expenditureByGroup { group totals { ${TOTALS} } }
        bySection { direction sectionCode totals { executed } } } }`);
      expect(r.errors).toBeUndefined();
      const d = r.data!.budgetDisclosure;
      const [b] = await budget([HANOI], 2019);
      expect(d.expenditure).toEqual(b!.budget.expenditure);
      expect(d.expenditureByGroup.map((g: { group: string }) => g.group)).toEqual([
        'DAU_TU_PHAT_TRIEN',
        'THUONG_XUYEN',
        'TRA_NO',
        'DU_PHONG',
      ]);
      const sum = d.expenditureByGroup.reduce((n: bigint, g: any) => n + BigInt(g.totals.executed), 0n);
      expect(String(sum)).toBe(d.expenditure.executed);
      const fields = await h.gql(`{ __type(name: "BudgetDisclosure") { fields { name } } }`);
      const names = fields.data!.__type.fields.map((f: { name: string }) => f.name);
      expect(names).not.toContain('lines');
      expect(names.some((n: string) => /subsection/i.test(n))).toBe(false);
      const unknown = await h.gql(
        `{ budgetDisclosure(agencyCode: "000.00.99.H99", year: 2019) { fiscalYear } }`,
      );
      expect(unknown.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    });

    test('filters: chapter, section, direction; malformed codes are BAD_USER_INPUT naming the field', async () => {
      const lines = await allLines(h, {
        fiscalYear: 2016,
        chapter: '605',
        section: '6100',
        direction: 'CHI',
      });
      expect(lines).toHaveLength(32);
      for (const l of lines) {
        expect(l).toMatchObject({
          chapter: '605',
          budgetLevel: 'HUYEN',
          sectionCode: '6100',
          fiscalYear: 2016,
        });
        expect(['6101', '6102', '6112', '6115']).toContain(l.subsectionCode);
      }
      const revenue = await allLines(h, { agencyCode: LAP_THACH, fiscalYear: 2016, direction: 'THU' });
      for (const l of revenue) expect(Number(l.sectionCode)).toBeLessThan(5000);
      for (const [f, field] of [
        [{ chapter: '6O5' }, 'filter.chapter'],
        [{ chapter: '995' }, 'filter.chapter'],
        [{ section: '610' }, 'filter.section'],
        [{ fiscalYear: 1890 }, 'filter.fiscalYear'],
        [{ agencyCode: 'H62' }, 'filter.agencyCode'],
      ] as const) {
        const r = await h.gql(`query($f: BudgetLineFilter) { budgetLines(filter: $f) { nodes { id } } }`, {
          f,
        });
        expect(r.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      }
      const unknown = await h.gql(
        `{ budgetLines(filter: { agencyCode: "000.00.99.H99" }) { nodes { id } } }`,
      );
      expect(unknown.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    });

    writeTests(() => h);
  });
}
