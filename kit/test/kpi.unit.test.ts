/** Scorecard KPIs (kit/kpi.ts): the previous period, and ranks among siblings over a stats loader. */
import { kpiSet, previousPeriod } from '../kpi';
import type { KpiScope } from '../kpi';

test('the previous period: whole months shift by months, other periods by days', () => {
  expect(previousPeriod({ from: '2014-01-01', to: '2014-12-31' })).toEqual({
    from: '2013-01-01',
    to: '2013-12-31',
  });
  expect(previousPeriod({ from: '2013-01-01', to: '2013-12-31' })).toEqual({
    from: '2012-01-01',
    to: '2012-12-31',
  });
  expect(previousPeriod({ from: '2024-03-01', to: '2024-03-31' })).toEqual({
    from: '2024-02-01',
    to: '2024-02-29',
  });
  expect(previousPeriod({ from: '2018-01-01', to: '2018-09-30' })).toEqual({
    from: '2017-04-01',
    to: '2017-12-31',
  });
  expect(previousPeriod({ from: '2020-01-10', to: '2020-01-19' })).toEqual({
    from: '2019-12-31',
    to: '2020-01-09',
  });
  expect(previousPeriod({ from: '2020-03-01', to: '2020-03-01' })).toEqual({
    from: '2020-02-29',
    to: '2020-02-29',
  });
});

test('rank 1 is the highest value among same-level siblings; ties share a rank; null values are not ranked', async () => {
  const values: Record<string, number | null> = { a: 0.5, b: 0.9, c: 0.5, d: null, dept: 1 };
  const agencies: Record<string, { code: string; parentCode: string | null; level: string }> = {
    a: { code: 'a', parentCode: 'p', level: 'COMMUNE' },
    b: { code: 'b', parentCode: 'p', level: 'COMMUNE' },
    c: { code: 'c', parentCode: 'p', level: 'COMMUNE' },
    d: { code: 'd', parentCode: 'p', level: 'COMMUNE' },
    dept: { code: 'dept', parentCode: 'p', level: 'DEPARTMENT' },
  };
  const loads: string[] = [];
  const scope = (code: string): KpiScope<string, { code: string; v: number | null }> => ({
    code,
    arg: '2014',
    previousArg: '2013',
    asOf: '2014-12-31',
    catalogue: {
      agency: { load: async (c: string) => agencies[c] ?? null },
      agencyChildren: { load: async () => Object.values(agencies) },
    } as never,
    load: async (c, arg) => {
      loads.push(`${c}@${arg}`);
      return { code: c, v: arg === '2013' ? 0.25 : values[c]! };
    },
  });
  const kpi = (code: string) =>
    kpiSet(
      { code, v: values[code]! },
      scope(code),
    )((r) => ({ value: r.v, numerator: null, denominator: null }));
  await expect(kpi('b').standing()).resolves.toEqual({ rank: 1, rankOf: 3 });
  await expect(kpi('a').standing()).resolves.toEqual({ rank: 2, rankOf: 3 });
  await expect(kpi('c').standing()).resolves.toEqual({ rank: 2, rankOf: 3 });
  await expect(kpi('d').standing()).resolves.toEqual({ rank: null, rankOf: 3 });
  await expect(kpi('a').previousParts()).resolves.toMatchObject({ value: 0.25 });
  // One source: the previous row and the siblings' rows are each loaded once for all KPIs of a row.
  loads.length = 0;
  const set = kpiSet({ code: 'a', v: 0.5 }, scope('a'));
  const one = set((r) => ({ value: r.v, numerator: null, denominator: null }));
  const two = set((r) => ({ value: r.v === null ? null : 1 - r.v, numerator: null, denominator: null }));
  await Promise.all([one.standing(), two.standing(), one.previousParts(), two.previousParts()]);
  expect(loads.sort()).toEqual(['a@2013', 'b@2014', 'c@2014', 'd@2014']);
});
