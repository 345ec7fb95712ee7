import { formatTenths, parseArea, plusYears } from '../domain';

test('areas are exact tenths of m²; a malformed area names its field', () => {
  expect(parseArea('152.5', 'a')).toBe(1525);
  expect(formatTenths(1525)).toBe('152.5');
  expect(() => parseArea('1.25', 'input.results[0].area')).toThrow(/input.results\[0\].area/);
  expect(plusYears('2020-02-29', 50)).toBe('2070-02-28');
});
