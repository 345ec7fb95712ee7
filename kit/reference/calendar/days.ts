/**
 * The shape of holiday-calendar data and its validation. The same shape comes from the bundled JSON
 * files (`holidays/<year>.json`) and, later, from a subgraph's table (one row per listed day).
 */
import { dayOfWeek, isIsoDate, type IsoDate } from './date';

export const DAY_KINDS = ['HOLIDAY', 'COMPENSATORY_DAY_OFF', 'MAKEUP_WORKING_DAY'] as const;
/**
 * - `HOLIDAY`: a public holiday (ngày lễ, Tết); listed even when it falls on a weekend.
 * - `COMPENSATORY_DAY_OFF`: a weekday off: nghỉ bù for a holiday on a weekend, or a day swapped off.
 * - `MAKEUP_WORKING_DAY`: a Saturday or Sunday worked to make up for a swapped day (làm bù).
 */
export type DayKind = (typeof DAY_KINDS)[number];

export const DAY_SOURCES = ['law', 'rule', 'notice', 'assumed'] as const;
/**
 * How far an entry can be trusted (see `README.md`):
 * - `law`: the date is fixed by the Labour Code (solar dates, and lunar dates converted astronomically);
 * - `rule`: a compensatory day that follows mechanically from the Labour Code (weekend holiday → next working day);
 * - `notice`: set by the year's government notice, as recalled; not checked against the published text;
 * - `assumed`: no reliable record; the usual pattern of other years.
 */
export type DaySource = (typeof DAY_SOURCES)[number];

export interface CalendarDay {
  readonly date: IsoDate;
  readonly kind: DayKind;
  /** Vietnamese name, e.g. "Tết Nguyên đán Giáp Thìn (mùng 1 tháng Giêng)". */
  readonly name: string;
  readonly source: DaySource;
}

export const ARRANGEMENTS = ['notice', 'partial', 'statutory'] as const;
/** Whether the year follows its notice (`notice`), partly (`partial`) or only the statutory days. */
export type Arrangement = (typeof ARRANGEMENTS)[number];

export interface CalendarYear {
  readonly year: number;
  readonly arrangement: Arrangement;
  readonly note?: string;
  /** Only the days that differ from an ordinary week; every other Monday–Friday is a working day. */
  readonly days: readonly CalendarDay[];
}

/** Calendar data that cannot be used: the message names the year or date at fault. */
export class CalendarDataError extends Error {
  override name = 'CalendarDataError';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const oneOf = <T extends string>(list: readonly T[], v: unknown): v is T =>
  typeof v === 'string' && (list as readonly string[]).includes(v);

function parseDay(raw: unknown, year: number, i: number): CalendarDay {
  const where = `year ${year}, day #${i + 1}`;
  if (!isObject(raw)) throw new CalendarDataError(`${where}: not an object`);
  const { date, kind, name, source } = raw;
  if (!isIsoDate(date))
    throw new CalendarDataError(`${where}: date ${JSON.stringify(date)} is not YYYY-MM-DD`);
  if (!oneOf(DAY_KINDS, kind)) throw new CalendarDataError(`${date}: unknown kind ${JSON.stringify(kind)}`);
  if (typeof name !== 'string' || name.trim() === '') throw new CalendarDataError(`${date}: name is empty`);
  if (!oneOf(DAY_SOURCES, source))
    throw new CalendarDataError(`${date}: unknown source ${JSON.stringify(source)}`);
  const weekend = dayOfWeek(date) >= 6;
  if (kind === 'MAKEUP_WORKING_DAY' && !weekend)
    throw new CalendarDataError(`${date}: a make-up working day must be a Saturday or Sunday`);
  if (kind === 'COMPENSATORY_DAY_OFF' && weekend)
    throw new CalendarDataError(`${date}: a compensatory day off must be a weekday`);
  return { date, kind, name, source };
}

/**
 * Checks raw data (parsed JSON, database rows grouped by year) and returns it typed. Each year lists
 * the days of its own arrangement; a day may lie in a neighbouring year (31/12/2018 was swapped off for
 * Tết Dương lịch 2019), but no date may be listed twice and no year given twice.
 */
export function parseCalendarYears(raw: readonly unknown[]): CalendarYear[] {
  const seenYears = new Set<number>();
  const seenDates = new Map<IsoDate, number>();
  return raw.map((y, yi) => {
    if (!isObject(y)) throw new CalendarDataError(`calendar year #${yi + 1}: not an object`);
    const { year, arrangement, note, days } = y;
    if (typeof year !== 'number' || !Number.isInteger(year) || year < 1000 || year > 9999)
      throw new CalendarDataError(`calendar year #${yi + 1}: year ${JSON.stringify(year)} is not a year`);
    if (seenYears.has(year)) throw new CalendarDataError(`year ${year} is given twice`);
    seenYears.add(year);
    if (!oneOf(ARRANGEMENTS, arrangement))
      throw new CalendarDataError(`year ${year}: unknown arrangement ${JSON.stringify(arrangement)}`);
    if (note !== undefined && typeof note !== 'string')
      throw new CalendarDataError(`year ${year}: note is not text`);
    if (!Array.isArray(days)) throw new CalendarDataError(`year ${year}: days is not a list`);
    const parsed = days.map((d, i) => parseDay(d, year, i));
    for (const d of parsed) {
      const other = seenDates.get(d.date);
      if (other !== undefined)
        throw new CalendarDataError(`${d.date} is listed twice (years ${other}, ${year})`);
      seenDates.set(d.date, year);
      if (Math.abs(Number(d.date.slice(0, 4)) - year) > 1)
        throw new CalendarDataError(`${d.date} is listed under year ${year}`);
    }
    return note === undefined
      ? { year, arrangement, days: parsed }
      : { year, arrangement, note, days: parsed };
  });
}
