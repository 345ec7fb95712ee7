/**
 * The authorization directives as placed in the five subgraph SDLs, enforced by the gateway over the
 * real stack: mutations need an official (and reach no subgraph otherwise), the portal's data is
 * public, signed-in-only fields and partner scopes hold. Row-level rules inside the subgraphs are
 * tested with the subgraphs.
 */
import { ADMIN, ANALYST, official, startFederatedStack } from './support/subgraphs';
import type { FederatedStack, TestClaims } from './support/subgraphs';

jest.setTimeout(120_000);

let stack: FederatedStack;

beforeAll(async () => {
  stack = await startFederatedStack({ scale: 0.02 });
});

afterAll(async () => stack?.close());

const partner = (scope: string): TestClaims => ({ role: 'partner', agency: '000.00.21.H26', scope });
const CITIZEN: TestClaims = { role: 'citizen', citizen_id: '001085012345' };

const unauthorized = (body: { errors?: any[] }) =>
  (body.errors ?? [])
    .filter((e) => e.extensions?.code === 'UNAUTHORIZED_FIELD_OR_TYPE')
    .map((e) => e.path.join('.'));

test('a mutation without an official is refused field by field, and no subgraph is called', async () => {
  const issue = `mutation { issueOutgoingDocument(input: { agencyCode: "000.00.21.H26", typeCode: "TB",
    subject: "Thông báo", issuedDate: "2024-02-01", signer: { officialId: "000.00.21.H26/1" }, electronic: true }) { id } }`;
  const db = stack.subgraphs.get('documents')!.db;
  for (const as of [undefined, CITIZEN, ANALYST, ADMIN, partner('documents:read')]) {
    const before = db.roundTrips;
    const r = await stack.gql(issue, {}, as);
    expect([as?.role, r.data, unauthorized(r)]).toEqual([as?.role, null, ['issueOutgoingDocument']]);
    expect(db.roundTrips).toBe(before);
  }
  const ok = await stack.gql(issue, {}, official('000.00.21.H26'));
  expect(unauthorized(ok)).toEqual([]);
});

test('the portal reads anonymously; signed-in-only fields are null with an error at their path', async () => {
  // The scorecard aggregates are public (docs/access-policy.md); the directory of officials is not.
  const r = await stack.gql(`{ agency(code: "000.00.21.H26") { name
      documentStats(period: { from: "2014-01-01", to: "2014-12-31" }) { outgoingTotal } }
    procedures(first: 1) { totalCount }
    staff: agency(code: "000.00.21.H26") { name officials(first: 1) { totalCount } } }`);
  expect(r.data.agency.name).toBe('Ủy ban nhân dân quận Bắc Từ Liêm');
  expect(r.data.procedures.totalCount).toBe(1552);
  // officials is non-null: its null reaches the nearest nullable parent, the aliased agency.
  expect(r.data.staff).toBeNull();
  expect(unauthorized(r)).toEqual(['staff.officials']);
  const signedIn = await stack.gql(
    `{ agency(code: "000.00.21.H26") { documentStats(period: { from: "2014-01-01", to: "2014-12-31" }) { outgoingTotal }
      officials(first: 1) { totalCount } } }`,
    {},
    CITIZEN,
  );
  expect(unauthorized(signedIn)).toEqual([]);
  expect(signedIn.data.agency.documentStats).toEqual(r.data.agency.documentStats);
  expect(signedIn.data.agency.documentStats.outgoingTotal).toBe(20);
  expect(signedIn.data.agency.officials.totalCount).toBe(20);
});

test('partners see what their scopes name and nothing else', async () => {
  const parcel = '{ landParcel(id: "00598/1/1") { id } }';
  expect((await stack.gql(parcel, {}, partner('land:read'))).data).toEqual({
    landParcel: { id: '00598/1/1' },
  });
  const outside = await stack.gql(parcel, {}, partner('documents:read'));
  expect([outside.data, unauthorized(outside)]).toEqual([{ landParcel: null }, ['landParcel']]);
  const lines = '{ budgetLines(first: 1) { nodes { id } } }';
  expect(unauthorized(await stack.gql(lines, {}, partner('land:read')))).toEqual(['budgetLines']);
  expect(unauthorized(await stack.gql(lines, {}, partner('budgets:read')))).toEqual([]);
  // Officials, analysts and admins read every system by role; citizens only dossiers.
  expect(unauthorized(await stack.gql(lines, {}, ANALYST))).toEqual([]);
  expect(unauthorized(await stack.gql(lines, {}, CITIZEN))).toEqual(['budgetLines']);
});
