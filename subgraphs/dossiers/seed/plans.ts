/**
 * Each agency's plans of online public services (kế hoạch), one per year from 2014: a share of its
 * procedures that grows year by year (a fifth in 2014, all of them by 2022), drawn around that per
 * agency and year, so plans differ between communes of a district and the scorecard's
 * onlineServices KPI ranks them. Published figure: Ba Bể planned 40 services for 2018, and provided 26
 * of them online in the first nine months (procedures.ts) — 65% of the plan.
 */
import { Prng } from '../../../kit/synthetic';
import type { AgencySeed, InsertOf } from '../../../kit';
import type { onlineServicePlans } from '../db/tables';
import { BA_BE } from './procedures';

const FIRST_PLAN_YEAR = 2014;

/** Published plans: agency code → year → planned services. */
export const PUBLISHED_PLANS: Readonly<Record<string, Readonly<Record<number, number>>>> = {
  [BA_BE]: { 2018: 40 },
};

export function plansOf(
  a: AgencySeed,
  procedures: number,
  lastYear: number,
): InsertOf<typeof onlineServicePlans>[] {
  const rng = new Prng(`plans:${a.code}`);
  const out: InsertOf<typeof onlineServicePlans>[] = [];
  for (let year = FIRST_PLAN_YEAR; year <= lastYear; year++) {
    const jitter = 0.8 + rng.next() * 0.4;
    if (`${year}-12-31` < a.validFrom || (a.validTo && `${year}-01-01` > a.validTo)) continue;
    const share = Math.min(1, 0.2 + 0.1 * (year - FIRST_PLAN_YEAR));
    const drawn = Math.max(1, Math.min(procedures, Math.round(procedures * share * jitter)));
    out.push({
      agencyCode: a.code,
      year,
      plannedServices: PUBLISHED_PLANS[a.code]?.[year] ?? drawn,
      setBy: null,
    });
  }
  return out;
}
