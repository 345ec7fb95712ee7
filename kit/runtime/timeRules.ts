/**
 * Time rules every write obeys (docs/jurisdiction.md "Time"): nothing is dated in the future beyond
 * a small clock skew, and a record is not dated before the state it changes. Dates are calendar dates
 * in Vietnam (Asia/Ho_Chi_Minh); instants are ISO-8601 with a zone. Refusals are BAD_USER_INPUT
 * naming the input field.
 */
import { vnDate } from '../reference/calendar';
import type { IsoDate } from '../reference/calendar';
import { badInput } from './errors';

/**
 * How far ahead of this server's clock an instant may be: the clocks of the desk's PC, the gateway and
 * the subgraph differ by seconds, not minutes. A date is "today" in Vietnam at now + this skew, so a
 * change entered at 23:58 may carry tomorrow's date, never the day after.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** The latest date a write may carry: today in Vietnam, read at now + CLOCK_SKEW_MS. */
export const latestAllowedDate = (now: number = Date.now()): IsoDate => vnDate(now + CLOCK_SKEW_MS);

/** Throws BAD_USER_INPUT naming `field` when `date` is after today in Vietnam (plus the skew). */
export function requireNotFutureDate(date: IsoDate, field: string, now: number = Date.now()): void {
  const latest = latestAllowedDate(now);
  if (date > latest) throw badInput(field, `${date} is in the future (today in Vietnam is ${latest})`);
}

/** Throws BAD_USER_INPUT naming `field` when the instant is later than now plus the skew. */
export function requireNotFutureInstant(iso: string, field: string, now: number = Date.now()): void {
  if (Date.parse(iso) > now + CLOCK_SKEW_MS)
    throw badInput(field, `${iso} is in the future (now is ${new Date(now).toISOString()})`);
}

/** Throws BAD_USER_INPUT naming `field` unless `date` ≥ `floor` (the date of `what`, which it follows). */
export function requireNotBefore(date: IsoDate, floor: IsoDate | null, field: string, what: string): void {
  if (floor !== null && date < floor) throw badInput(field, `${date} is before ${what} (${floor})`);
}

/** Throws BAD_USER_INPUT naming `field` unless `year` is at most the year of `date` and not in the future. */
export function requireYearNotAfter(
  year: number,
  date: IsoDate,
  field: string,
  now: number = Date.now(),
): void {
  const limit = Math.min(Number(date.slice(0, 4)), Number(latestAllowedDate(now).slice(0, 4)));
  if (year > limit) throw badInput(field, `${year} is after ${limit}`);
}
