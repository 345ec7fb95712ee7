/**
 * Calendar dates in Vietnam (Asia/Ho_Chi_Minh: UTC+7 all year, no daylight saving since 1975).
 *
 * Dates are ISO strings `YYYY-MM-DD` and all arithmetic runs on whole-day numbers computed with
 * `Date.UTC`, so the machine's own time zone never leaks in (no `new Date('2024-02-10')` read in
 * local time, no `getDate()`). Instants become Vietnamese dates only through `vnDate`/`vnDateAndTime`.
 */

/** A calendar date `YYYY-MM-DD` (validated by `parseIsoDate`). */
export type IsoDate = string;

/** An instant: a `Date`, epoch milliseconds, or an ISO-8601 string that states its zone (`Z`, `+07:00`). */
export type Instant = Date | number | string;

/** Day of week, ISO 8601 numbering: 1 = Monday … 6 = Saturday, 7 = Sunday. */
export type DayOfWeek = 1 | 2 | 3 | 4 | 5 | 6 | 7;

const MS_PER_DAY = 86_400_000;
const VN_OFFSET_MS = 7 * 3_600_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ZONED_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Whole days since 1970-01-01 of a valid date, or NaN when `s` is not a real `YYYY-MM-DD` date. */
function dayNumberOrNaN(s: string): number {
  const m = ISO_DATE.exec(s);
  if (!m) return NaN;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return NaN;
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  const back = new Date(0);
  back.setUTCFullYear(y, mo - 1, d);
  // 2023-02-29 rolls over to 1 March: reject it.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return NaN;
  return back.getTime() / MS_PER_DAY;
}

/** True when `s` is a real calendar date written `YYYY-MM-DD` (2024-02-29 yes, 2023-02-29 no). */
export function isIsoDate(s: unknown): s is IsoDate {
  return typeof s === 'string' && !Number.isNaN(dayNumberOrNaN(s));
}

/** Returns `s` when it is a real `YYYY-MM-DD` date; throws a RangeError naming the value otherwise. */
export function parseIsoDate(s: string): IsoDate {
  if (!isIsoDate(s)) throw new RangeError(`${JSON.stringify(s)} is not a calendar date (YYYY-MM-DD)`);
  return s;
}

/** Whole days since 1970-01-01 (negative before). Throws on an invalid date. */
export function toDayNumber(date: IsoDate): number {
  const n = dayNumberOrNaN(date);
  if (Number.isNaN(n)) throw new RangeError(`${JSON.stringify(date)} is not a calendar date (YYYY-MM-DD)`);
  return n;
}

/** The date of a day number (inverse of `toDayNumber`). */
export function fromDayNumber(n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`day number must be an integer, got ${n}`);
  const s = new Date(n * MS_PER_DAY).toISOString();
  if (!/^\d{4}-/.test(s)) throw new RangeError(`day number ${n} is outside years 0000–9999`);
  return s.slice(0, 10);
}

function instantMs(instant: Instant): number {
  let ms: number;
  if (instant instanceof Date) ms = instant.getTime();
  else if (typeof instant === 'number') ms = instant;
  else {
    // A string without a zone would be read in the machine's zone (date-only strings even in UTC).
    if (!ZONED_INSTANT.test(instant))
      throw new RangeError(`${JSON.stringify(instant)} is not an ISO-8601 instant with a time zone`);
    ms = Date.parse(instant);
  }
  if (!Number.isFinite(ms)) throw new RangeError(`not a real instant: ${String(instant)}`);
  return ms;
}

/** The calendar date in Vietnam of an instant: 2024-02-09T23:30:00Z is already 2024-02-10 in Hà Nội. */
export function vnDate(instant: Instant): IsoDate {
  return vnDateAndTime(instant).date;
}

/** Today's date in Vietnam. */
export const vnToday = (): IsoDate => vnDate(Date.now());

/** The Vietnamese calendar date of an instant and its wall-clock time there, in minutes after midnight. */
export function vnDateAndTime(instant: Instant): { date: IsoDate; minuteOfDay: number } {
  const local = instantMs(instant) + VN_OFFSET_MS;
  const day = Math.floor(local / MS_PER_DAY);
  return { date: fromDayNumber(day), minuteOfDay: Math.floor((local - day * MS_PER_DAY) / 60_000) };
}

/** `date` moved by `n` calendar days (n may be negative). */
export function addDays(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`days must be an integer, got ${n}`);
  return fromDayNumber(toDayNumber(date) + n);
}

/** Calendar days from `a` to `b` (positive when `b` is later). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** -1, 0 or 1 as `a` is before, equal to or after `b`; usable as an `Array.prototype.sort` comparator. */
export function compareDates(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  const d = toDayNumber(a) - toDayNumber(b);
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

/** ISO day of week of a day number (1970-01-01 was a Thursday). */
export function dayOfWeekOf(dayNumber: number): DayOfWeek {
  return (((((dayNumber + 3) % 7) + 7) % 7) + 1) as DayOfWeek;
}

/** ISO day of week: 1 = Monday … 7 = Sunday. */
export function dayOfWeek(date: IsoDate): DayOfWeek {
  return dayOfWeekOf(toDayNumber(date));
}

/** Saturday or Sunday, the weekly rest days of state offices (the 40-hour week, Decision 188/1999/QĐ-TTg). */
export function isWeekend(date: IsoDate): boolean {
  return dayOfWeek(date) >= 6;
}
