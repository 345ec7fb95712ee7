/**
 * Official e-mail through the gateway: the mail subgraph owns `Official`, so a document's signer (a
 * reference from the documents subgraph) resolves to the directory's official with name and position;
 * an agency's name (documents) sits next to its mailStats (mail), for one agency or all its children.
 */
import type { Caller } from '../kit';
import { callers } from '../kit/testing';
import { startFederatedStack } from './support/subgraphs';
import type { FederatedStack } from './support/subgraphs';

let stack: FederatedStack;

/** As a signed-in analyst unless told otherwise: the directory of officials needs a signed-in caller, mailboxes mail:read. */
const gql = (
  query: string,
  variables: Record<string, unknown> = {},
  caller: Caller = callers.analyst,
): Promise<any> => stack.gql(query, variables, caller);

beforeAll(async () => {
  stack = await startFederatedStack();
}, 180_000);

afterAll(async () => stack?.close());

test('a document’s signer resolves to the mail subgraph’s Official, with the name and position the document shows', async () => {
  const r = await gql(
    `{ documents(filter: { agencyCode: "000.00.94.H18" }, first: 5) { nodes { numberSymbol
    signer { fullName position official { id fullName position employmentType agency { code name } mailbox { address } } } } } }`,
    {},
    callers.official('000.00.94.H18'), // mailboxes are for their agency's officials (and above)
  );
  expect(r.errors).toBeUndefined();
  const signed = r.data.documents.nodes.filter((d: any) => d.signer?.official);
  expect(signed).toHaveLength(5);
  for (const d of signed) {
    const o = d.signer.official;
    // Signers are the issuing agency's leaders, officials 1–3 (the filter also matches its wards)
    expect(o.id).toMatch(/^\d{3}\.\d{2}\.94\.H18\/[1-3]$/);
    expect(o.fullName).toBe(d.signer.fullName);
    expect(o.position).toBe(d.signer.position);
    expect(o.employmentType).toBe('CAN_BO');
    expect(o.agency.code).toBe(o.id.split('/')[0]);
    expect(o.agency.name).toMatch(/^Ủy ban nhân dân (thành phố Điện Biên Phủ|phường )/);
    expect(o.mailbox.address).toMatch(/@dienbien\.gov\.vn$/);
  }
});

test('an agency’s name from documents next to its mailStats from mail: Điện Biên Phủ 2013 and its wards', async () => {
  const r = await gql(`{ agency(code: "000.00.94.H18") { name
    mailStats(period: { from: "2013-01-01", to: "2013-12-31" }) { officials mailboxesIssued mailboxCoverage regularUseRatio activeWithinDays }
    withWards: mailStats(period: { from: "2013-01-01", to: "2013-12-31" }, includeSubordinates: true) { regularUseRatio } } }`);
  expect(r.errors).toBeUndefined();
  expect(r.data.agency).toMatchObject({
    name: 'Ủy ban nhân dân thành phố Điện Biên Phủ',
    mailStats: { mailboxCoverage: 1, regularUseRatio: 0.75, activeWithinDays: 7 },
    withWards: { regularUseRatio: 0.75 },
  });
});

test('the published figures through the gateway: Bắc Từ Liêm 2014 coverage and Bắc Ninh 2013 accounts', async () => {
  const r = await gql(`{ btl: agency(code: "000.00.21.H26") { name
      mailStats(period: { from: "2014-01-01", to: "2014-12-31" }, includeSubordinates: true) { officials mailboxCoverage } }
    bn: agency(code: "000.00.00.H05") { name
      mailStats(period: { from: "2013-01-01", to: "2013-12-31" }, includeSubordinates: true) { mailboxesIssued } } }`);
  expect(r.errors).toBeUndefined();
  expect(r.data.btl.name).toBe('Ủy ban nhân dân quận Bắc Từ Liêm');
  expect(r.data.btl.mailStats.mailboxCoverage).toBe(1);
  expect(r.data.btl.mailStats.officials).toBe(280);
  expect(r.data.bn.mailStats.mailboxesIssued).toBeGreaterThan(3_600);
});

test('Official.documentsSigned (documents subgraph) next to the directory’s fields (mail subgraph)', async () => {
  const r = await gql(`{ official(id: "000.00.94.H18/1") { fullName position
    documentsSigned(first: 3) { numberSymbol issuedDate signer { fullName official { id } } } } }`);
  expect(r.errors).toBeUndefined();
  const o = r.data.official;
  expect(o.position).toBe('Chủ tịch');
  expect(o.documentsSigned).toHaveLength(3);
  for (const d of o.documentsSigned) {
    expect(d.signer).toEqual({ fullName: o.fullName, official: { id: '000.00.94.H18/1' } });
  }
  const dates = o.documentsSigned.map((d: { issuedDate: string }) => d.issuedDate);
  expect([...dates].sort().reverse()).toEqual(dates);
});
