/**
 * The live e-government scorecard through the gateway (schema/examples.ts SCORECARD_QUERY): seven KPIs
 * from five subgraphs for a district and all its wards, each with the previous period and the rank
 * among siblings; the seed reports' figures come out of it; each subgraph answers it in a constant
 * number of database round trips whatever the number of wards.
 */
import { SCORECARD_QUERY } from '../schema/examples';
import { ANALYST, startFederatedStack } from './support/subgraphs';
import type { FederatedStack } from './support/subgraphs';

jest.setTimeout(60_000);

let stack: FederatedStack;

beforeAll(async () => {
  stack = await startFederatedStack();
}, 120_000);

afterAll(async () => stack?.close());

interface Kpi {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  previous: number | null;
  change: number | null;
  rank: number | null;
  rankOf: number | null;
}

/** The seven KPIs of one agency's scorecard row, by name. */
const kpisOf = (a: any): Record<string, Kpi> => ({
  electronic: a.documentStats.electronic,
  signed: a.documentStats.signed,
  onTime: a.dossierStats.onTime,
  online: a.dossierStats.online,
  coverage: a.mailStats.coverage,
  regularUse: a.mailStats.regularUse,
  execution: a.budget.execution,
  digitised: a.landStats.digitised,
});

const yearVars = (agency: string, year: number, withSubordinates = false) => ({
  agency,
  period: { from: `${year}-01-01`, to: `${year}-12-31` },
  year,
  asOf: `${year}-12-31`,
  withSubordinates,
});

async function scorecard(vars: Record<string, unknown>): Promise<any> {
  const r = await stack.gql(SCORECARD_QUERY, vars, ANALYST);
  expect(r.errors).toBeUndefined();
  return r.data.agency;
}

test('Bắc Từ Liêm 2014 and its 13 wards: seven KPIs each, the published 90% electronic and 100% mailbox coverage', async () => {
  const d = await scorecard({}); // the query's defaults
  expect(d.name).toContain('Bắc Từ Liêm');
  expect(d.children).toHaveLength(13);
  const own = kpisOf(d);
  expect(own.electronic.value).toBe(0.9);
  expect(own.coverage.value).toBe(1);
  for (const a of [d, ...d.children]) {
    const k = kpisOf(a);
    expect(Object.keys(k)).toHaveLength(8); // seven KPIs; documents has two, so eight fields
    for (const [name, kpi] of Object.entries(k)) {
      if (kpi.value !== null && name !== 'execution') {
        expect(kpi.denominator).toBeGreaterThan(0);
        expect(kpi.value).toBeCloseTo(kpi.numerator! / kpi.denominator!, 4);
      }
      if (kpi.value !== null && kpi.previous !== null)
        expect(kpi.change).toBeCloseTo(kpi.value - kpi.previous, 4);
    }
  }
  // Every ward has land parcels, a budget and officials: what the scorecard shows for each, in order.
  const wards: Record<string, Kpi>[] = d.children.map(kpisOf);
  expect(wards.map((k) => k.digitised.denominator)).toEqual([
    24, 13, 6, 18, 22, 26, 18, 24, 5, 8, 10, 20, 36,
  ]);
  expect(wards.map((k) => k.execution.value)).toEqual([
    0.8678, 0.8374, 0.8784, 0.7883, 0.8524, 0.8092, 0.9366, 0.8587, 0.8965, 0.8586, 0.7915, 0.9175, 0.791,
  ]);
  expect(wards.map((k) => k.coverage.denominator)).toEqual(Array(13).fill(20));
});

test('ranks order the 13 wards by value, ties sharing a rank; previous is the value of the year before', async () => {
  // The wards exist from 1 April 2014: compare 2016 with 2015.
  const [y2016, y2015] = await Promise.all([
    scorecard(yearVars('000.00.21.H26', 2016)),
    scorecard(yearVars('000.00.21.H26', 2015)),
  ]);
  expect(y2016.children).toHaveLength(13);
  const before = new Map<string, any>(y2015.children.map((w: any) => [w.code, kpisOf(w)]));
  for (const name of Object.keys(kpisOf(y2016))) {
    const rows = y2016.children.map((w: any) => kpisOf(w)[name]!) as Kpi[];
    const values = rows.map((k) => k.value).filter((v): v is number => v !== null);
    for (const k of rows) {
      expect(k.rankOf).toBe(values.length);
      if (k.value === null) expect(k.rank).toBeNull();
      else expect(k.rank).toBe(1 + values.filter((v) => v > k.value!).length);
    }
    if (values.length) expect(rows.some((k) => k.rank === 1)).toBe(true);
    for (const w of y2016.children) {
      const k = kpisOf(w)[name]!;
      expect(k.previous).toBe(before.get(w.code)[name].value);
    }
  }
  // The district is ranked among Hà Nội's districts.
  const district = kpisOf(y2016).electronic;
  expect(district.rankOf).toBeGreaterThan(1);
  expect(district.rank).toBeGreaterThanOrEqual(1);
  expect(district.rank).toBeLessThanOrEqual(district.rankOf!);
});

test('the seed reports: Bắc Ninh 2013 over 3,600 mail accounts, Điện Biên Phủ 2013 about 75% regular use, Lập Thạch 2017 96% on time', async () => {
  const [bacNinh, dienBienPhu, lapThach] = await Promise.all([
    scorecard(yearVars('000.00.00.H05', 2013, true)),
    scorecard(yearVars('000.00.94.H18', 2013)),
    scorecard(yearVars('000.00.46.H62', 2017)),
  ]);
  expect(kpisOf(bacNinh).regularUse.denominator).toBeGreaterThan(3600); // mailboxes issued
  expect(kpisOf(dienBienPhu).regularUse.value).toBeCloseTo(0.75, 2);
  expect(kpisOf(lapThach).onTime.value).toBe(0.96);
});

test('each subgraph answers a district with all its wards in the same number of round trips, whatever the number of wards', async () => {
  const trips = () => new Map([...stack.subgraphs].map(([name, s]) => [name, s.db.roundTrips]));
  const cost = async (vars: Record<string, unknown>) => {
    const t0 = trips();
    const d = await scorecard(vars);
    const t1 = trips();
    return {
      wards: d.children.length,
      trips: Object.fromEntries([...t1].map(([n, v]) => [n, v - t0.get(n)!])),
    };
  };
  // Districts that are the only district of their province in the catalogue, with different numbers
  // of communes, and one with sibling districts to rank against (Bắc Từ Liêm): the same round trips —
  // the siblings' rows are asked in the same batch as the district's own (kit/scorecard/kpi.ts).
  const districts = [];
  for (const code of ['000.00.94.H18', '000.00.46.H62', '000.00.61.H03'])
    districts.push(await cost(yearVars(code, 2016))); // one at a time: the counters are per subgraph
  const counts = districts.map((d) => d.wards);
  expect(new Set(counts).size).toBeGreaterThan(1);
  for (const d of districts) expect(d.trips).toEqual(districts[0]!.trips);
  const btl = await cost(yearVars('000.00.21.H26', 2016));
  expect(btl.wards).toBe(13);
  expect(btl.trips).toEqual(districts[0]!.trips);
  // Two statements per subgraph and period (this year and last) at most; dossiers three, its grid
  // read between two probes of the longest stay (subgraphs/dossiers/db/stats.ts).
  for (const [name, n] of Object.entries(btl.trips))
    expect({ name, n: n <= (name === 'dossiers' ? 6 : 4) }).toEqual({ name, n: true });
});

test('land on Agency: a ward’s digitised share is its administrative unit’s, a district’s with subordinates sums its wards', async () => {
  const r = await stack.gql(
    `{
    agency(code: "000.00.21.H26") {
      unit(asOf: "2020-12-31") { id }
      landStats(period: { from: "2020-01-01", to: "2020-12-31" }, includeSubordinates: true) {
        parcelCount digitisedCount digitisedRatio
      }
      alone: landStats(period: { from: "2020-01-01", to: "2020-12-31" }) { parcelCount digitisedRatio }
      children(asOf: "2020-12-31") {
        unit(asOf: "2020-12-31") { landStats(asOf: "2020-12-31") { parcelCount digitisedCount } }
        landStats(period: { from: "2020-01-01", to: "2020-12-31" }) { parcelCount digitisedCount }
      }
    }
  }`,
    {},
    ANALYST,
  );
  expect(r.errors).toBeUndefined();
  const d = r.data.agency;
  expect(d.alone).toEqual({ parcelCount: 0, digitisedRatio: null }); // parcels are registered in communes
  let parcels = 0;
  let digitised = 0;
  for (const w of d.children) {
    expect(w.landStats).toEqual(w.unit.landStats);
    parcels += w.landStats.parcelCount;
    digitised += w.landStats.digitisedCount;
  }
  expect(parcels).toBe(230);
  expect(d.landStats).toMatchObject({ parcelCount: parcels, digitisedCount: digitised });
  expect(d.landStats.digitisedRatio).toBeCloseTo(digitised / parcels, 4);
});

test('bad input: a period that ends before it starts is BAD_USER_INPUT naming the field, in every subgraph', async () => {
  const r = await stack.gql(
    SCORECARD_QUERY,
    {
      ...yearVars('000.00.21.H26', 2014),
      period: { from: '2014-12-31', to: '2014-01-01' },
    },
    ANALYST,
  );
  expect(r.data?.agency ?? null).toBeNull();
  const codes = new Set((r.errors ?? []).map((e: any) => e.extensions?.code));
  expect([...codes]).toEqual(['BAD_USER_INPUT']);
});
