/**
 * The fifth report: Ba Bể district (Bắc Kạn), first nine months of 2018 (the report names no year;
 * docs/design takes 2018), each published figure out of the live graph through the gateway — from the
 * documents and dossiers subgraphs and from the province's ICT inventory, a subgraph outside the five
 * that joins through the registry (subgraphs/ict).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { markdownTable } from './support/markdown';
import { ANALYST, official, startFederatedStack } from './support/subgraphs';
import type { FederatedStack } from './support/subgraphs';

jest.setTimeout(120_000);

const BA_BE = '000.00.61.H03';
const NINE_MONTHS_2018 = { from: '2018-01-01', to: '2018-09-30' };
const KPI = 'value numerator denominator previous change rank rankOf';

const REPORT = `query BaBe($code: ID!, $period: PeriodInput!) {
  agency(code: $code) {
    name
    documentStats(period: $period) { electronic { ${KPI} } sentElectronically { ${KPI} } }
    dossierStats(period: $period) { onlineServices { ${KPI} } }
    district: ictStats(period: $period) { officials computers computerCoverage { ${KPI} } internet { ${KPI} } lan { value } }
    communes: ictStats(period: $period, scope: SUBORDINATES) { agencies internet { ${KPI} } lan { ${KPI} } }
    children(asOf: "2018-09-30") {
      code
      documentStats(period: $period) { electronic { value } }
      dossierStats(period: $period) { onlineServices { value } }
      ictStats(period: $period) { internet { value numerator denominator } lan { value } }
    }
  }
}`;

let stack: FederatedStack;
let report: any;

beforeAll(async () => {
  stack = await startFederatedStack({ scale: 1 }); // npm start's data, which docs/scorecard-babe.md shows
  const r = await stack.gql(REPORT, { code: BA_BE, period: NINE_MONTHS_2018 }, ANALYST);
  expect(r.errors).toBeUndefined();
  report = r.data.agency;
}, 300_000);

afterAll(async () => stack?.close());

test('Ba Bể 2018, first nine months: electronic documents maintained at 100% (documents subgraph)', () => {
  expect(report.name).toBe('Ủy ban nhân dân huyện Ba Bể');
  expect(report.documentStats.electronic).toMatchObject({ value: 1, numerator: 193, denominator: 193 });
});

test('Ba Bể 2018, first nine months: documents sent electronically rose 93% on the same nine months of 2017', () => {
  expect(report.documentStats.sentElectronically).toMatchObject({
    value: 193,
    numerator: 193,
    denominator: null,
    previous: 100, // 1 January – 30 September 2017, not the nine months just before
    change: 0.93,
    rank: 1,
    rankOf: 1, // the only district of Bắc Kạn in the catalogue
  });
});

test('Ba Bể 2018, first nine months: online public services at 65% of the year’s plan (dossiers subgraph)', () => {
  expect(report.dossierStats.onlineServices).toMatchObject({ value: 0.65, numerator: 26, denominator: 40 });
});

test('Ba Bể 2018: 100% of district officials have a computer, all of them connected to the internet (ICT subgraph)', () => {
  expect(report.district.computerCoverage).toMatchObject({ value: 1 });
  expect(report.district.computerCoverage.numerator).toBe(report.district.officials);
  expect(report.district.internet).toMatchObject({ value: 1 });
  expect(report.district.internet.numerator).toBe(report.district.computers);
});

test('Ba Bể 2018: 89% of the communes’ computers connected to the internet, 100% of communes and towns on a LAN', () => {
  expect(report.communes.agencies).toBe(6);
  expect(report.communes.internet).toMatchObject({ value: 0.89, numerator: 89, denominator: 100 });
  expect(report.communes.lan).toMatchObject({ value: 1, numerator: 6, denominator: 6 });
});

test('the figures are spread as the other seeds are: Ba Bể’s communes differ from one another', () => {
  const communes = report.children;
  expect(communes).toHaveLength(6);
  const distinct = (pick: (c: any) => number | null) => new Set(communes.map(pick)).size;
  expect(distinct((c) => c.ictStats.internet.value)).toBeGreaterThan(1);
  expect(distinct((c) => c.documentStats.electronic.value)).toBeGreaterThan(1);
  expect(distinct((c) => c.dossierStats.onlineServices.value)).toBeGreaterThan(1);
  // The commune-level 89% is the communes' computers taken together.
  const sum = (k: 'numerator' | 'denominator') =>
    communes.reduce((s: number, c: any) => s + c.ictStats.internet[k], 0);
  expect([sum('numerator'), sum('denominator')]).toEqual([89, 100]);
  for (const c of communes) expect(c.ictStats.lan.value).toBe(1);
});

test('a year before, the same KPIs are lower: 2017’s first nine months', async () => {
  const r = await stack.gql(
    REPORT,
    { code: BA_BE, period: { from: '2017-01-01', to: '2017-09-30' } },
    ANALYST,
  );
  expect(r.errors).toBeUndefined();
  const y2017 = r.data.agency;
  expect(y2017.documentStats.sentElectronically.value).toBe(100);
  expect(y2017.documentStats.electronic.value).toBeLessThan(1);
  expect(y2017.communes.internet.value).toBeLessThan(0.89);
});

const SET_PLAN = `mutation($i: SetOnlineServicePlanInput!) {
  setOnlineServicePlan(input: $i) { agency { code name } year plannedServices }
}`;

test('the plan is set by an official of the agency through a mutation, and the KPI divides by it', async () => {
  const i = { agencyCode: BA_BE, year: 2019, plannedServices: 41 };
  const r = await stack.gql(SET_PLAN, { i }, official(BA_BE));
  expect(r.errors).toBeUndefined();
  expect(r.data.setOnlineServicePlan).toEqual({
    agency: { code: BA_BE, name: 'Ủy ban nhân dân huyện Ba Bể' },
    year: 2019,
    plannedServices: 41,
  });
  const q = await stack.gql(
    `{ agency(code: "${BA_BE}") { onlineServicePlan(year: 2019) { plannedServices }
       dossierStats(period: { from: "2019-01-01", to: "2019-12-31" }) { onlineServices { denominator } } } }`,
  );
  expect(q.errors).toBeUndefined();
  expect(q.data.agency).toEqual({
    onlineServicePlan: { plannedServices: 41 },
    dossierStats: { onlineServices: { denominator: 41 } },
  });
});

test('setOnlineServicePlan: an official of another agency is FORBIDDEN, bad numbers are BAD_USER_INPUT naming the field, nothing written', async () => {
  const before = await stack.gql(
    `{ agency(code: "${BA_BE}") { onlineServicePlan(year: 2018) { plannedServices } } }`,
  );
  expect(before.data.agency.onlineServicePlan).toEqual({ plannedServices: 40 });
  const lapThach = await stack.gql(
    SET_PLAN,
    { i: { agencyCode: BA_BE, year: 2018, plannedServices: 26 } },
    official('000.00.46.H62'),
  );
  expect(lapThach.errors.map((e: any) => e.extensions.code)).toEqual(['FORBIDDEN']);
  for (const [i, field] of [
    [{ agencyCode: BA_BE, year: 1999, plannedServices: 26 }, 'input.year'],
    [{ agencyCode: BA_BE, year: 2018, plannedServices: 0 }, 'input.plannedServices'],
  ] as const) {
    const r = await stack.gql(SET_PLAN, { i }, official(BA_BE));
    expect(r.errors.map((e: any) => [e.extensions.code, e.extensions.field])).toEqual([
      ['BAD_USER_INPUT', field],
    ]);
  }
  const anonymous = await stack.gql(SET_PLAN, { i: { agencyCode: BA_BE, year: 2018, plannedServices: 26 } });
  expect(anonymous.data?.setOnlineServicePlan ?? null).toBeNull();
  const after = await stack.gql(
    `{ agency(code: "${BA_BE}") { onlineServicePlan(year: 2018) { plannedServices } } }`,
  );
  expect(after.data.agency.onlineServicePlan).toEqual({ plannedServices: 40 });
});

/** The other four reports' figures, as docs/scorecard-babe.md's table shows them. */
const OTHER_REPORTS = `{
  btl: agency(code: "000.00.21.H26") {
    documentStats(period: { from: "2014-01-01", to: "2014-12-31" }) { electronic { value } }
    mailStats(period: { from: "2014-01-01", to: "2014-12-31" }) { coverage { value } }
  }
  lapThach: agency(code: "000.00.46.H62") {
    dossierStats(period: { from: "2017-01-01", to: "2017-12-31" }) { onTime { value } }
  }
  dienBienPhu: agency(code: "000.00.94.H18") {
    mailStats(period: { from: "2013-01-01", to: "2013-12-31" }) { regularUse { value } }
  }
  bacNinh: agency(code: "000.00.00.H05") {
    mailStats(period: { from: "2013-01-01", to: "2013-12-31" }, includeSubordinates: true) { regularUse { denominator } }
  }
}`;

test("docs/scorecard-babe.md's table is the whole live answer: every row, the graph's figure rendered as shown", async () => {
  const r = await stack.gql(OTHER_REPORTS, {}, ANALYST);
  expect(r.errors).toBeUndefined();
  const { btl, lapThach, dienBienPhu, bacNinh } = r.data;
  const b = report;
  // "about 75%" as the doc words it: the value to two places; "over 3,600": the count, then the claim.
  const about = (v: number) => `≈ ${v.toFixed(2)}`;
  const over = (n: number) => `${n.toLocaleString('en')} (> 3,600)`;
  const live = [
    [
      'Bắc Từ Liêm 2014',
      '90% of documents exchanged electronically',
      '`documentStats { electronic }`',
      `${btl.documentStats.electronic.value}`,
      'documents',
    ],
    [
      'Bắc Từ Liêm 2014',
      '100% of officials have an official mailbox',
      '`mailStats { coverage }`',
      `${btl.mailStats.coverage.value}`,
      'mail',
    ],
    [
      'Lập Thạch 2017',
      '96% of dossiers resolved on time',
      '`dossierStats { onTime }`',
      `${lapThach.dossierStats.onTime.value}`,
      'dossiers',
    ],
    [
      'Điện Biên Phủ 2013',
      'about 75% of officials use mail for work',
      '`mailStats { regularUse }`',
      about(dienBienPhu.mailStats.regularUse.value),
      'mail',
    ],
    [
      'Bắc Ninh 2013',
      'over 3,600 official mail accounts',
      '`mailStats { regularUse { denominator } }`, with subordinates',
      over(bacNinh.mailStats.regularUse.denominator),
      'mail',
    ],
    [
      '**Ba Bể 2018, Jan–Sep**',
      'electronic documents maintained at 100%',
      '`documentStats(period) { electronic }`',
      `**${b.documentStats.electronic.value}** (${b.documentStats.electronic.numerator} of ${b.documentStats.electronic.denominator})`,
      'documents',
    ],
    [
      '**Ba Bể 2018, Jan–Sep**',
      'documents sent electronically rose 93%',
      '`documentStats(period) { sentElectronically { value previous change } }`',
      `${b.documentStats.sentElectronically.value} against ${b.documentStats.sentElectronically.previous}, **change ${b.documentStats.sentElectronically.change}**`,
      'documents',
    ],
    [
      '**Ba Bể 2018, Jan–Sep**',
      "online public services at 65% of the year's plan",
      '`dossierStats(period) { onlineServices }`',
      `**${b.dossierStats.onlineServices.value}** (${b.dossierStats.onlineServices.numerator} services of a plan of ${b.dossierStats.onlineServices.denominator})`,
      'dossiers',
    ],
    [
      '**Ba Bể 2018**',
      '100% of district officials have a computer',
      '`ictStats(period) { computerCoverage }`',
      `**${b.district.computerCoverage.value}**`,
      'ict',
    ],
    [
      '**Ba Bể 2018**',
      'computers on the internet: 100% district, 89% communes',
      '`ictStats(period) { internet }`, `ictStats(period, scope: SUBORDINATES) { internet }`',
      `**${b.district.internet.value}**; **${b.communes.internet.value}** (${b.communes.internet.numerator} of the communes' ${b.communes.internet.denominator} computers)`,
      'ict',
    ],
    [
      '**Ba Bể 2018**',
      '100% of communes and towns use a LAN',
      '`ictStats(period, scope: SUBORDINATES) { lan }`',
      `**${b.communes.lan.value}** (${b.communes.lan.numerator} of ${b.communes.lan.denominator})`,
      'ict',
    ],
  ];
  const doc = readFileSync(path.join(__dirname, '../docs/scorecard-babe.md'), 'utf8');
  expect(markdownTable(doc, '| graph answers ')).toEqual(live);
});
