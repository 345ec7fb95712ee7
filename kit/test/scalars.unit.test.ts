/** The Date and DateTime scalars and integer ids (kit/runtime/scalars.ts): refused with the real reason. */
import { InvalidValueError } from '../runtime/errors';
import { DateScalar, DateTimeScalar, parseIntId } from '../runtime/scalars';

describe('scalars and ids', () => {
  test('Date refuses impossible dates with the real reason, never rolling them over', () => {
    expect(DateScalar.parseValue('2024-02-29')).toBe('2024-02-29');
    const reasons: [unknown, string][] = [
      ['2023-02-29', '"2023-02-29" is not a calendar date (February 2023 has 28 days)'],
      ['2024-04-31', '"2024-04-31" is not a calendar date (April 2024 has 30 days)'],
      ['2024-13-01', '"2024-13-01" is not a calendar date (there is no month 13)'],
      ['0000-01-01', 'year 0 is outside 1900–2100'],
      ['10000-01-01', 'expected a date written YYYY-MM-DD, got "10000-01-01"'],
      ['24-01-01', 'expected a date written YYYY-MM-DD, got "24-01-01"'],
      [20240101, 'expected a date written YYYY-MM-DD, got 20240101'],
    ];
    for (const [bad, reason] of reasons) {
      expect(() => DateScalar.parseValue(bad)).toThrow(new InvalidValueError(reason));
    }
  });
  test('DateTime refuses impossible instants instead of normalising them (2026-02-30T03:00Z is not 2 March)', () => {
    expect(DateTimeScalar.parseValue('2024-02-29T23:30+07:00')).toBe('2024-02-29T16:30:00.000Z');
    const reasons: [unknown, string][] = [
      ['2026-02-30T03:00Z', '"2026-02-30" is not a calendar date (February 2026 has 28 days)'],
      [
        '2024-01-01T24:00Z',
        '"2024-01-01T24:00Z" is not a time of day (hours 00–23, minutes and seconds 00–59)',
      ],
      ['2024-01-01T10:00+15:00', '"2024-01-01T10:00+15:00" has no such UTC offset (at most ±14:00)'],
      ['1899-12-31T23:00Z', 'year 1899 is outside 1900–2100'],
      [
        '2024-01-01T10:00',
        'expected an ISO-8601 instant with a time zone like 2024-03-14T08:30:00+07:00, got "2024-01-01T10:00"',
      ],
    ];
    for (const [bad, reason] of reasons) {
      expect(() => DateTimeScalar.parseValue(bad)).toThrow(new InvalidValueError(reason));
    }
  });
  test('ids must be positive integers', () => {
    expect(parseIntId('15', 'id')).toBe(15);
    for (const bad of ['0', '-1', 'abc', '1e3', '99999999999999999'])
      expect(() => parseIntId(bad, 'id')).toThrow(`id: "${bad}" is not a valid id`);
  });
});
