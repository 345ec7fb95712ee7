/**
 * How many documents an agency issues in a year and which share goes electronically. Published
 * figures of the seed reports are reproduced exactly for their agencies and years.
 */
import type { AgencySeed } from '../../../kit/catalogue';
import type { Prng } from '../../../kit/prng';
import { FIRST_YEAR } from './calendar';

/** Published electronic-exchange ratios the scorecard must reproduce: agency unit code → year → ratio. */
export const PUBLISHED_ELECTRONIC_RATIOS: Readonly<Record<string, Readonly<Record<number, number>>>> = {
  '021': { 2014: 0.9 }, // Bắc Từ Liêm 2014: 90% of documents exchanged electronically
};

const PER_YEAR: Record<AgencySeed['level'], number> = {
  CENTRAL: 10,
  PROVINCE: 30,
  DEPARTMENT: 16,
  DISTRICT: 20,
  COMMUNE: 6,
};

export interface YearPlan {
  /** Public outgoing documents of the year (secret ones come on top). */
  count: number;
  /** Share of them sent electronically. */
  electronicRatio: number;
}

/** The plan of one agency's register for one year, over `days` days of it. */
export function yearPlan(a: AgencySeed, year: number, days: number, scale: number, rng: Prng): YearPlan {
  const target = PUBLISHED_ELECTRONIC_RATIOS[a.unitCode ?? '']?.[year];
  const base = Math.max(1, Math.round((PER_YEAR[a.level] * scale * days) / 365));
  const count = target !== undefined ? Math.max(base, 20) : base;
  const electronicRatio =
    target ?? Math.min(0.98, Math.max(0.2, 0.3 + (year - FIRST_YEAR) * 0.06 + (rng.next() - 0.5) * 0.1));
  return { count, electronicRatio };
}

/** Share of electronic documents that are digitally signed in a year. */
export const signedShare = (year: number): number => Math.min(0.97, 0.2 + (year - FIRST_YEAR) * 0.08);
