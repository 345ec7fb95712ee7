/**
 * Each scorecard KPI equals what the underlying list queries give when counted by hand, per system,
 * through the gateway: documents filtered by direction and dates, dossiers resolved and received in the
 * period with their timeliness and channel, officials and their mailboxes (with the last login up to
 * the day), budget lines summed, and the parcels of a ward.
 */
import { SCORECARD_QUERY } from '../schema/examples';
import { ANALYST, official, startFederatedStack } from './support/subgraphs';
import type { FederatedStack, TestClaims } from './support/subgraphs';

jest.setTimeout(120_000);

let stack: FederatedStack;

beforeAll(async () => {
  stack = await startFederatedStack();
}, 120_000);

afterAll(async () => stack?.close());

/** As an analyst (the scorecard's reader) unless told otherwise. */
async function gql(
  query: string,
  variables: Record<string, unknown> = {},
  as: TestClaims = ANALYST,
): Promise<any> {
  const r = await stack.gql(query, variables, as);
  expect(r.errors).toBeUndefined();
  return r.data;
}

/** Every node of a paginated list: `pick` returns the connection from the response. */
async function every(
  query: string,
  vars: Record<string, unknown>,
  pick: (d: any) => any,
  as: TestClaims = ANALYST,
): Promise<any[]> {
  const out: any[] = [];
  let after: string | null = null;
  do {
    const c = pick(await gql(query, { ...vars, after }, as));
    out.push(...c.nodes);
    after = c.pageInfo.hasNextPage ? c.pageInfo.endCursor : null;
  } while (after);
  return out;
}

/** The scorecard row of one agency for one calendar year (no subordinates). */
async function scorecardRow(agency: string, year: number): Promise<any> {
  const d = await gql(SCORECARD_QUERY, {
    agency,
    period: { from: `${year}-01-01`, to: `${year}-12-31` },
    year,
    asOf: `${year}-12-31`,
    withSubordinates: false,
  });
  return d.agency;
}

const BAC_TU_LIEM = '000.00.21.H26';

test('documents: electronic and digitally-signed ratios equal the documents list counted by hand', async () => {
  const row = await scorecardRow(BAC_TU_LIEM, 2014);
  const list = (filter: Record<string, unknown>) =>
    every(
      `query($f: DocumentFilter, $after: String) { documents(filter: $f, first: 100, after: $after) {
        nodes { id electronic digitallySigned } pageInfo { hasNextPage endCursor } } }`,
      { f: { agencyCode: BAC_TU_LIEM, issuedFrom: '2014-01-01', issuedTo: '2014-12-31', ...filter } },
      (d) => d.documents,
    );
  const outgoing = await list({ direction: 'OUTGOING' });
  const electronic = await list({ electronic: true });
  const { electronic: e, signed: s } = row.documentStats;
  expect(e.denominator).toBe(outgoing.length);
  expect(e.numerator).toBe(outgoing.filter((d) => d.electronic).length);
  expect(e.denominator).toBe(20);
  expect(s.denominator).toBe(electronic.length);
  expect(s.numerator).toBe(electronic.filter((d) => d.digitallySigned).length);
  expect(s.denominator).toBe(18);
});

test('dossiers: on-time and online ratios equal the dossiers list (finished / received in the period) counted by hand', async () => {
  const LAP_THACH = '000.00.46.H62';
  const row = await scorecardRow(LAP_THACH, 2017);
  const list = (filter: Record<string, unknown>) =>
    every(
      `query($f: DossierFilter, $after: String) { dossiers(filter: $f, first: 100, after: $after) {
        nodes { code status channel timeliness } pageInfo { hasNextPage endCursor } } }`,
      { f: { agencyCode: LAP_THACH, ...filter } },
      (d) => d.dossiers,
    );
  const accepted = (ds: any[]) => ds.filter((d) => d.status !== 'KHONG_DUOC_TIEP_NHAN');
  const resolved = accepted(await list({ finishedFrom: '2017-01-01', finishedTo: '2017-12-31' }));
  const received = accepted(await list({ receivedFrom: '2017-01-01', receivedTo: '2017-12-31' }));
  const { onTime, online } = row.dossierStats;
  expect(onTime.denominator).toBe(resolved.length);
  expect(onTime.numerator).toBe(
    resolved.filter((d) => d.timeliness === 'TRUOC_HAN' || d.timeliness === 'DUNG_HAN').length,
  );
  expect(onTime.value).toBe(0.96);
  expect(online.denominator).toBe(received.length);
  expect(online.numerator).toBe(received.filter((d) => d.channel === 'TRUC_TUYEN').length);
  expect(online.denominator).toBe(54);
});

test('mail: coverage and regular use equal the officials and mailboxes lists counted by hand', async () => {
  const DIEN_BIEN_PHU = '000.00.94.H18';
  const row = await scorecardRow(DIEN_BIEN_PHU, 2013);
  const officials = await every(
    `query($code: ID!, $after: String) { officials(agencyCode: $code, first: 100, after: $after) {
      nodes { id activeFrom activeTo mailbox { agency { code } status createdAt closedAt
        loginHistory(first: 1, until: "2013-12-31") { on } } }
      pageInfo { hasNextPage endCursor } } }`,
    { code: DIEN_BIEN_PHU },
    (d) => d.officials,
    // Login history is personal data, hidden from analysts: counted by hand as the agency's own official.
    official(DIEN_BIEN_PHU),
  );
  const end = Date.parse('2014-01-01T00:00:00+07:00'); // the end of 31 December 2013, Vietnam time
  const activeOnDay = (m: any) =>
    m && Date.parse(m.createdAt) < end && (!m.closedAt || Date.parse(m.closedAt) >= end);
  const inPost = officials.filter(
    (o) => o.activeFrom <= '2013-12-31' && (!o.activeTo || o.activeTo >= '2013-12-31'),
  );
  const issued = officials
    .map((o) => o.mailbox)
    .filter((m) => m && m.agency.code === DIEN_BIEN_PHU && Date.parse(m.createdAt) < end)
    .filter((m) => m.status !== 'DELETED' || Date.parse(m.closedAt) >= end);
  const regular = issued.filter((m) => m.loginHistory[0] && m.loginHistory[0].on >= '2013-12-25'); // 7 days
  const { coverage, regularUse } = row.mailStats;
  expect(coverage.denominator).toBe(inPost.length);
  expect(coverage.numerator).toBe(inPost.filter((o) => activeOnDay(o.mailbox)).length);
  expect(regularUse.denominator).toBe(issued.length);
  expect(regularUse.numerator).toBe(regular.length);
  expect(regularUse.value).toBeCloseTo(0.75, 2);
});

test('budgets: the execution rate equals the expenditure lines summed (executed ÷ estimate in force)', async () => {
  const row = await scorecardRow(BAC_TU_LIEM, 2020);
  const lines = await every(
    `query($after: String) { budgetLines(filter: { agencyCode: "${BAC_TU_LIEM}", fiscalYear: 2020, direction: CHI },
      first: 100, after: $after) { nodes { executed currentEstimate } pageInfo { hasNextPage endCursor } } }`,
    {},
    (d) => d.budgetLines,
  );
  expect(lines).toHaveLength(14);
  const executed = lines.reduce((s, l) => s + BigInt(l.executed), 0n);
  const estimate = lines.reduce((s, l) => s + BigInt(l.currentEstimate), 0n);
  // 4 decimals, half up, in BigInt like the subgraph (amounts exceed 2^53 in places).
  const rate = Number((executed * 20000n + estimate) / (2n * estimate)) / 10000;
  expect(row.budget.execution.value).toBe(rate);
  expect(row.budget.execution.numerator).toBeNull(); // amounts are Vnd, beyond Int
});

test('land: the digitised share of a ward equals its parcels listed and counted by hand', async () => {
  const d = await gql(
    `{ agency(code: "${BAC_TU_LIEM}") { children(asOf: "2020-12-31") { code unit(asOf: "2020-12-31") { code } } } }`,
  );
  const ward = d.agency.children[0];
  const row = await scorecardRow(ward.code, 2020);
  const parcels = await every(
    `query($c: String!, $after: String) { landParcels(commune: $c, asOf: "2020-12-31", includePredecessors: true,
      first: 100, after: $after) { nodes { id digitisedOn } pageInfo { hasNextPage endCursor } } }`,
    { c: ward.unit.code },
    (x) => x.landParcels,
  );
  const k = row.landStats.digitised;
  expect(k.denominator).toBe(parcels.length);
  expect(k.denominator).toBe(24);
  expect(k.numerator).toBe(parcels.filter((p) => p.digitisedOn && p.digitisedOn <= '2020-12-31').length);
});
