/** Folds the aggregate rows of one agency into the totals the API shows (BigInt sums, exact). */
import type { KpiParts, KpiSource } from '../../../kit';
import type { BudgetDirection, ExpenditureGroup } from '../generated/graphql';
import type { AggregateRow } from './reads';

/** Sums of some lines, in VND as decimal strings. */
export interface TotalsValue {
  lineCount: number;
  initialEstimate: string;
  currentEstimate: string;
  executed: string;
  finalAccounts: string;
}

export interface BudgetSummary {
  agencyCode: string;
  fiscalYear: number;
  includeSubordinates: boolean;
  revenue: TotalsValue;
  expenditure: TotalsValue;
  bySection: { direction: BudgetDirection; sectionCode: string; totals: TotalsValue }[];
  expenditureByGroup: { group: ExpenditureGroup; totals: TotalsValue }[];
}

/** An agency's budget with its scorecard KPI (previous year, rank among siblings) through the aggregates loader. */
export interface AgencyBudgetValue extends BudgetSummary {
  kpi: (measure: (b: BudgetSummary) => KpiParts) => KpiSource;
}

interface Acc {
  lineCount: number;
  initialEstimate: bigint;
  currentEstimate: bigint;
  executed: bigint;
  finalAccounts: bigint;
}

const zero = (): Acc => ({
  lineCount: 0,
  initialEstimate: 0n,
  currentEstimate: 0n,
  executed: 0n,
  finalAccounts: 0n,
});

function add(acc: Acc, r: AggregateRow): void {
  acc.lineCount += r.lineCount;
  acc.initialEstimate += BigInt(r.initialEstimate);
  acc.currentEstimate += BigInt(r.currentEstimate);
  acc.executed += BigInt(r.executed);
  acc.finalAccounts += BigInt(r.finalAccounts);
}

const out = (a: Acc): TotalsValue => ({
  lineCount: a.lineCount,
  initialEstimate: a.initialEstimate.toString(),
  currentEstimate: a.currentEstimate.toString(),
  executed: a.executed.toString(),
  finalAccounts: a.finalAccounts.toString(),
});

const GROUPS: ExpenditureGroup[] = ['DAU_TU_PHAT_TRIEN', 'THUONG_XUYEN', 'TRA_NO', 'DU_PHONG'];

export function summarize(
  agencyCode: string,
  fiscalYear: number,
  includeSubordinates: boolean,
  rows: readonly AggregateRow[],
): BudgetSummary {
  const revenue = zero();
  const expenditure = zero();
  const sections = new Map<string, Acc>();
  const groups = new Map<ExpenditureGroup, Acc>();
  for (const r of rows) {
    add(r.direction === 'THU' ? revenue : expenditure, r);
    const key = `${r.direction}|${r.sectionCode}`;
    if (!sections.has(key)) sections.set(key, zero());
    add(sections.get(key)!, r);
    if (r.expenditureGroup) {
      const g = r.expenditureGroup as ExpenditureGroup;
      if (!groups.has(g)) groups.set(g, zero());
      add(groups.get(g)!, r);
    }
  }
  // Revenue (THU) before expenditure (CHI), then by section code.
  const bySection = [...sections.entries()]
    .sort(([a], [b]) => Number(a.startsWith('CHI')) - Number(b.startsWith('CHI')) || (a < b ? -1 : 1))
    .map(([key, acc]) => {
      const [direction, sectionCode] = key.split('|') as [BudgetDirection, string];
      return { direction, sectionCode, totals: out(acc) };
    });
  return {
    agencyCode,
    fiscalYear,
    includeSubordinates,
    revenue: out(revenue),
    expenditure: out(expenditure),
    bySection,
    expenditureByGroup: GROUPS.filter((g) => groups.has(g)).map((group) => ({
      group,
      totals: out(groups.get(group)!),
    })),
  };
}
