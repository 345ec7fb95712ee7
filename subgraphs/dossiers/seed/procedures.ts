/**
 * Each agency's procedures and the history of the online service each offers.
 *
 * - Every procedure starts at level 2 (information and forms online) when the agency starts (not before
 *   2010). Level 3 (submit online) comes in a year drawn around the agency's adoption midpoint (provinces
 *   first, communes last), level 4 (pay and receive online) for about 40% of those one to three years
 *   later. On 1 August 2022 (Decree 42/2022/NĐ-CP [K]) the scope replaces the level: level 4 →
 *   TOAN_TRINH, level 3 → MOT_PHAN, otherwise KHONG; some MOT_PHAN become TOAN_TRINH in 2024.
 * - Published figures override the draw: Điện Biên Phủ 2013, 39 online public services (level ≥ 3 at
 *   some time in 2013); Bắc Ninh 2013, exactly three services at level 3 (construction permits, private
 *   medical and pharmacy practice, complaints and denunciations) and none above; Ba Bể, first nine
 *   months of 2018, 26 services online — 65% of its plan of 40 for the year (plans.ts).
 */
import { Prng } from '../../../kit/synthetic';
import type { AgencySeed } from '../../../kit';
import type { OnlineScope } from '../generated/graphql';
import { BAC_NINH_LEVEL3_2013, PROCEDURES_BY_LEVEL } from './vocabulary';
import type { ProcedureSeed } from './vocabulary';

export const DIEN_BIEN_PHU = '000.00.94.H18';
export const BAC_NINH = '000.00.00.H05';
export const DIEN_BIEN_PHU_ONLINE_2013 = 39;
export const BA_BE = '000.00.61.H03';
/** Ba Bể: services online (level ≥ 3) at some time from 1 January to 30 September 2018. */
export const BA_BE_ONLINE_2018 = { until: '2018-09-30', services: 26 };
const DECREE_42 = '2022-08-01';

export interface SeedProcedure extends ProcedureSeed {
  code: string;
  agencyCode: string;
}

export interface SeedOnlineService {
  procedureCode: string;
  validFrom: string;
  onlineLevel: number | null;
  onlineScope: OnlineScope | null;
}

/** Agencies that run a one-stop desk: people's committees of provinces, districts and communes. */
export const servesDossiers = (a: AgencySeed): boolean => PROCEDURES_BY_LEVEL[a.level] !== undefined;

export const proceduresOf = (a: AgencySeed): SeedProcedure[] =>
  (PROCEDURES_BY_LEVEL[a.level] ?? []).map((p) => ({
    ...p,
    code: `${p.nationalCode}.${a.code}`,
    agencyCode: a.code,
  }));

const LEAD: Record<string, number> = { PROVINCE: -1, DISTRICT: 0, COMMUNE: 1.5 };

const maxDate = (a: string, b: string): string => (a > b ? a : b);
const dateIn = (rng: Prng, year: number): string =>
  `${year}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;

/** Level-3 and level-4 start dates of one procedure at one agency (null = never). */
function drawLevels(
  a: AgencySeed,
  p: SeedProcedure,
  rng: Prng,
  midpoint: number,
): [string | null, string | null] {
  const y3 = Math.round(midpoint + (rng.next() - 0.5) * 5);
  if (y3 > 2022) return [null, null];
  const l3 = dateIn(rng, Math.max(2012, y3));
  const l4 = rng.chance(0.4) ? dateIn(rng, Math.min(2022, Number(l3.slice(0, 4)) + rng.int(1, 3))) : null;
  if (a.code === BAC_NINH) {
    // Bắc Ninh 2013: exactly the three published services at level 3, none at level 4.
    if (BAC_NINH_LEVEL3_2013.includes(p.name))
      return ['2012-07-01', l4 && l4 < '2014-01-01' ? '2016-03-01' : l4];
    return [maxDate(l3, '2014-01-01'), l4 ? maxDate(l4, '2015-01-01') : null];
  }
  return [l3, l4 && l4 > l3 ? l4 : null];
}

export function onlineHistory(a: AgencySeed, procs: readonly SeedProcedure[]): SeedOnlineService[] {
  const rng = new Prng(`online:${a.code}`);
  const midpoint = 2016 + (LEAD[a.level] ?? 0) + (rng.next() - 0.5) * 3;
  const start = maxDate(a.validFrom, '2010-01-01');
  const out: SeedOnlineService[] = [];
  procs.forEach((p, i) => {
    let [l3, l4] = drawLevels(a, p, rng, midpoint);
    if (a.code === DIEN_BIEN_PHU) {
      // The first 39 offered at level ≥ 3 during 2013, the others only from 2014 on.
      l3 =
        i < DIEN_BIEN_PHU_ONLINE_2013 ? `2013-0${1 + (i % 9)}-15` : maxDate(l3 ?? '2016-01-01', '2014-03-01');
      if (l4 && l4 <= l3) l4 = null;
    }
    if (a.code === BA_BE) {
      // The first 26 online by 30 September 2018 (when their own draw is, or in 2018), the others after.
      const by = BA_BE_ONLINE_2018.until;
      l3 =
        i < BA_BE_ONLINE_2018.services
          ? l3 && l3 <= by
            ? l3
            : `2018-0${1 + (i % 9)}-10`
          : maxDate(l3 ?? '2019-06-01', '2018-10-01');
      if (l4 && l4 <= l3) l4 = null;
    }
    const rows: SeedOnlineService[] = [
      { procedureCode: p.code, validFrom: start, onlineLevel: 2, onlineScope: null },
    ];
    const add = (from: string, level: number | null, scope: OnlineScope | null): void => {
      if (from <= (a.validTo ?? '9999-12-31'))
        rows.push({
          procedureCode: p.code,
          validFrom: maxDate(from, start),
          onlineLevel: level,
          onlineScope: scope,
        });
    };
    if (l3 && l3 < DECREE_42) add(l3, 3, null);
    if (l4 && l4 < DECREE_42) add(l4, 4, null);
    const scope: OnlineScope = l4 ? 'TOAN_TRINH' : l3 ? 'MOT_PHAN' : 'KHONG';
    add(DECREE_42, null, scope);
    if (scope === 'MOT_PHAN' && rng.chance(0.4)) add(dateIn(rng, 2024), null, 'TOAN_TRINH');
    // Merge rows that start on the same day (an agency starting late): the last one wins.
    const byDay = new Map<string, SeedOnlineService>();
    for (const r of rows) {
      const prev = byDay.get(r.validFrom);
      byDay.set(
        r.validFrom,
        prev
          ? {
              ...prev,
              onlineLevel: r.onlineLevel ?? prev.onlineLevel,
              onlineScope: r.onlineScope ?? prev.onlineScope,
            }
          : r,
      );
    }
    out.push(...[...byDay.values()].sort((x, y) => (x.validFrom < y.validFrom ? -1 : 1)));
  });
  return out;
}

/** The online level of a procedure on a date, from its history (seed-side twin of the SQL read). */
export function levelOn(history: readonly SeedOnlineService[], date: string): number {
  let level = 0;
  for (const r of history) if (r.validFrom <= date && r.onlineLevel !== null) level = r.onlineLevel;
  let scope: OnlineScope | null = null;
  for (const r of history) if (r.validFrom <= date && r.onlineScope !== null) scope = r.onlineScope;
  if (scope) return scope === 'TOAN_TRINH' ? 4 : scope === 'MOT_PHAN' ? 3 : 2;
  return level;
}
