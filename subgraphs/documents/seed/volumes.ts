/**
 * How many documents an agency issues in a year and which share goes electronically.
 *
 * - Volume: a base per level (a province writes far more than a ward) times the agency's size, a
 *   factor drawn once per agency (≈0.4–2.5, median 1), times a yearly wobble of ±15%.
 * - Adoption of electronic exchange follows an S-curve per agency: a few percent around 2010–2013
 *   (paper, with the odd e-mail), most documents by 2020, nearly all after. Each agency has its own
 *   starting share, ceiling, midpoint year and speed; provinces and their departments move about a
 *   year before districts, communes about a year after. So wards of one district differ in a given
 *   year, and the average still grows year by year.
 * - Published figures of the seed reports (PUBLISHED_ELECTRONIC_RATIOS) override the curve for their
 *   agency and year, and the count is rounded up so the ratio comes out exactly (90% of 20 or 30…).
 * - Published figures of part of a year (PUBLISHED_PARTS: Ba Bể's first nine months of 2017 and 2018)
 *   fix how many documents that part has and how many of them go electronically; the rest of the year
 *   follows the curve (published.ts).
 *
 * Agency profiles come from a PRNG seeded by the agency code, so they do not depend on the order of
 * the catalogue, and the document stream's PRNG only draws the yearly wobble.
 */
import { Prng } from '../../../kit/synthetic';
import type { AgencySeed } from '../../../kit';

/** Published electronic-exchange ratios the scorecard must reproduce: agency unit code → year → ratio. */
export const PUBLISHED_ELECTRONIC_RATIOS: Readonly<Record<string, Readonly<Record<number, number>>>> = {
  '021': { 2014: 0.9 }, // Bắc Từ Liêm 2014: 90% of documents exchanged electronically
};

/**
 * Published figures of the first months of a year: agency unit code → year → the part's last day
 * (MM-DD), the documents sent electronically in it and, when published, the electronic share (else
 * the curve's). Ba Bể, first nine months of 2018 (the report names no year; docs/design takes 2018):
 * 100% of documents electronic, and the number sent electronically up 93% on the same nine months of
 * 2017 (193 against 100).
 */
export const PUBLISHED_PARTS: Readonly<
  Record<string, Readonly<Record<number, { until: string; electronic: number; ratio?: number }>>>
> = {
  '061': {
    2017: { until: '09-30', electronic: 100 },
    2018: { until: '09-30', electronic: 193, ratio: 1 },
  },
};

/** Public outgoing documents a year of an agency of median size, at scale 1. */
const PER_YEAR: Record<AgencySeed['level'], number> = {
  CENTRAL: 7,
  PROVINCE: 22,
  DEPARTMENT: 11,
  DISTRICT: 14,
  COMMUNE: 4.2,
};

/** Years by which each level's adoption midpoint is shifted (negative = earlier). */
const LEVEL_LEAD: Record<AgencySeed['level'], number> = {
  CENTRAL: -1.5,
  PROVINCE: -1,
  DEPARTMENT: -1,
  DISTRICT: 0,
  COMMUNE: 1,
};

/** An agency's size and adoption curve, drawn once from its code. */
export interface AgencyProfile {
  size: number;
  /** Share of electronic documents before adoption starts. */
  floor: number;
  /** Share it tends to once adopted. */
  ceiling: number;
  /** Year in which it is half-way between the two. */
  midpoint: number;
  /** Steepness of the S-curve, per year. */
  speed: number;
}

export function agencyProfile(a: AgencySeed): AgencyProfile {
  const rng = new Prng(`profile:${a.code}`);
  const around = (): number => rng.next() + rng.next() + rng.next() - 1.5; // ≈ bell-shaped in [-1.5, 1.5]
  return {
    size: Math.exp(around() * 0.6),
    floor: 0.01 + rng.next() * 0.07,
    ceiling: 0.88 + rng.next() * 0.11,
    midpoint: 2016 + LEVEL_LEAD[a.level] + around() * 1.4,
    speed: 0.7 + rng.next() * 0.8,
  };
}

/** The share of electronic documents of an agency with this profile in a year (before noise). */
export const adoption = (p: AgencyProfile, year: number): number =>
  p.floor + (p.ceiling - p.floor) / (1 + Math.exp(-p.speed * (year - p.midpoint)));

export interface YearPlan {
  /** Public outgoing documents of the year (secret ones come on top). */
  count: number;
  /** Share of them sent electronically. */
  electronicRatio: number;
}

/** The smallest count that is a multiple of the ratio's denominator (up to 100) and at least `min`. */
function countFor(ratio: number, min: number): number {
  const d = Array.from({ length: 100 }, (_, i) => i + 1).find(
    (n) => Math.abs(ratio * n - Math.round(ratio * n)) < 1e-9,
  );
  if (d === undefined) throw new Error(`published ratio ${ratio} has no denominator up to 100`);
  return Math.ceil(min / d) * d;
}

/** The plan of one agency's register for one year, over `days` days of it. */
export function yearPlan(
  a: AgencySeed,
  profile: AgencyProfile,
  year: number,
  days: number,
  scale: number,
  rng: Prng,
): YearPlan {
  const wobble = 0.85 + rng.next() * 0.3;
  const noise = (rng.next() - 0.5) * 0.06;
  const expected = (PER_YEAR[a.level] * profile.size * wobble * scale * days) / 365;
  const base = Math.max(1, Math.round(expected));
  const published = PUBLISHED_ELECTRONIC_RATIOS[a.unitCode ?? '']?.[year];
  if (published !== undefined)
    return { count: countFor(published, Math.max(base, 20)), electronicRatio: published };
  const ratio = Math.min(0.99, Math.max(0, adoption(profile, year) + noise));
  return { count: base, electronicRatio: ratio };
}

/** A stretch of a register year with its own counts: from `start`, `days` days, `count` public documents. */
export interface RegisterPart {
  start: string;
  days: number;
  count: number;
  electronic: number;
}

/**
 * The parts of a register year with a published first part (PUBLISHED_PARTS), or null: the published
 * part with its counts (times the smallest whole factor that keeps it at or above the curve's volume
 * at large scales, so the growth stays exact), then the rest of the year at the curve's volume and share.
 */
export function publishedParts(
  a: AgencySeed,
  year: number,
  span: { start: string; days: number },
  plan: YearPlan,
): RegisterPart[] | null {
  const published = PUBLISHED_PARTS[a.unitCode ?? '']?.[year];
  if (!published) return null;
  const end = `${year}-${published.until}`;
  const firstDays = Math.round((Date.parse(end) - Date.parse(span.start)) / 86_400_000) + 1;
  const restDays = span.days - firstDays;
  const ratio = published.ratio ?? Math.max(plan.electronicRatio, 0.05);
  const factor = Math.max(
    1,
    Math.ceil((plan.count * firstDays) / span.days / (published.electronic / ratio)),
  );
  const electronic = published.electronic * factor;
  const first = { start: span.start, days: firstDays, count: Math.round(electronic / ratio), electronic };
  if (restDays <= 0) return [first];
  const restCount = Math.max(1, Math.round((plan.count * restDays) / span.days));
  const rest = {
    start: new Date(Date.parse(end) + 86_400_000).toISOString().slice(0, 10),
    days: restDays,
    count: restCount,
    electronic: Math.round(restCount * plan.electronicRatio),
  };
  return [first, rest];
}

/** Share of electronic documents that are digitally signed in a year (signatures lag adoption). */
export const signedShare = (year: number): number =>
  Math.min(0.97, Math.max(0.05, 0.2 + (year - 2013) * 0.08));
