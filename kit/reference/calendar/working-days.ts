/**
 * Working-day arithmetic over a holiday calendar, for one-stop-shop due dates (domain guide §3.5:
 * deadlines count working days).
 *
 * A working day is Monday–Friday, minus the listed holidays and days off, plus the listed make-up
 * Saturdays. Only the years the calendar was built with are known: a date outside them throws
 * `CalendarRangeError` instead of being taken for an ordinary week.
 *
 * Due-date convention (`dueDate`, `addWorkingDays`): a dossier received on working day D within office
 * hours has day 1 on the next working day, so n working days fall due on the n-th working day after D
 * (received Monday with 3 days: due Thursday). One received on a non-working day, or at or after the
 * closing time, counts as received on the next working day.
 */
import { dayOfWeekOf, fromDayNumber, toDayNumber, vnDateAndTime, type Instant, type IsoDate } from './date';
import { parseCalendarYears, type CalendarDay, type CalendarYear } from './days';
import { BUNDLED_YEARS } from './holidays';

/** A date the calendar has no data for. */
export class CalendarRangeError extends RangeError {
  override name = 'CalendarRangeError';
  constructor(
    readonly date: IsoDate,
    readonly coveredYears: readonly number[],
  ) {
    super(`${date} is outside the working-day calendar (covered years: ${describeYears(coveredYears)})`);
  }
}

function describeYears(years: readonly number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < years.length; ) {
    let j = i;
    while (j + 1 < years.length && years[j + 1] === years[j]! + 1) j++;
    runs.push(i === j ? `${years[i]}` : `${years[i]}–${years[j]}`);
    i = j + 1;
  }
  return runs.join(', ') || 'none';
}

export interface ReceiptOptions {
  /**
   * Office closing time in Vietnam, `HH:MM`; a dossier received at or after it counts as received on
   * the next working day. Default `17:00`; `24:00` counts the whole day.
   */
  readonly closesAt?: string;
}

function minutesOf(hhmm: string): number {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hhmm);
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  if (!(minutes <= 24 * 60))
    throw new RangeError(`closesAt must be HH:MM between 00:00 and 24:00, got ${hhmm}`);
  return minutes;
}

function checkCount(n: number): void {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
}

export class WorkingCalendar {
  /** The covered years, ascending. */
  readonly years: readonly number[];
  private readonly byDay = new Map<number, CalendarDay>();
  /** Covered day numbers as [first, last] runs of consecutive years. */
  private readonly ranges: Array<[number, number]> = [];

  /**
   * Builds a calendar from `CalendarYear` data: the bundled JSON, rows loaded from a table, or a test's
   * own days. Raw data is checked by `parseCalendarYears` and a bad entry throws `CalendarDataError`.
   */
  constructor(data: readonly unknown[]) {
    const years = parseCalendarYears(data);
    this.years = years.map((y) => y.year).sort((a, b) => a - b);
    for (const y of this.years) {
      const [first, last] = [toDayNumber(`${y}-01-01`), toDayNumber(`${y}-12-31`)];
      const run = this.ranges.at(-1);
      if (run && run[1] + 1 === first) run[1] = last;
      else this.ranges.push([first, last]);
    }
    for (const y of years) for (const d of y.days) this.byDay.set(toDayNumber(d.date), d);
  }

  /** Whether the calendar has data for the year of `date`. */
  covers(date: IsoDate): boolean {
    const day = toDayNumber(date);
    return this.ranges.some(([first, last]) => day >= first && day <= last);
  }

  /** The listed entry for `date` (holiday, day off or make-up day), or undefined for an ordinary day. */
  dayOf(date: IsoDate): CalendarDay | undefined {
    return this.byDay.get(this.checked(date));
  }

  isWorkingDay(date: IsoDate): boolean {
    return this.working(this.checked(date));
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: IsoDate): IsoDate {
    return fromDayNumber(this.nextWorking(this.checked(date)));
  }

  /**
   * The n-th working day after `start`; `start` itself when n is 0 and it is a working day. A start on
   * a non-working day is moved to the next working day first (received on Saturday with 3 days: the
   * count starts from Monday, so due Thursday).
   */
  addWorkingDays(start: IsoDate, n: number): IsoDate {
    checkCount(n);
    let day = this.checked(start);
    if (!this.working(day)) day = this.nextWorking(day);
    for (let i = 0; i < n; i++) day = this.nextWorking(day);
    return fromDayNumber(day);
  }

  /**
   * Working days in (a, b]: after `a`, up to and including `b`; negative when `b` is before `a`.
   * `workingDaysBetween(d, addWorkingDays(d, n)) === n` for a working day d; for a completed dossier,
   * `workingDaysBetween(due, completed)` > 0 is how many working days late it was.
   */
  workingDaysBetween(a: IsoDate, b: IsoDate): number {
    const [from, to] = [this.checked(a), this.checked(b)];
    const [lo, hi, sign] = from <= to ? [from, to, 1] : [to, from, -1];
    let count = 0;
    for (let day = lo + 1; day <= hi; day++) if (this.working(this.inRange(day))) count++;
    return sign * count;
  }

  /** The Vietnamese date from which a dossier received at `receivedAt` is counted (see the convention). */
  receiptDate(receivedAt: Instant, options: ReceiptOptions = {}): IsoDate {
    const closes = minutesOf(options.closesAt ?? '17:00');
    const { date, minuteOfDay } = vnDateAndTime(receivedAt);
    const day = this.checked(date);
    return fromDayNumber(this.working(day) && minuteOfDay < closes ? day : this.nextWorking(day));
  }

  /** The appointment date (ngày hẹn trả) of a dossier received at `receivedAt` with `n` working days. */
  dueDate(receivedAt: Instant, n: number, options: ReceiptOptions = {}): IsoDate {
    checkCount(n);
    return this.addWorkingDays(this.receiptDate(receivedAt, options), n);
  }

  private working(day: number): boolean {
    const entry = this.byDay.get(day);
    if (entry) return entry.kind === 'MAKEUP_WORKING_DAY';
    return dayOfWeekOf(day) <= 5;
  }

  private nextWorking(day: number): number {
    let next = this.inRange(day + 1);
    while (!this.working(next)) next = this.inRange(next + 1);
    return next;
  }

  /** Day number of a valid, covered date. */
  private checked(date: IsoDate): number {
    return this.inRange(toDayNumber(date));
  }

  private inRange(day: number): number {
    if (!this.ranges.some(([first, last]) => day >= first && day <= last))
      throw new CalendarRangeError(fromDayNumber(day), this.years);
    return day;
  }
}

let bundled: WorkingCalendar | undefined;

/** The calendar built from the bundled data (`holidays/<year>.json`), built once on first use. */
export function defaultCalendar(): WorkingCalendar {
  bundled ??= new WorkingCalendar(BUNDLED_YEARS);
  return bundled;
}

/** Years and days of the bundled data, checked; e.g. to seed a subgraph's holiday table. */
export function bundledCalendarYears(): CalendarYear[] {
  return parseCalendarYears(BUNDLED_YEARS);
}

/** `isWorkingDay` on the given calendar, the bundled one by default. */
export const isWorkingDay = (date: IsoDate, calendar = defaultCalendar()): boolean =>
  calendar.isWorkingDay(date);

/** `addWorkingDays` on the given calendar, the bundled one by default. */
export const addWorkingDays = (start: IsoDate, n: number, calendar = defaultCalendar()): IsoDate =>
  calendar.addWorkingDays(start, n);

/** `workingDaysBetween` on the given calendar, the bundled one by default. */
export const workingDaysBetween = (a: IsoDate, b: IsoDate, calendar = defaultCalendar()): number =>
  calendar.workingDaysBetween(a, b);
