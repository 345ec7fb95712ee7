/**
 * How much each agency budgets and spends each year: annual totals by level (province budgets in
 * trillions of VND; the Ministry of Finance carries the state revenue it collects, ≈ 2 × 10^15 VND by
 * 2025), growing over the years, and an execution profile that varies by agency and year.
 */
import { fnv1a } from '../../../kit/synthetic';
import type { AgencySeed } from '../../../kit';

export const FIRST_YEAR = 2013;
/** The seed's "today": the current fiscal year is executed in part and has no final accounts. */
export const SEED_NOW = '2025-11-15';
export const CURRENT_YEAR = Number(SEED_NOW.slice(0, 4));

/** The ministry whose revenue lines carry the state's tax revenue (the largest totals of the seed). */
export const MINISTRY_OF_FINANCE = '000.00.00.G12';
export const HANOI = '000.00.00.H26';

/** Annual totals in VND in FIRST_YEAR: [revenue, expenditure]. */
function base(a: AgencySeed): [number, number] {
  if (a.code === MINISTRY_OF_FINANCE) return [8.2e14, 4.5e12];
  if (a.code === HANOI) return [1.6e14, 6.2e13];
  switch (a.level) {
    case 'CENTRAL':
      return [6e10, 1.8e12];
    case 'PROVINCE':
      return [9e12, 1.6e13];
    case 'DEPARTMENT':
      return [2.5e10, 2.2e11];
    case 'DISTRICT':
      return [1.1e12, 1.4e12];
    default:
      return [6e9, 2.4e10];
  }
}

/** A number in [0, 1) fixed by a string: agency and year profiles that do not depend on draw order. */
const unit = (s: string): number => fnv1a(s) / 2 ** 32;

export interface YearPlan {
  revenue: number;
  expenditure: number;
  /** Executed ÷ estimate in force, around which the lines scatter. */
  executionRate: number;
  /** Share of the year elapsed (1 for closed years). */
  elapsed: number;
  closed: boolean;
}

export function planYear(a: AgencySeed, year: number): YearPlan {
  const [revenue, expenditure] = base(a);
  const growth = (1.06 + 0.04 * unit(`growth:${a.code}`)) ** (year - FIRST_YEAR);
  const size = 0.6 + 0.9 * unit(`size:${a.code}`);
  const scaleOf = a.code === MINISTRY_OF_FINANCE || a.code === HANOI ? 1 : size;
  // Execution improves over the years, differently by agency: ≈ 0.78–0.92 in 2013, ≈ 0.9–1.0 later.
  const skill = unit(`skill:${a.code}`);
  const executionRate =
    Math.min(1.02, 0.78 + 0.14 * skill + 0.012 * (year - FIRST_YEAR)) - 0.05 * unit(`dip:${a.code}:${year}`);
  const closed = year < CURRENT_YEAR;
  const elapsed = closed ? 1 : 0.82;
  return {
    revenue: revenue * growth * scaleOf,
    expenditure: expenditure * growth * scaleOf,
    executionRate,
    elapsed,
    closed,
  };
}
