/** Scorecard KPIs (kit/scorecard/kpi.ts): the previous period, and ranks among siblings over a stats loader, asked in one tick. */
import type { AgencyDirectory } from '../reference/catalogue/directory';
import { siblingCodes } from '../reference/catalogue/directory';
import type { AgencyRow } from '../reference/catalogue/tables';
import { buildSchema, graphql } from 'graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { kpiNeeds, kpiResolvers, loadKpiSet, previousPeriod, yearBefore } from '../scorecard/kpi';
import type { KpiSource } from '../scorecard/kpi';
import type { KpiNeeds, KpiScope } from '../scorecard/kpi';

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

test('a count KPI compares with the same period a year before: the first nine months with the same nine months', () => {
  expect(yearBefore({ from: '2018-01-01', to: '2018-09-30' })).toEqual({
    from: '2017-01-01',
    to: '2017-09-30',
  });
  expect(yearBefore({ from: '2024-02-01', to: '2024-02-29' })).toEqual({
    from: '2023-02-01',
    to: '2023-02-28',
  });
});

test('change: value − previous for a ratio, the relative growth for a count KPI (null on a previous of 0)', async () => {
  const source = (value: number, previous: number, growth?: boolean): KpiSource => ({
    value,
    numerator: null,
    denominator: null,
    growth,
    previousParts: async () => ({ value: previous, numerator: null, denominator: null }),
    standing: async () => ({ rank: 1, rankOf: 1 }),
  });
  expect(await kpiResolvers.Kpi.change(source(0.9, 0.78))).toBe(0.12);
  expect(await kpiResolvers.Kpi.change(source(193, 100, true))).toBe(0.93);
  expect(await kpiResolvers.Kpi.change(source(27, 14, true))).toBe(0.9286);
  expect(await kpiResolvers.Kpi.change(source(5, 0, true))).toBeNull();
});

type Row = { code: string; v: number | null };
const values: Record<string, number | null> = { a: 0.5, b: 0.9, c: 0.5, d: null, dept: 1 };
const agency = (code: string, level: string, validTo: string | null = null) =>
  ({ code, parentCode: 'p', level, validFrom: '2000-01-01', validTo }) as AgencyRow;
const rows = [
  { code: 'p', parentCode: null, level: 'PROVINCE', validFrom: '2000-01-01', validTo: null } as AgencyRow,
  agency('a', 'COMMUNE'),
  agency('b', 'COMMUNE'),
  agency('c', 'COMMUNE'),
  agency('d', 'COMMUNE'),
  agency('gone', 'COMMUNE', '2010-12-31'),
  agency('dept', 'DEPARTMENT'),
];
const directory: AgencyDirectory = {
  byCode: new Map(rows.map((r) => [r.code, r])),
  childrenOf: new Map([['p', rows.slice(1)]]),
};

/** A scope over a fake stats loader that records every key it is asked, and in which tick. */
function scope(code: string, loads: string[], ticks: number[], tick: { n: number }): KpiScope<string, Row> {
  return {
    code,
    arg: '2014',
    previousArg: '2013',
    asOf: '2014-12-31',
    catalogue: { directory: { now: () => directory, get: async () => directory } },
    load: async (c, arg) => {
      loads.push(`${c}@${arg}`);
      ticks.push(tick.n);
      return { code: c, v: arg === '2013' ? 0.25 : values[c]! };
    },
  };
}

const ratio = (r: Row) => ({ value: r.v, numerator: null, denominator: null });

test('rank 1 is the highest value among same-level siblings valid then; ties share a rank; null values are not ranked', async () => {
  const all = { previous: true, siblings: true };
  const kpi = async (code: string) => (await loadKpiSet(scope(code, [], [], { n: 0 }), all)).kpi(ratio);
  await expect((await kpi('b')).standing()).resolves.toEqual({ rank: 1, rankOf: 3 });
  await expect((await kpi('a')).standing()).resolves.toEqual({ rank: 2, rankOf: 3 });
  await expect((await kpi('c')).standing()).resolves.toEqual({ rank: 2, rankOf: 3 });
  await expect((await kpi('d')).standing()).resolves.toEqual({ rank: null, rankOf: 3 });
  await expect((await kpi('a')).previousParts()).resolves.toMatchObject({ value: 0.25 });
  expect(siblingCodes(directory, 'dept', '2014-12-31')).toEqual(['dept']);
  expect(siblingCodes(directory, 'gone', '2014-12-31')).toEqual(['a', 'b', 'c', 'd', 'gone']);
  expect(siblingCodes(directory, 'p', '2014-12-31')).toEqual(['p']);
});

test('announced needs: the own, previous and siblings rows are all asked in the same tick, once for all KPIs', async () => {
  const loads: string[] = [];
  const ticks: number[] = [];
  const tick = { n: 0 };
  const pending = loadKpiSet(scope('a', loads, ticks, tick), { previous: true, siblings: true });
  tick.n = 1; // anything asked from here on would miss the loader's batch
  const { kpi } = await pending;
  const one = kpi(ratio);
  const two = kpi((r) => ({ value: r.v === null ? null : 1 - r.v, numerator: null, denominator: null }));
  await Promise.all([one.standing(), two.standing(), one.previousParts(), two.previousParts()]);
  expect(loads.sort()).toEqual(['a@2013', 'a@2014', 'b@2014', 'c@2014', 'd@2014']);
  expect(new Set(ticks)).toEqual(new Set([0]));
});

test('unannounced needs: nothing more is loaded up front, and still loaded (later) when used', async () => {
  const loads: string[] = [];
  const ticks: number[] = [];
  const tick = { n: 0 };
  const pending = loadKpiSet(scope('b', loads, ticks, tick), { previous: false, siblings: false });
  tick.n = 1;
  const { kpi } = await pending;
  expect(loads).toEqual(['b@2014']);
  await expect(kpi(ratio).standing()).resolves.toEqual({ rank: 1, rankOf: 3 });
  await expect(kpi(ratio).previousParts()).resolves.toMatchObject({ value: 0.25 });
  expect(ticks.filter((t) => t === 1)).toHaveLength(4); // a, c, d and b's previous row
});

test('kpiNeeds reads the stats field selection, fragments included: previous/change, rank/rankOf', async () => {
  const schema = buildSchema(`
    type Kpi { value: Float previous: Float change: Float rank: Int rankOf: Int }
    type Stats { count: Int electronic: Kpi signed: Kpi }
    type Query { stats: Stats }
  `);
  const needsOf = async (query: string): Promise<KpiNeeds> => {
    let seen: KpiNeeds | undefined;
    const r = await graphql({
      schema,
      source: query,
      rootValue: {
        stats: (_: unknown, __: unknown, info: GraphQLResolveInfo) => ((seen = kpiNeeds(info)), {}),
      },
    });
    expect(r.errors).toBeUndefined();
    return seen!;
  };
  expect(await needsOf('{ stats { count electronic { value } } }')).toEqual({
    previous: false,
    siblings: false,
  });
  expect(
    await needsOf('{ stats { ...S } } fragment S on Stats { signed { ...K } } fragment K on Kpi { change }'),
  ).toEqual({ previous: true, siblings: false });
  expect(await needsOf('{ stats { ... on Stats { electronic { rankOf } } } }')).toEqual({
    previous: false,
    siblings: true,
  });
  expect(await needsOf('{ stats { electronic { previous } signed { rank } } }')).toEqual({
    previous: true,
    siblings: true,
  });
});
