/**
 * Dates in Vietnam and working days over the Vietnamese public-holiday calendar (see README.md here).
 */
export {
  addDays,
  compareDates,
  dayOfWeek,
  daysBetween,
  isIsoDate,
  isWeekend,
  parseIsoDate,
  vnDate,
  vnToday,
  vnDateAndTime,
  type DayOfWeek,
  type Instant,
  type IsoDate,
} from './date';
export {
  CalendarDataError,
  parseCalendarYears,
  type Arrangement,
  type CalendarDay,
  type CalendarYear,
  type DayKind,
  type DaySource,
} from './days';
export {
  CalendarRangeError,
  WorkingCalendar,
  addWorkingDays,
  bundledCalendarYears,
  defaultCalendar,
  isWorkingDay,
  workingDaysBetween,
  type ReceiptOptions,
} from './working-days';
