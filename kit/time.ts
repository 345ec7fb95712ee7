/**
 * Time in writes: no record is dated in the future. A client's clock may run a little ahead of the
 * server's, so an instant up to `MAX_CLOCK_SKEW_MS` (5 minutes) ahead of the server's clock is accepted;
 * later is BAD_USER_INPUT naming the field. A date (a day, in Vietnam) is in the future when it is after
 * the Vietnamese date of that same limit. Every subgraph uses these (docs/jurisdiction.md "Time").
 */
import { vnDate } from './calendar';
import { badInput } from './errors';

/** How far ahead of the server's clock a client-given instant may be: 5 minutes. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** The latest instant a write may carry now: the server's clock plus the skew. */
export const latestInstant = (now: number = Date.now()): number => now + MAX_CLOCK_SKEW_MS;

/** Throws BAD_USER_INPUT naming `field` when `instant` (ISO-8601 with a zone) is later than now + the skew. */
export function requireNotFutureInstant(instant: string, field: string, now: number = Date.now()): void {
  const latest = latestInstant(now);
  if (Date.parse(instant) > latest)
    throw badInput(
      field,
      `${instant} is in the future (the server's clock says ${new Date(now).toISOString()}; at most ${MAX_CLOCK_SKEW_MS / 60_000} minutes ahead is accepted)`,
    );
}

/** Throws BAD_USER_INPUT naming `field` when `date` (YYYY-MM-DD) is after today in Vietnam (with the skew). */
export function requireNotFutureDate(date: string, field: string, now: number = Date.now()): void {
  const today = vnDate(latestInstant(now));
  if (date > today) throw badInput(field, `${date} is in the future (today is ${today} in Vietnam)`);
}
