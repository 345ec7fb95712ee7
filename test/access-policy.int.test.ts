/**
 * The access policy (docs/access-policy.md) through the real stack, on the paths the security test
 * found inconsistent (issue 14, finding 9): a published document's signature block is public but its
 * link into the directory of officials is not, whichever route reaches an official; the scorecard
 * aggregates answer an anonymous caller exactly what they answer a signed-in one. Behind the gateway
 * the subgraphs hold the same line (defence in depth). test/access-policy.unit.test.ts checks every
 * other route over the supergraph.
 */
import { ANONYMOUS } from '../common/identity';
import { callers } from '../kit/testing';
import { ANALYST, startFederatedStack } from './support/subgraphs';
import type { FederatedStack } from './support/subgraphs';

jest.setTimeout(120_000);

const DIEN_BIEN_PHU = '000.00.94.H18';
const BAC_TU_LIEM = '000.00.21.H26';

let stack: FederatedStack;
/** A published document of Điện Biên Phủ whose signer is in the directory, as an analyst sees it. */
let doc: { id: string; signer: { fullName: string; position: string; official: { id: string } } };

const refused = (body: { errors?: any[] }) =>
  (body.errors ?? []).map((e) => [e.extensions?.code, (e.path ?? []).join('.')]);

beforeAll(async () => {
  stack = await startFederatedStack({ scale: 0.05 });
  const r = await stack.gql(
    `query($a: ID!) { documents(first: 20, filter: { agencyCode: $a, direction: OUTGOING }) {
      nodes { id signer { fullName position official { id } } } } }`,
    { a: DIEN_BIEN_PHU },
    ANALYST,
  );
  expect(r.errors).toBeUndefined();
  doc = r.data.documents.nodes.find((d: typeof doc) => d.signer?.official);
  expect(doc.signer.official.id).toMatch(/^\d{3}\.\d{2}\.94\.H18\/[1-3]$/);
}, 180_000);

afterAll(async () => stack?.close());

const SIGNER = `query($id: ID!) { document(id: $id) { id signer { fullName position
  official { id fullName position agency { code } mailbox { address } documentsSigned(first: 1) { id } } } } }`;

test('regression: an anonymous caller reads the signature block of a published document, not the staff directory behind it', async () => {
  const mail = stack.subgraphs.get('mail')!;
  const before = mail.db.roundTrips;
  const r = await stack.gql(SIGNER, { id: doc.id });
  expect(r.data).toEqual({
    document: {
      id: doc.id,
      signer: { fullName: doc.signer.fullName, position: doc.signer.position, official: null },
    },
  });
  expect(refused(r)).toEqual([['UNAUTHORIZED_FIELD_OR_TYPE', 'document.signer.official']]);
  expect(mail.db.roundTrips).toBe(before); // the directory was not even asked
  // Signed in (any role), the same route reaches the directory: the official is the signer (a
  // mailbox needs mail:read, which a citizen has not).
  const citizen = await stack.gql(SIGNER, { id: doc.id }, callers.citizen('001085012345'));
  expect(refused(citizen)).toEqual([['UNAUTHORIZED_FIELD_OR_TYPE', 'document.signer.official.mailbox']]);
  expect(citizen.data.document.signer.official).toMatchObject({
    id: doc.signer.official.id,
    fullName: doc.signer.fullName,
    position: doc.signer.position,
    agency: { code: doc.signer.official.id.split('/')[0] },
    mailbox: null,
  });
});

test('the directory of officials is refused to anonymous callers on every route that reaches it', async () => {
  const id = doc.signer.official.id;
  const routes = [
    [`{ official(id: "${id}") { fullName } }`, 'official'],
    [`{ officials(agencyCode: "${DIEN_BIEN_PHU}") { nodes { fullName } } }`, 'officials'],
    [`{ agency(code: "${DIEN_BIEN_PHU}") { name officials { nodes { fullName } } } }`, 'agency.officials'],
    [
      `{ searchDocuments(query: "${doc.signer.fullName}", first: 5) { nodes { signer { official { id } } } } }`,
      'searchDocuments.nodes.signer.official',
    ],
  ] as const;
  for (const [query, path] of routes) {
    const r = await stack.gql(query);
    expect([query, refused(r)]).toEqual([query, [['UNAUTHORIZED_FIELD_OR_TYPE', path]]]);
  }
});

test('behind the gateway, the subgraphs refuse the directory to the public too (defence in depth)', async () => {
  const mail = stack.subgraphs.get('mail')!;
  const documents = stack.subgraphs.get('documents')!;
  const id = doc.signer.official.id;
  const direct = await mail.gql(`{ official(id: "${id}") { fullName } }`, {}, ANONYMOUS);
  expect((direct.errors ?? []).map((e: any) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
  const entity = await mail.gql(
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on Official { fullName } } }`,
    { r: [{ __typename: 'Official', id }] },
    ANONYMOUS,
  );
  expect([entity.data ?? null, (entity.errors ?? []).map((e: any) => e.extensions.code)]).toEqual([
    null,
    ['UNAUTHENTICATED'],
  ]);
  const signedIn = await mail.gql(
    `{ official(id: "${id}") { fullName } }`,
    {},
    callers.citizen('001085012345'),
  );
  expect(signedIn).toEqual({ data: { official: { fullName: doc.signer.fullName } } });
  // The documents subgraph gives the public the signature block without the directory link…
  const signer = await documents.gql(
    `query($id: ID!) { document(id: $id) { signer { fullName official { id } } } }`,
    { id: doc.id },
    ANONYMOUS,
  );
  expect(signer).toEqual({
    data: { document: { signer: { fullName: doc.signer.fullName, official: null } } },
  });
  // …and no official's list of signed documents.
  const signed = await documents.gql(
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on Official { documentsSigned(first: 1) { id } } } }`,
    { r: [{ __typename: 'Official', id }] },
    ANONYMOUS,
  );
  expect((signed.errors ?? []).map((e: any) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
});

test('regression: every scorecard aggregate answers an anonymous caller, with the figures a signed-in caller gets', async () => {
  const query = `query($a: ID!) { agency(code: $a) { name
    documentStats(period: { from: "2014-01-01", to: "2014-12-31" }, includeSubordinates: true) { outgoingTotal electronicRatio }
    dossierStats(period: { from: "2014-01-01", to: "2014-12-31" }, includeSubordinates: true) { received onTimeRatio onlineRatio }
    mailStats(period: { from: "2014-01-01", to: "2014-12-31" }, includeSubordinates: true) { officials mailboxCoverage }
    landStats(period: { from: "2020-01-01", to: "2020-12-31" }, includeSubordinates: true) { parcelCount digitisedRatio }
    budget(year: 2024) { executionRate execution { value rank rankOf } }
    unit(asOf: "2020-12-31") { children(asOf: "2020-12-31") { landStats(asOf: "2020-12-31") { parcelCount } } } } }`;
  const anonymous = await stack.gql(query, { a: BAC_TU_LIEM });
  expect(anonymous.errors).toBeUndefined();
  const signedIn = await stack.gql(query, { a: BAC_TU_LIEM }, ANALYST);
  expect(signedIn.errors).toBeUndefined();
  expect(anonymous.data).toEqual(signedIn.data);
  // The published figure (docs/scorecard.md): Bắc Từ Liêm 2014, every official has an official mailbox.
  expect(anonymous.data.agency.mailStats.mailboxCoverage).toBe(1);
  expect(anonymous.data.agency.unit.children).toHaveLength(13);
});

test('land parcels stay reserved however they are listed (the list fields as well as the type)', async () => {
  const r =
    await stack.gql(`{ landParcels(commune: "00598", first: 1) { edges { cursor } pageInfo { endCursor } }
    landParcelsInBox(minX: 105, minY: 20, maxX: 106, maxY: 22, first: 1) { pageInfo { hasNextPage } } }`);
  expect(r.data).toBeNull(); // both are non-null: the refusal nulls the answer
  expect(refused(r)).toEqual([
    ['UNAUTHORIZED_FIELD_OR_TYPE', 'landParcels'],
    ['UNAUTHORIZED_FIELD_OR_TYPE', 'landParcelsInBox'],
  ]);
  // Behind the gateway the land subgraph no longer serves its public view of parcels either.
  const land = stack.subgraphs.get('land')!;
  for (const query of [
    '{ landParcel(id: "00598/1/1") { id } }',
    '{ landParcelByIdentity(originalCommuneCode: "00598", sheet: 1, parcel: 1) { id } }',
    '{ landParcels(commune: "00598", first: 1) { pageInfo { endCursor } } }',
    '{ landParcelsInBox(minX: 105, minY: 20, maxX: 106, maxY: 22, first: 1) { pageInfo { endCursor } } }',
    '{ _entities(representations: [{ __typename: "LandParcel", id: "00598/1/1" }]) { ... on LandParcel { id } } }',
  ]) {
    const direct = await land.gql(query, {}, ANONYMOUS);
    expect([query, (direct.errors ?? []).map((e: any) => e.extensions.code)]).toEqual([
      query,
      ['UNAUTHENTICATED'],
    ]);
  }
  const official = await land.gql(
    '{ landParcel(id: "00598/1/1") { id } }',
    {},
    callers.official(BAC_TU_LIEM),
  );
  expect(official).toEqual({ data: { landParcel: { id: '00598/1/1' } } });
});
