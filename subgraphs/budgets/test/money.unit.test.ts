/** Amount arithmetic of the budgets subgraph: exact parsing, millions for display, rates half up. */
import { millions, parseVnd, rate } from '../money';

test('parseVnd: decimal strings of any size up to bigint are exact; unsafe numbers and non-integers are refused', () => {
  expect(parseVnd('9007199254740993')).toBe(9_007_199_254_740_993n);
  expect(parseVnd('-12000')).toBe(-12_000n);
  expect(parseVnd(12_000)).toBe(12_000n);
  expect(parseVnd('9223372036854775807')).toBe(9_223_372_036_854_775_807n);
  for (const bad of [9007199254740992, 1.5, '12.5', '1e9', '', 'abc', null])
    expect(() => parseVnd(bad)).toThrow(`expected an integer amount of VND as a string of digits`);
  expect(() => parseVnd('9223372036854775808')).toThrow('9223372036854775808 VND is out of range (±2^63)');
});

test('millions: 3 decimals (1,000 VND), half away from zero, exact past 2^53', () => {
  expect(millions('9007199254740993')).toBe(9_007_199_254.741);
  expect(millions('1499')).toBe(0.001);
  expect(millions('1500')).toBe(0.002);
  expect(millions('499')).toBe(0);
  expect(millions('-1500000')).toBe(-1.5);
  expect(millions('-2500')).toBe(-0.003);
  expect(millions(0n)).toBe(0);
});

test('rate: part ÷ whole to 4 decimals half up; null on a zero whole', () => {
  expect(rate('1', '3')).toBe(0.3333);
  expect(rate('2', '3')).toBe(0.6667);
  expect(rate('5', '100000')).toBe(0.0001);
  expect(rate('1', '0')).toBeNull();
  expect(rate('18014398509481985', '9007199254740993')).toBe(2);
});
