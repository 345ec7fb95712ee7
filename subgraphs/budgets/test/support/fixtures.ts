/** What the budgets data suite's tests share: agencies, queries and a by-hand sum of lines. */
import type { TestSubgraph } from '../../../../kit/testing';

export const LAP_THACH = '000.00.46.H62';
export const BAC_TU_LIEM = '000.00.21.H26';
export const TEST_SCALE = 0.25;
export const TWO_POW_53 = 9_007_199_254_740_992n;

export const LINE_FIELDS = `id agencyCode: agency { code } fiscalYear direction expenditureGroup chapter budgetLevel typeCode clauseCode
  sectionCode subsectionCode initialEstimate adjustedEstimate currentEstimate executed finalAccounts
  currentEstimateMillions executedMillions executionRate`;

export const TOTALS = `lineCount initialEstimate currentEstimate executed finalAccounts currentEstimateMillions executedMillions executionRate`;

export interface Line {
  id: string;
  direction: 'THU' | 'CHI';
  sectionCode: string;
  initialEstimate: string;
  adjustedEstimate: string | null;
  currentEstimate: string;
  executed: string;
  finalAccounts: string | null;
  [k: string]: unknown;
}

/** Every line matching a filter, page by page (100 at a time). */
export async function allLines(h: TestSubgraph, filter: Record<string, unknown>): Promise<Line[]> {
  const out: Line[] = [];
  let after: string | null = null;
  for (;;) {
    const r: { data?: any; errors?: unknown } = await h.gql(
      `query($f: BudgetLineFilter, $after: String) { budgetLines(filter: $f, first: 100, after: $after) {
        nodes { ${LINE_FIELDS} } pageInfo { hasNextPage endCursor } } }`,
      { f: filter, after },
    );
    expect(r.errors).toBeUndefined();
    out.push(...(r.data!.budgetLines.nodes as Line[]));
    if (!r.data!.budgetLines.pageInfo.hasNextPage) return out;
    after = r.data!.budgetLines.pageInfo.endCursor;
  }
}

/** Sums by hand in BigInt; the rate is executed ÷ estimate in force, 4 decimals half up. */
export function sumByHand(lines: Line[]) {
  let current = 0n;
  let executed = 0n;
  let initial = 0n;
  let final = 0n;
  for (const l of lines) {
    initial += BigInt(l.initialEstimate);
    current += BigInt(l.adjustedEstimate ?? l.initialEstimate);
    executed += BigInt(l.executed);
    final += BigInt(l.finalAccounts ?? '0');
  }
  const rate = current === 0n ? null : Number((executed * 20_000n + current) / (2n * current)) / 10_000;
  return {
    lineCount: lines.length,
    initialEstimate: String(initial),
    currentEstimate: String(current),
    executed: String(executed),
    finalAccounts: String(final),
    executionRate: rate,
  };
}
