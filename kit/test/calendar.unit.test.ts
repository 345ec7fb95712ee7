import {
  CalendarDataError,
  CalendarRangeError,
  WorkingCalendar,
  addDays,
  addWorkingDays,
  bundledCalendarYears,
  compareDates,
  dayOfWeek,
  daysBetween,
  defaultCalendar,
  isIsoDate,
  isWorkingDay,
  parseIsoDate,
  vnDate,
  vnDateAndTime,
  workingDaysBetween,
} from '../reference/calendar';

const cal = defaultCalendar();

describe('dates in Vietnam', () => {
  test('23:30 UTC is already the next day in Vietnam, 16:59 UTC is not', () => {
    expect(vnDate('2024-02-09T23:30:00Z')).toBe('2024-02-10');
    expect(vnDate('2024-02-09T16:59:59Z')).toBe('2024-02-09');
    expect(vnDate('2024-02-09T17:00:00Z')).toBe('2024-02-10');
    expect(vnDate(new Date('2024-12-31T17:00:00Z'))).toBe('2025-01-01');
    expect(vnDate(Date.UTC(2024, 1, 9, 23, 30))).toBe('2024-02-10');
    expect(vnDate('2024-02-10T00:15:00+07:00')).toBe('2024-02-10');
    expect(vnDateAndTime('2024-02-09T23:30:00Z')).toEqual({ date: '2024-02-10', minuteOfDay: 6 * 60 + 30 });
  });

  test('an instant without a time zone is refused rather than read in the machine zone', () => {
    expect(() => vnDate('2024-02-09T23:30:00')).toThrow(/time zone/);
    expect(() => vnDate('2024-02-09')).toThrow(/time zone/);
    expect(() => vnDate(new Date('nonsense'))).toThrow(RangeError);
  });

  test('only real YYYY-MM-DD dates parse', () => {
    expect(parseIsoDate('2024-02-29')).toBe('2024-02-29');
    expect(() => parseIsoDate('2023-02-29')).toThrow('"2023-02-29" is not a calendar date (YYYY-MM-DD)');
    expect(isIsoDate('2024-2-1')).toBe(false);
    expect(isIsoDate('2024-13-01')).toBe(false);
    expect(isIsoDate('0099-01-01')).toBe(true);
    expect(isIsoDate(20240201)).toBe(false);
  });

  test('day arithmetic, comparison and day of week', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(compareDates('2024-02-10', '2024-02-09')).toBe(1);
    expect(['2024-05-01', '2023-12-31', '2024-01-15'].sort(compareDates)).toEqual([
      '2023-12-31',
      '2024-01-15',
      '2024-05-01',
    ]);
    expect(dayOfWeek('2024-02-10')).toBe(6); // Saturday, Tết Giáp Thìn
    expect(dayOfWeek('2025-09-02')).toBe(2); // Tuesday
    expect(dayOfWeek('1970-01-01')).toBe(4);
    expect(dayOfWeek('1969-12-28')).toBe(7);
  });
});

describe('due dates over the Vietnamese holiday calendar', () => {
  test('received the day before Tết Giáp Thìn 2024 (off 8–14/2), 5 working days: due 21/2', () => {
    expect(cal.dueDate('2024-02-07T10:00:00+07:00', 5)).toBe('2024-02-21');
    // after closing time it counts from the first working day after Tết
    expect(cal.dueDate('2024-02-07T17:30:00+07:00', 5)).toBe('2024-02-22');
    expect(cal.dayOf('2024-02-12')?.name).toBe('Tết Nguyên đán Giáp Thìn (mùng 3 tháng Giêng)');
    expect(cal.dayOf('2024-02-13')?.kind).toBe('COMPENSATORY_DAY_OFF');
  });

  test('received on Friday before Tết Ất Tỵ 2025 (off 25/1–2/2), 5 working days: due 7/2', () => {
    expect(cal.dueDate('2025-01-24T09:00:00+07:00', 5)).toBe('2025-02-07');
    expect(cal.addWorkingDays('2025-01-24', 1)).toBe('2025-02-03');
  });

  test('across 30/4 – 1/5 2025 (Friday 2/5 swapped off): received 29/4 with 3 days, due 7/5', () => {
    expect(cal.addWorkingDays('2025-04-29', 3)).toBe('2025-05-07');
    expect(cal.isWorkingDay('2025-05-02')).toBe(false);
  });

  test('a make-up Saturday is a working day: 4/5/2024 and 26/4/2025 count', () => {
    expect(cal.isWorkingDay('2024-05-04')).toBe(true);
    expect(cal.dayOf('2024-05-04')?.kind).toBe('MAKEUP_WORKING_DAY');
    // Friday 26/4/2024 + 3: 29/4 (swapped off), 30/4 and 1/5 skipped; 2/5, 3/5, then Saturday 4/5
    expect(cal.addWorkingDays('2024-04-26', 3)).toBe('2024-05-04');
    expect(cal.dueDate('2025-04-25T14:00:00+07:00', 1)).toBe('2025-04-26');
    // an ordinary Saturday is not
    expect(cal.isWorkingDay('2024-05-11')).toBe(false);
  });

  test('across Quốc khánh: 2/9 and 3/9/2024, 1/9 and 2/9/2025', () => {
    expect(cal.addWorkingDays('2024-08-30', 2)).toBe('2024-09-05');
    expect(cal.addWorkingDays('2025-08-29', 2)).toBe('2025-09-04');
    expect(cal.isWorkingDay('2020-09-03')).toBe(true); // one day only before the 2019 Labour Code
  });

  test('compensatory days off are skipped: Giỗ Tổ on Saturday 29/4/2023 and 30/4 on Sunday', () => {
    expect(cal.dayOf('2023-05-02')?.name).toBe('Nghỉ bù Giỗ Tổ Hùng Vương (thứ Bảy 29/04)');
    expect(cal.addWorkingDays('2023-04-28', 1)).toBe('2023-05-04');
    // Giỗ Tổ on Sunday 26/4/2026 is taken on Monday 27/4
    expect(cal.addWorkingDays('2026-04-24', 1)).toBe('2026-04-28');
  });

  test('weekends: received on Saturday or after hours on Friday counts from Monday', () => {
    expect(cal.addWorkingDays('2024-03-09', 3)).toBe('2024-03-14');
    expect(cal.addWorkingDays('2024-03-09', 0)).toBe('2024-03-11');
    expect(cal.addWorkingDays('2024-03-08', 1)).toBe('2024-03-11');
    expect(cal.receiptDate('2024-03-08T17:05:00+07:00')).toBe('2024-03-11');
    expect(cal.receiptDate('2024-03-08T10:05:00Z')).toBe('2024-03-11'); // 17:05 in Hà Nội
    expect(cal.receiptDate('2024-03-08T16:59:00+07:00')).toBe('2024-03-08');
    expect(cal.dueDate('2024-03-08T17:05:00+07:00', 1)).toBe('2024-03-12');
    expect(cal.dueDate('2024-03-08T17:05:00+07:00', 1, { closesAt: '24:00' })).toBe('2024-03-11');
    expect(() => cal.dueDate('2024-03-08T17:05:00+07:00', 1, { closesAt: '5pm' })).toThrow(/HH:MM/);
    expect(() => cal.addWorkingDays('2024-03-08', -1)).toThrow(/≥ 0/);
  });

  test('working days between two dates count (a, b]', () => {
    expect(cal.workingDaysBetween('2024-02-07', '2024-02-21')).toBe(5);
    expect(cal.workingDaysBetween('2024-02-21', '2024-02-07')).toBe(-5);
    expect(cal.workingDaysBetween('2024-02-08', '2024-02-14')).toBe(0);
    // 2024: 262 weekdays, 12 of them off, one make-up Saturday
    expect(cal.workingDaysBetween('2023-12-31', '2024-12-31')).toBe(251);
    expect(workingDaysBetween('2024-03-08', '2024-03-11')).toBe(1);
    expect(isWorkingDay('2024-03-11')).toBe(true);
    expect(addWorkingDays('2024-03-11', 5)).toBe('2024-03-18');
  });

  test('a date outside the covered years fails instead of passing for a plain weekday', () => {
    expect(() => cal.isWorkingDay('2009-12-31')).toThrow(CalendarRangeError);
    expect(() => cal.isWorkingDay('2009-12-31')).toThrow(
      '2009-12-31 is outside the working-day calendar (covered years: 2010–2027)',
    );
    // walking past the last covered day fails too
    expect(() => cal.addWorkingDays('2027-12-30', 5)).toThrow('2028-01-01 is outside');
    expect(cal.covers('2027-12-31')).toBe(true);
    expect(cal.covers('2028-01-01')).toBe(false);
  });
});

describe('the calendar is built from data', () => {
  const custom = new WorkingCalendar([
    {
      year: 2030,
      arrangement: 'statutory',
      days: [
        { date: '2030-01-01', kind: 'HOLIDAY', name: 'Tết Dương lịch', source: 'law' },
        { date: '2030-01-02', kind: 'COMPENSATORY_DAY_OFF', name: 'Nghỉ hoán đổi', source: 'notice' },
        { date: '2030-01-05', kind: 'MAKEUP_WORKING_DAY', name: 'Làm bù', source: 'notice' },
      ],
    },
  ]);

  test('a custom calendar covers its own years with its own days', () => {
    // received on the holiday: counted from Thursday 3/1 (2/1 is off), then Friday 4/1 and make-up Saturday 5/1
    expect(custom.addWorkingDays('2030-01-01', 2)).toBe('2030-01-05');
    expect(custom.addWorkingDays('2030-01-04', 1)).toBe('2030-01-05');
    expect(isWorkingDay('2030-01-02', custom)).toBe(false);
    expect(() => custom.isWorkingDay('2024-05-04')).toThrow('covered years: 2030');
  });

  test('bad data is refused with the date at fault', () => {
    const year = (days: unknown[]) => [{ year: 2030, arrangement: 'statutory', days }];
    expect(
      () =>
        new WorkingCalendar(
          year([{ date: '2030-01-07', kind: 'MAKEUP_WORKING_DAY', name: 'x', source: 'notice' }]),
        ),
    ).toThrow(new CalendarDataError('2030-01-07: a make-up working day must be a Saturday or Sunday'));
    expect(
      () =>
        new WorkingCalendar(
          year([{ date: '2030-01-05', kind: 'COMPENSATORY_DAY_OFF', name: 'x', source: 'rule' }]),
        ),
    ).toThrow('a compensatory day off must be a weekday');
    expect(
      () => new WorkingCalendar(year([{ date: '2030-02-30', kind: 'HOLIDAY', name: 'x', source: 'law' }])),
    ).toThrow(CalendarDataError);
    expect(
      () => new WorkingCalendar(year([{ date: '2030-01-01', kind: 'DAY_OFF', name: 'x', source: 'law' }])),
    ).toThrow('unknown kind "DAY_OFF"');
    const twice = { date: '2030-01-01', kind: 'HOLIDAY', name: 'x', source: 'law' };
    expect(() => new WorkingCalendar(year([twice, twice]))).toThrow('2030-01-01 is listed twice');
  });
});

describe('the bundled data', () => {
  const years = bundledCalendarYears();

  // Solar dates of mùng 1 Tết and of 10/3 âm lịch (Giỗ Tổ), from new moons and solar terms at UTC+7.
  const LUNAR: Record<number, [string, string]> = {
    2010: ['02-14', '04-23'],
    2011: ['02-03', '04-12'],
    2012: ['01-23', '03-31'],
    2013: ['02-10', '04-19'],
    2014: ['01-31', '04-09'],
    2015: ['02-19', '04-28'],
    2016: ['02-08', '04-16'],
    2017: ['01-28', '04-06'],
    2018: ['02-16', '04-25'],
    2019: ['02-05', '04-14'],
    2020: ['01-25', '04-02'],
    2021: ['02-12', '04-21'],
    2022: ['02-01', '04-10'],
    2023: ['01-22', '04-29'],
    2024: ['02-10', '04-18'],
    2025: ['01-29', '04-07'],
    2026: ['02-17', '04-26'],
    2027: ['02-06', '04-16'],
  };

  test('covers 2010–2027 and has Tết and Giỗ Tổ on their lunar dates', () => {
    expect(years.map((y) => y.year)).toEqual(Array.from({ length: 18 }, (_, i) => 2010 + i));
    for (const { year, days } of years) {
      const [tet, hung] = LUNAR[year]!;
      const named = (text: string) =>
        days.filter((d) => d.kind === 'HOLIDAY' && d.name.includes(text)).map((d) => d.date);
      expect({ year, tet: named('mùng 1 tháng Giêng'), hung: named('Giỗ Tổ') }).toEqual({
        year,
        tet: [`${year}-${tet}`],
        hung: [`${year}-${hung}`],
      });
    }
  });

  test('each year gives the Labour Code number of weekdays off (9, then 10 from 2014, 11 from 2021)', () => {
    const net = Object.fromEntries(
      years.map((y) => [
        y.year,
        y.days.reduce(
          (n, d) => (d.kind === 'MAKEUP_WORKING_DAY' ? n - 1 : dayOfWeek(d.date) <= 5 ? n + 1 : n),
          0,
        ),
      ]),
    );
    const expected = (year: number) => (year <= 2013 ? 9 : year <= 2020 ? 10 : 11);
    // Monday 31/12/2018 was swapped off for Saturday 5/1/2019, so the two years shift by one.
    const shift: Record<number, number> = { 2018: 1, 2019: -1 };
    expect(net).toEqual(
      Object.fromEntries(years.map((y) => [y.year, expected(y.year) + (shift[y.year] ?? 0)])),
    );
  });
});
