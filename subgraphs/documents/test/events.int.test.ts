/**
 * Domain events of the documents subgraph (kit/events, docs/events.md): issuing an outgoing document
 * writes one `DocumentPublished`; registering an incoming one — typed in, or from an edXML package —
 * one `DocumentReceived` for the receiving agency. A duplicate package (answered as the same
 * document) and a refused registration write none.
 */
import type { Database } from '../../../kit';
import { callers, createTestDatabase, lastOutboxSeq, outboxEvents } from '../../../kit/testing';
import { BTL, HANOI, ISSUE, issueInput, THUONG_CAT } from './support/documents';
import { openHarness } from './support/harness';
import type { Harness } from './support/harness';

let db: Database;
let h: Harness;
beforeAll(async () => {
  db = await createTestDatabase();
  h = await openHarness(db);
}, 180_000);
afterAll(async () => h?.close());

const RECEIVE = `mutation($a: ID!, $p: EdxmlPackage!) { receiveEdxml(agencyCode: $a, package: $p) { duplicate document { id numberSymbol } } }`;
const REGISTER = `mutation($i: RegisterIncomingDocumentInput!) { registerIncomingDocument(input: $i) { id numberSymbol arrivalNumber } }`;

test('publishing and receiving write one event each, for the agency whose register it is', async () => {
  const since = await lastOutboxSeq(db);
  const issued = await h.gql(
    ISSUE,
    { input: issueInput({ recipientCodes: [THUONG_CAT], recipientNames: ['Lưu: VT'] }) },
    callers.official(HANOI),
  );
  expect(issued.errors).toBeUndefined();
  const out = issued.data!.issueOutgoingDocument;
  const pkg = (await h.gql(`query($id: ID!) { document(id: $id) { edxml } }`, { id: out.id })).data!.document
    .edxml as string;
  const received = await h.gql(RECEIVE, { a: THUONG_CAT, p: pkg }, callers.official(THUONG_CAT));
  expect(received.errors).toBeUndefined();
  const again = await h.gql(RECEIVE, { a: THUONG_CAT, p: pkg }, callers.official(THUONG_CAT));
  expect(again.data!.receiveEdxml.duplicate).toBe(true);

  const events = await outboxEvents(db, since);
  expect(events.map((e) => e.type)).toEqual(['DocumentPublished', 'DocumentReceived']);
  expect(events[0]).toMatchObject({
    entity: { typename: 'Document', key: { id: out.id } },
    agencyCode: HANOI,
    agencyPath: [HANOI],
    citizenIds: [],
    data: {
      id: out.id,
      numberSymbol: out.numberSymbol,
      issuedDate: '2026-03-02',
      recipientAgencyCodes: [THUONG_CAT],
    },
  });
  const inId = received.data!.receiveEdxml.document.id as string;
  expect(events[1]).toMatchObject({
    entity: { typename: 'Document', key: { id: inId } },
    agencyCode: THUONG_CAT,
    agencyPath: [THUONG_CAT, HANOI],
    data: { id: inId, numberSymbol: out.numberSymbol, issuerCode: HANOI, via: 'EDXML' },
  });
});

test('a registration by hand writes one DocumentReceived; the same document again is CONFLICT and writes none', async () => {
  const since = await lastOutboxSeq(db);
  const input = {
    agencyCode: BTL,
    issuerCode: HANOI,
    numberSymbol: '912/QĐ-UBND',
    issuedDate: '2024-10-20',
    receivedAt: '2024-10-21T08:00:00+07:00',
    subject: 'Quyết định về việc giao chỉ tiêu kế hoạch',
    electronic: true,
  };
  const first = await h.gql(REGISTER, { i: input }, callers.official(BTL));
  expect(first.errors).toBeUndefined();
  const twice = await h.gql(REGISTER, { i: input }, callers.official(BTL));
  expect(twice.errors![0]!.extensions!.code).toBe('CONFLICT');
  const events = await outboxEvents(db, since);
  expect(events).toHaveLength(1);
  const doc = first.data!.registerIncomingDocument;
  expect(events[0]).toMatchObject({
    type: 'DocumentReceived',
    entity: { typename: 'Document', key: { id: doc.id } },
    agencyCode: BTL,
    data: {
      numberSymbol: '912/QĐ-UBND',
      receivedAt: '2024-10-21T01:00:00.000Z',
      arrivalNumber: doc.arrivalNumber,
      arrivalYear: 2024,
      via: 'REGISTER',
    },
  });
});
