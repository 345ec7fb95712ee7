/**
 * edXML through the documents subgraph (docs/interop.md): every seeded document type goes out as a
 * package and comes back in at a recipient without losing a header field; a package twice is one
 * document; attachments and the trace come back byte for byte; hostile packages are refused with the
 * element named and store nothing; a status message lands on the issuer's recipient row.
 */
import type { Database } from '../../../kit';
import { callers, createTestDatabase } from '../../../kit/testing';
import { readDocumentPackage } from '../edxml/read';
import type { EdxmlDocument } from '../edxml/format';
import { documentPackage } from './support/edxmlPackages';
import { openHarness } from './support/harness';
import type { Harness } from './support/harness';

let db: Database;
let h: Harness;
beforeAll(async () => {
  db = await createTestDatabase();
  h = await openHarness(db);
}, 180_000);
afterAll(async () => h?.close()); // closes the database too

const RECEIVE = `mutation($a: ID!, $p: EdxmlPackage!) { receiveEdxml(agencyCode: $a, package: $p) {
  duplicate document { id direction exchangeId numberSymbol edxml edxmlStatus
    attachments { name contentType description byteSize contentBase64 }
    exchangeTrace { organId agency { code } at } } } }`;
const EXPORT = `query($id: ID!) { document(id: $id) { edxml } }`;

/**
 * One outgoing document of each seeded type with a catalogue recipient that exists today (and an
 * issuer that does, when asked). The seed registers many copies by hand at their recipients; such a
 * copy is removed first (`unregister`), or the package would meet it and answer CONFLICT.
 */
async function onePerType(
  liveIssuer = false,
): Promise<{ id: number; typeCode: string | null; issuer: string; recipient: string }[]> {
  return db.query(
    `SELECT DISTINCT ON (coalesce(d.type_code, '')) d.id::int AS id, d.type_code AS "typeCode",
            d.agency_code AS issuer, r.agency_code AS recipient
     FROM documents d
     JOIN document_recipients r ON r.document_id = d.id
     JOIN agencies ra ON ra.code = r.agency_code AND ra.valid_to IS NULL
     JOIN agencies ia ON ia.code = d.agency_code AND (ia.valid_to IS NULL OR NOT $1)
     WHERE d.direction = 'OUTGOING' AND d.secrecy = 'THUONG' AND r.agency_code <> d.agency_code
     ORDER BY coalesce(d.type_code, ''), d.id`,
    [liveIssuer],
  );
}

async function unregister(d: { issuer: string; recipient: string; id: number }): Promise<void> {
  await db.query(
    `DELETE FROM documents i USING documents d WHERE d.id = $1 AND i.direction = 'INCOMING'
     AND i.agency_code = $2 AND i.issuer_code = d.agency_code AND i.year = d.year AND i.number_symbol = d.number_symbol`,
    [d.id, d.recipient],
  );
}

/** A package as data with the hop the exporting system adds dropped (it is the only thing that may differ). */
const withoutLastHop = (p: EdxmlDocument, drop: boolean) => ({
  ...p,
  traces: drop ? p.traces.slice(0, -1) : p.traces,
});

async function countIncoming(agency: string): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM documents WHERE direction = 'INCOMING' AND agency_code = $1`,
    [agency],
  );
  return row!.n;
}

test('every seeded document type goes out and comes back in with every header field; twice is once', async () => {
  const docs = await onePerType();
  const seededTypes = await db.query<{ t: string }>(
    `SELECT DISTINCT coalesce(type_code, '') AS t FROM documents WHERE direction = 'OUTGOING' ORDER BY 1`,
  );
  expect(docs.map((d) => d.typeCode ?? '')).toEqual(seededTypes.map((r) => r.t));
  for (const d of docs) {
    const out = await h.gql(EXPORT, { id: String(d.id) });
    expect(out.errors).toBeUndefined();
    const pkg = out.data!.document.edxml as string;
    await unregister(d);
    const before = await countIncoming(d.recipient);
    const asRecipient = callers.official(d.recipient);
    const first = await h.gql(RECEIVE, { a: d.recipient, p: pkg }, asRecipient);
    expect(first.errors).toBeUndefined();
    const received = first.data!.receiveEdxml;
    expect(received.duplicate).toBe(false);
    expect(received.document.direction).toBe('INCOMING');
    const sent = readDocumentPackage(pkg);
    expect(received.document.exchangeId).toBe(sent.documentId);
    // Lossless: the received document exports the same package, plus the receiver's own hop.
    const back = readDocumentPackage(received.document.edxml);
    expect(withoutLastHop(back, true)).toEqual(withoutLastHop(sent, false));
    expect(back.traces.at(-1)!.organId).toBe(d.recipient);
    // The same package again: the same document, nothing new registered.
    const again = await h.gql(RECEIVE, { a: d.recipient, p: pkg }, asRecipient);
    expect(again.data!.receiveEdxml).toMatchObject({
      duplicate: true,
      document: { id: received.document.id },
    });
    expect(await countIncoming(d.recipient)).toBe(before + 1);
  }
}, 120_000);

test('attachments and the trace header are kept as sent and exported byte for byte', async () => {
  const receiver = '000.00.00.H26'; // Hà Nội, in the catalogue and in existence today
  const pdf = Buffer.from('%PDF-1.4 quyết định số 12\n').toString('base64');
  const pkg = documentPackage({
    fromId: '000.00.00.G22',
    fromName: 'Văn phòng Chính phủ',
    number: 7816,
    notation: 'VPCP-TTĐT',
    type: '',
    date: '2018-09-20',
    to: [{ id: receiver, name: 'Ủy ban nhân dân thành phố Hà Nội' }],
    attachments: [
      { name: 'cv7816.pdf', type: 'application/pdf', base64: pdf, description: 'Công văn' },
      { name: 'phu-luc.txt', type: 'text/plain', base64: Buffer.from('Phụ lục').toString('base64') },
    ],
    traces: [
      { id: '000.00.00.G22', at: '2018-09-20T08:00:00+07:00' },
      { id: '000.00.00.H41', at: '2018-09-20T08:05:00+07:00' },
    ],
  });
  const r = await h.gql(RECEIVE, { a: receiver, p: pkg }, callers.official(receiver));
  expect(r.errors).toBeUndefined();
  const doc = r.data!.receiveEdxml.document;
  expect(doc.numberSymbol).toBe('7816/VPCP-TTĐT');
  expect(doc.attachments).toEqual([
    {
      name: 'cv7816.pdf',
      contentType: 'application/pdf',
      description: 'Công văn',
      byteSize: Buffer.byteLength('%PDF-1.4 quyết định số 12\n'),
      contentBase64: pdf,
    },
    {
      name: 'phu-luc.txt',
      contentType: 'text/plain',
      description: null,
      byteSize: Buffer.byteLength('Phụ lục'),
      contentBase64: Buffer.from('Phụ lục').toString('base64'),
    },
  ]);
  expect(doc.exchangeTrace).toEqual([
    { organId: '000.00.00.G22', agency: { code: '000.00.00.G22' }, at: '2018-09-20T01:00:00.000Z' },
    { organId: '000.00.00.H41', agency: null, at: '2018-09-20T01:05:00.000Z' }, // not in the catalogue
  ]);
  const back = readDocumentPackage(doc.edxml);
  expect(back.attachments.map((a) => Buffer.from(a.base64, 'base64').toString())).toEqual([
    '%PDF-1.4 quyết định số 12\n',
    'Phụ lục',
  ]);
  expect(back.from).toEqual({ organId: '000.00.00.G22', organName: 'Văn phòng Chính phủ' });
});

test('hostile or misaddressed packages are refused with the element named, and nothing is stored', async () => {
  const receiver = '000.00.00.H26';
  const as = callers.official(receiver);
  const before = await countIncoming(receiver);
  const laughs =
    '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>';
  const cases: [string, string][] = [
    [documentPackage({ prolog: laughs, subject: '&b;', number: 901 }), 'DOCTYPE'],
    [documentPackage({ ns: 'urn:not-edxml', number: 902 }), 'edXMLEnvelope'],
    [
      documentPackage({ number: 903, to: [{ id: '000.00.00.H41', name: 'Nghệ An' }] }),
      'edXMLHeader/MessageHeader/To',
    ],
    [
      documentPackage({ number: 904, date: '2099-01-01' }),
      'edXMLHeader/MessageHeader/PromulgationInfo/PromulgationDate',
    ],
    [
      documentPackage({
        number: 905,
        attachments: [{ name: 'x', type: 'a/b', base64: Buffer.alloc(610_000).toString('base64') }],
      }),
      'AttachmentEncoded/Attachment[1]/Value',
    ],
  ];
  for (const [pkg, element] of cases) {
    const r = await h.gql(RECEIVE, { a: receiver, p: pkg }, as);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'package', element });
    expect(JSON.stringify(r.errors)).not.toMatch(/at .*\.ts:\d+/);
  }
  // Past the scalar's cap: refused before any parsing, naming the argument.
  const huge = await h.gql(RECEIVE, { a: receiver, p: 'x'.repeat(900_001) }, as);
  expect(huge.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  // An official of another agency cannot receive into this register.
  const other = await h.gql(
    RECEIVE,
    { a: receiver, p: documentPackage({ number: 906 }) },
    callers.official('000.00.00.H41'),
  );
  expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect(await countIncoming(receiver)).toBe(before);
});

test('a status message from a recipient lands on the issuer’s recipient row; an older one changes nothing', async () => {
  const [d] = await onePerType(true);
  await unregister(d!);
  const out = await h.gql(EXPORT, { id: String(d!.id) });
  const received = await h.gql(
    RECEIVE,
    { a: d!.recipient, p: out.data!.document.edxml },
    callers.official(d!.recipient),
  );
  const status = received.data!.receiveEdxml.document.edxmlStatus as string;
  expect(status).toContain('<edXML:StatusCode>03</edXML:StatusCode>');
  const STATUS = `mutation($a: ID!, $p: EdxmlPackage!) { receiveEdxmlStatus(agencyCode: $a, package: $p) {
    id recipients { agency { code } exchangeStatus exchangeStatusAt } } }`;
  const asIssuer = callers.official(d!.issuer);
  const r = await h.gql(STATUS, { a: d!.issuer, p: status }, asIssuer);
  expect(r.errors).toBeUndefined();
  const row = r.data!.receiveEdxmlStatus.recipients.find(
    (x: { agency: { code: string } | null }) => x.agency?.code === d!.recipient,
  );
  expect(row.exchangeStatus).toBe('DA_TIEP_NHAN');
  const older = status
    .replace('<edXML:StatusCode>03</edXML:StatusCode>', '<edXML:StatusCode>02</edXML:StatusCode>')
    .replace(
      /<edXML:Timestamp>[^<]+<\/edXML:Timestamp>/,
      '<edXML:Timestamp>2000-01-01T00:00:00Z</edXML:Timestamp>',
    );
  const r2 = await h.gql(STATUS, { a: d!.issuer, p: older }, asIssuer);
  const row2 = r2.data!.receiveEdxmlStatus.recipients.find(
    (x: { agency: { code: string } | null }) => x.agency?.code === d!.recipient,
  );
  expect(row2.exchangeStatus).toBe('DA_TIEP_NHAN');
  // Addressed to someone else: refused naming Header/To.
  const wrong = await h.gql(STATUS, { a: d!.recipient, p: status }, callers.official(d!.recipient));
  expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', element: 'Header/To' });
});
