/** Dates of the seed: its reference date, the years it covers, and calendar arithmetic on YYYY-MM-DD. */
import { daysBetween, existsOn } from '../../../kit';
import type { Interval } from '../../../kit';

/** Reference date of the seed: documents are generated up to it, statuses are as of it. */
export const SEED_NOW = '2025-11-15';
/** Registers are seeded from 2010, when electronic exchange was still rare. */
export const FIRST_YEAR = 2010;
export const LAST_YEAR = Number(SEED_NOW.slice(0, 4));

export { addDays, daysBetween } from '../../../kit';
export const minDate = (a: string, b: string): string => (a < b ? a : b);
const maxDate = (a: string, b: string): string => (a > b ? a : b);

/** The days of `year` on which something valid over `v` exists, up to SEED_NOW; null when none. */
export function spanInYear(v: Interval, year: number): { start: string; end: string; days: number } | null {
  const start = maxDate(`${year}-01-01`, v.validFrom);
  const end = minDate(minDate(`${year}-12-31`, v.validTo ?? '9999-12-31'), SEED_NOW);
  if (start > end) return null;
  return { start, end, days: daysBetween(start, end) + 1 };
}

/** Whether `v` exists on `date` and the date is not after SEED_NOW. */
export const activeOn = (v: Interval, date: string): boolean => date <= SEED_NOW && existsOn(v, date);
