/**
 * What happens to each seeded dossier: when it is received, through which channel, its appointment
 * date in working days (kit/reference/calendar), whether a supplement is requested (the date is set again), and
 * how it ends — early, on time, late, rejected at intake, withdrawn, stopped — or that it is still open
 * on SEED_NOW.
 *
 * Volumes: a base per level, times the agency's size (drawn once from its code), times growth over the
 * years (×2.3 from 2013 to 2025). The online share follows an S-curve per agency and needs the procedure
 * to be online (level ≥ 3) on the day; lateness differs by agency (2–10%) and falls over the years.
 * Published on-time ratios (PUBLISHED_ON_TIME) are then made exact (publishOnTime).
 */
import { defaultCalendar } from '../../../kit';
import { parcelOn, parcelPlan, Prng } from '../../../kit/synthetic';
import type { AgencySeed } from '../../../kit';
import type { DossierChannel } from '../generated/graphql';
import { applicant } from './applicants';
import type { ApplicantSeed } from './applicants';
import type { AgencyPlaces } from './places';
import { levelOn } from './procedures';
import type { SeedOnlineService, SeedProcedure } from './procedures';

export const SEED_NOW = '2025-11-15';
export const FIRST_YEAR = 2013;

/** Published on-time ratios: agency code → year → ratio (Lập Thạch 2017: 96% resolved on time). */
export const PUBLISHED_ON_TIME: Readonly<Record<string, Readonly<Record<number, number>>>> = {
  '000.00.46.H62': { 2017: 0.96 },
};

const PER_YEAR: Record<string, number> = { PROVINCE: 120, DISTRICT: 150, COMMUNE: 40 };

export type Outcome = 'EARLY' | 'ON_TIME' | 'LATE' | 'REJECTED' | 'WITHDRAWN' | 'STOPPED' | 'OPEN';

export interface PlannedDossier {
  agency: AgencySeed;
  procedure: SeedProcedure;
  receiptDay: string;
  /** Minutes after midnight (Vietnam) of the receipt. */
  receiptMinute: number;
  channel: DossierChannel;
  applicant: ApplicantSeed;
  summary: string;
  /** The appointment date (after any supplement request). */
  due: string;
  supplement: { requestDay: string; previousDue: string; suppliedDay: string } | null;
  outcome: Outcome;
  /** Processing finished (resolved outcomes) or left processing (rejected, withdrawn, stopped). */
  endDay: string | null;
  parcelId: string | null;
  rng: Prng;
  /** A dossier of the shared land-change plan (landChanges.ts): its code and return day are given. */
  fixed?: { code: string; returnDay: string };
}

const cal = defaultCalendar();
const minDate = (a: string, b: string): string => (a < b ? a : b);
const maxDate = (a: string, b: string): string => (a > b ? a : b);
const addDays = (d: string, n: number): string =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export interface AgencyProfile {
  size: number;
  onlineMidpoint: number;
  onlineCeiling: number;
  lateBase: number;
}

export function agencyProfile(a: AgencySeed): AgencyProfile {
  const rng = new Prng(`dossier-profile:${a.code}`);
  const around = (): number => rng.next() + rng.next() + rng.next() - 1.5;
  return {
    size: Math.exp(around() * 0.6),
    onlineMidpoint: 2020 + around() * 1.5 + (a.level === 'COMMUNE' ? 1 : 0),
    onlineCeiling: 0.5 + rng.next() * 0.35,
    lateBase: 0.02 + rng.next() * 0.08,
  };
}

export function yearCount(
  a: AgencySeed,
  p: AgencyProfile,
  year: number,
  days: number,
  scale: number,
): number {
  const growth = 0.55 + 0.1 * (year - FIRST_YEAR);
  const n = Math.max(1, Math.round((PER_YEAR[a.level] ?? 0) * p.size * growth * scale * (days / 365)));
  return PUBLISHED_ON_TIME[a.code]?.[year] !== undefined ? Math.max(n, 60) : n;
}

/** Working day of a year span, uniformly (moved to the next working day when it falls on a day off). */
function firstWorkingDay(start: string, end: string): string | null {
  const day = cal.isWorkingDay(start) ? start : cal.nextWorkingDay(start);
  return day <= end ? day : null;
}

function receiptDayIn(rng: Prng, start: string, end: string): string | null {
  const span = Math.round((Date.parse(end) - Date.parse(start)) / 86_400_000);
  const d = addDays(start, rng.int(0, span));
  const day = cal.isWorkingDay(d) ? d : cal.nextWorkingDay(d);
  return day <= end ? day : null;
}

function channelFor(rng: Prng, p: AgencyProfile, year: number, level: number): DossierChannel {
  if (rng.chance(0.03)) return 'BUU_CHINH';
  const share = p.onlineCeiling / (1 + Math.exp(-0.9 * (year - p.onlineMidpoint)));
  return level >= 3 && rng.chance(Math.min(0.95, share * 1.6)) ? 'TRUC_TUYEN' : 'TRUC_TIEP';
}

export interface YearInput {
  agency: AgencySeed;
  profile: AgencyProfile;
  year: number;
  start: string;
  end: string;
  count: number;
  procedures: readonly SeedProcedure[];
  online: ReadonlyMap<string, readonly SeedOnlineService[]>;
  places: AgencyPlaces;
  scale: number;
}

export function planYear(rng: Prng, y: YearInput): PlannedDossier[] {
  const choices = y.procedures
    .filter((p) => !p.landRelated || y.places.parcelCommunes.length > 0)
    .map((p) => [p, p.demand] as const);
  const lateShare = y.profile.lateBase * Math.pow(0.9, y.year - FIRST_YEAR);
  const out: PlannedDossier[] = [];
  for (let i = 0; i < y.count; i++) {
    const r = new Prng(`${y.agency.code}:${y.year}:${i}:${rng.int(0, 1e9)}`);
    // The first dossier of each agency and year is received first thing on its first working day, so
    // `<agency>-YYMMDD-0001` of that day exists at every scale (the examples in examples/ and the docs use one).
    const receiptDay = i === 0 ? firstWorkingDay(y.start, y.end) : receiptDayIn(r, y.start, y.end);
    if (!receiptDay || !y.places.localities.length) continue;
    const procedure = r.weighted(choices);
    const level = levelOn(y.online.get(procedure.code) ?? [], receiptDay);
    const channel = channelFor(r, y.profile, y.year, level);
    const days = procedure.processingDays;
    let due = cal.addWorkingDays(receiptDay, days);
    let supplement: PlannedDossier['supplement'] = null;
    if (days >= 3 && r.chance(0.09)) {
      const requestDay = cal.addWorkingDays(receiptDay, r.int(1, Math.min(days - 1, 5)));
      const suppliedDay = cal.addWorkingDays(requestDay, r.int(1, Math.min(days - 1, 5)));
      supplement = { requestDay, previousDue: due, suppliedDay };
      due = cal.addWorkingDays(requestDay, days);
    }
    const from = supplement?.suppliedDay ?? receiptDay;
    let outcome: Outcome;
    let endDay: string | null;
    const roll = r.next();
    if (roll < 0.01) [outcome, endDay] = ['REJECTED', receiptDay];
    else if (roll < 0.02) [outcome, endDay] = ['WITHDRAWN', cal.addWorkingDays(from, r.int(0, 2))];
    else if (roll < 0.025) [outcome, endDay] = ['STOPPED', cal.addWorkingDays(from, r.int(1, 3))];
    else if (roll < 0.025 + lateShare) [outcome, endDay] = ['LATE', cal.addWorkingDays(due, r.int(1, 8))];
    else {
      const k = cal.workingDaysBetween(from, due);
      if (k >= 1 && r.chance(0.7)) [outcome, endDay] = ['EARLY', cal.addWorkingDays(from, r.int(0, k - 1))];
      else [outcome, endDay] = ['ON_TIME', due];
    }
    if (endDay > SEED_NOW) [outcome, endDay] = ['OPEN', null];
    const place = r.pick(y.places.localities);
    const org = r.chance(
      procedure.fieldName.includes('doanh nghiệp') || procedure.fee > 500_000 ? 0.7 : 0.08,
    );
    let parcelId: string | null = null;
    if (procedure.landRelated) {
      const commune = r.pick(y.places.parcelCommunes);
      const plan = parcelPlan(commune, y.scale);
      // A parcel split or merged before the receipt is no more: the dossier concerns what it became.
      parcelId = parcelOn(
        `${commune}/${r.int(1, plan.sheets)}/${r.int(1, plan.parcelsPerSheet)}`,
        receiptDay,
        y.scale,
      );
    }
    const who = applicant(r, place, y.year, org);
    out.push({
      agency: y.agency,
      procedure,
      receiptDay,
      receiptMinute: i === 0 ? 7 * 60 + 30 : r.int(7 * 60 + 31, 14 * 60 + 59),
      channel,
      applicant: who,
      summary: `${procedure.name} — ${who.kind === 'TO_CHUC' ? 'tổ chức' : 'công dân'} tại ${place.commune}`,
      due,
      supplement,
      outcome,
      endDay,
      parcelId,
      rng: r,
    });
  }
  return out;
}

/** The smallest n ≤ 100 for which ratio × n is whole. */
const denominator = (ratio: number): number =>
  Array.from({ length: 100 }, (_, i) => i + 1).find(
    (n) => Math.abs(ratio * n - Math.round(ratio * n)) < 1e-9,
  )!;

/**
 * Makes an agency's on-time ratio for a year exactly the published one: drops a few dossiers so the
 * resolved count is a multiple of the ratio's denominator, then turns late dossiers on time (or the
 * reverse) without moving any finish out of the year. Returns the list without the dropped ones.
 */
export function publishOnTime(
  list: PlannedDossier[],
  code: string,
  year: number,
  ratio: number,
): PlannedDossier[] {
  const y0 = `${year}-01-01`;
  const y1 = `${year}-12-31`;
  const resolvedIn = (d: PlannedDossier): boolean =>
    d.agency.code === code &&
    ['EARLY', 'ON_TIME', 'LATE'].includes(d.outcome) &&
    d.endDay! >= y0 &&
    d.endDay! <= y1;
  const extra = list.filter(resolvedIn).length % denominator(ratio);
  // Dossiers of the land-change plan keep their dates: a land change cites them.
  const droppable = list.filter(
    (d) => resolvedIn(d) && d.outcome !== 'LATE' && d.receiptDay >= y0 && !d.supplement && !d.fixed,
  );
  if (droppable.length < extra) throw new Error(`seed: cannot publish ${code} ${year}: too few dossiers`);
  const dropped = new Set(droppable.slice(droppable.length - extra)); // the latest ones
  const kept = list.filter((d) => !dropped.has(d));
  const resolved = kept.filter(resolvedIn);
  const wantLate = Math.round(resolved.length * (1 - ratio));
  const late = resolved.filter((d) => d.outcome === 'LATE');
  if (late.length > wantLate) {
    const fixable = late.filter((d) => d.due >= y0);
    if (fixable.length < late.length - wantLate) throw new Error(`seed: cannot publish ${code} ${year}`);
    for (const d of fixable.slice(0, late.length - wantLate)) [d.outcome, d.endDay] = ['ON_TIME', d.due];
  } else {
    const cands = resolved.filter((d) => d.outcome !== 'LATE' && d.due <= `${year}-12-15` && !d.fixed);
    if (cands.length < wantLate - late.length) throw new Error(`seed: cannot publish ${code} ${year}`);
    for (const d of cands.slice(0, wantLate - late.length))
      [d.outcome, d.endDay] = [
        'LATE',
        minDate(cal.addWorkingDays(d.due, d.rng.int(1, 3)), maxDate(d.due, y1)),
      ];
  }
  return kept;
}
