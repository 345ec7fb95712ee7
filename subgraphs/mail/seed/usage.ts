/**
 * How each agency took up official e-mail: when its officials got mailboxes (adoption growing over the
 * years, by agency), which mailboxes were locked or deleted, and who logged in how often each year.
 *
 * - Adoption: each agency starts issuing mailboxes in a year from 2009 to 2014 and reaches its ceiling
 *   (85–100% of officials) over 3–7 years; agencies created from 2014 on issue every mailbox within six
 *   months of their creation. Published figures fix three profiles (see PUBLISHED below).
 * - Use: each year a mailbox is either in regular use (a login every 7 days) or occasional (every 20–60
 *   days); the regular share grows by year and differs by agency. Login history is kept from 2013.
 */
import { fnv1a, Prng } from '../../../kit/synthetic';
import type { AgencySeed } from '../../../kit';
import { BAC_NINH } from './directory';

export const SEED_NOW = '2025-11-15';
export const LOGIN_FROM_YEAR = 2013;
export const DIEN_BIEN_PHU = '000.00.94.H18';
export const BAC_TU_LIEM = '000.00.21.H26';

/** Published: Điện Biên Phủ 2013, about 75% of officials use mail for work (its wards alike). */
export const PUBLISHED_REGULAR_USE = { agencies: [DIEN_BIEN_PHU], on: '2013-12-31', ratio: 0.75 } as const;

const DAY = 86_400_000;
export const dayNum = (d: string): number => Math.floor(Date.parse(`${d}T00:00:00Z`) / DAY);
export const dayStr = (n: number): string => new Date(n * DAY).toISOString().slice(0, 10);

export interface Profile {
  /** First day mailboxes are issued, and the number of days to reach the ceiling. */
  startDay: number;
  spanDays: number;
  ceiling: number;
  regularBase: number;
  regularGrowth: number;
  startYear: number;
}

/** Whether `a` is `root` or under it (the catalogue's parent links). */
export function under(a: AgencySeed, root: string, byCode: Map<string, AgencySeed>): boolean {
  for (let x: AgencySeed | undefined = a; x; x = x.parentCode ? byCode.get(x.parentCode) : undefined)
    if (x.code === root) return true;
  return false;
}

export function profileOf(a: AgencySeed, byCode: Map<string, AgencySeed>): Profile {
  const r = new Prng(`mail:profile:${a.code}`);
  let startYear = r.int(2009, 2014);
  let spanDays = r.int(3, 7) * 365;
  let ceiling = 0.85 + r.next() * 0.15;
  const regularBase = 0.3 + r.next() * 0.3;
  const regularGrowth = 0.02 + r.next() * 0.03;
  // Published: Điện Biên Phủ and Bắc Ninh had a mailbox for (nearly) everyone by 2013.
  if (under(a, DIEN_BIEN_PHU, byCode)) [startYear, spanDays, ceiling] = [2010, 2 * 365, 1];
  if (under(a, BAC_NINH, byCode) && a.validFrom < '2013-01-01')
    [startYear, spanDays, ceiling] = [2009, 4 * 365, 1];
  let startDay = dayNum(`${startYear}-01-01`);
  // New agencies (Bắc Từ Liêm in 2014, the 2025 communes) issue every mailbox within six months.
  if (a.validFrom >= '2014-01-01') [startDay, spanDays, ceiling] = [dayNum(a.validFrom), 182, 1];
  return {
    startDay,
    spanDays,
    ceiling,
    regularBase,
    regularGrowth,
    startYear: Number(dayStr(startDay).slice(0, 4)),
  };
}

export interface PlannedMailbox {
  createdDay: number;
  closedDay: number | null;
  status: 'ACTIVE' | 'LOCKED' | 'DELETED';
}

/** When official `u` (uniform in [0,1)) got a mailbox and whether it was closed; null = never issued. */
export function planMailbox(a: AgencySeed, p: Profile, u: number, r: Prng): PlannedMailbox | null {
  if (u >= p.ceiling) return null;
  const createdDay = Math.max(p.startDay + Math.floor((u / p.ceiling) * p.spanDays), dayNum(a.validFrom));
  const lastDay = Math.min(dayNum(SEED_NOW), a.validTo ? dayNum(a.validTo) : Infinity);
  if (createdDay > lastDay) return null;
  if (a.validTo && a.validTo < SEED_NOW)
    return { createdDay, closedDay: dayNum(a.validTo) + 1, status: 'LOCKED' };
  if (r.chance(0.04)) {
    const from = Math.max(createdDay + 730, dayNum('2016-01-01'));
    if (from < lastDay) return { createdDay, closedDay: r.int(from, lastDay), status: 'DELETED' };
  }
  return { createdDay, closedDay: null, status: 'ACTIVE' };
}

/** Share of mailboxes in regular use in a year. */
export const regularShare = (p: Profile, year: number): number =>
  Math.min(0.92, p.regularBase + p.regularGrowth * Math.max(0, year - p.startYear));

/**
 * Logins of one mailbox over [lo, hi] as a spell: a login every `step` days from `lo + phase` (7 when
 * regular, else 20–60). The database expands spells into login rows (seed/index.ts).
 */
export interface LoginSpell {
  address: string;
  first: number;
  last: number;
  step: number;
  ip: string;
}

export function loginSpell(
  r: Prng,
  address: string,
  ip: string,
  lo: number,
  hi: number,
  regular: boolean,
): LoginSpell | null {
  const step = regular ? 7 : r.int(20, 60);
  const first = lo + (regular ? r.int(0, 6) : r.int(0, 40));
  if (first > hi) return null;
  return { address, first, last: first + step * Math.floor((hi - first) / step), step, ip };
}

/** The login days of a spell. */
export function spellDays(s: LoginSpell): number[] {
  const out: number[] = [];
  for (let d = s.first; d <= s.last; d += s.step) out.push(d);
  return out;
}

/** The mailbox's usual IP address on the agency's network, e.g. `10.37.4.21`. */
export const homeIp = (agencyCode: string, r: Prng): string =>
  `10.${(fnv1a(agencyCode) % 250) + 1}.${r.int(0, 255)}.${r.int(1, 254)}`;

/** A mailbox as the seed plans it. */
export interface SeedBox extends PlannedMailbox {
  address: string;
  agency: AgencySeed;
  traffic: boolean;
  r: Prng;
  /** Login spells by year, for the box's messages. */
  logins: Map<number, LoginSpell>;
}
