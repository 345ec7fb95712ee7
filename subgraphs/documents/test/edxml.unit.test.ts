/**
 * The edXML reader's gates and checks, without a database: hostile packages (entity expansion,
 * external entities, wrong namespace, oversized attachments, malformed XML) are refused with the
 * element named; a valid package reads back every header field; what the writer writes, the reader reads.
 */
import { readDocumentPackage } from '../edxml/read';
import { readStatusPackage } from '../edxml/status';
import { EdxmlRefused } from '../edxml/xml';
import { documentPackage, statusMessage } from './support/edxmlPackages';

function problems(xml: string): { element: string; message: string }[] {
  try {
    readDocumentPackage(xml);
  } catch (err) {
    if (err instanceof EdxmlRefused) return err.problems;
    throw err;
  }
  throw new Error('the package was accepted');
}

test('a valid package reads back every header field, entities decoded', () => {
  const pkg = readDocumentPackage(
    documentPackage({ attachments: [{ name: 'qd.pdf', type: 'application/pdf', base64: 'JVBERi0xLjQK' }] }),
  );
  expect(pkg).toEqual({
    from: { organId: '000.00.00.H26', organName: 'Ủy ban nhân dân thành phố Hà Nội' },
    to: [{ organId: '000.00.00.H26', organName: 'Ủy ban nhân dân thành phố Hà Nội' }],
    documentId: '000.00.00.H26,2024/12/20,77/QĐ-UBND',
    codeNumber: 77,
    codeNotation: 'QĐ-UBND',
    promulgationPlace: 'Hà Nội',
    promulgationDate: '2024-12-20',
    typeCode: 'QĐ',
    typeName: 'Quyết định',
    subject: 'Quyết định về việc giao dự toán ngân sách năm 2025 & kế hoạch',
    signer: { competence: 'TM.', position: 'Chủ tịch', fullName: 'Trần Sỹ Thanh' },
    dueDate: null,
    urgency: 'KHAN',
    pageAmount: 3,
    promulgationAmount: null,
    steeringType: 0,
    businessDocType: '0',
    traces: [{ organId: '000.00.00.H26', at: '2024-12-20T02:00:00.000Z' }],
    attachments: [
      {
        name: 'qd.pdf',
        contentType: 'application/pdf',
        description: null,
        base64: 'JVBERi0xLjQK',
        byteSize: 9,
      },
    ],
  });
});

test('billion laughs and external entities are refused at the DOCTYPE, before any expansion', () => {
  const laughs =
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>';
  expect(problems(documentPackage({ prolog: laughs, subject: '&lol3;' }))).toEqual([
    { element: 'DOCTYPE', message: expect.stringContaining('not allowed') },
  ]);
  const xxe = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>';
  expect(problems(documentPackage({ prolog: xxe, subject: '&xxe;' }))[0]!.element).toBe('DOCTYPE');
});

test('wrong namespace, foreign elements and malformed XML name the element', () => {
  expect(problems(documentPackage({ ns: 'http://example.com/not-edxml' }))).toEqual([
    { element: 'edXMLEnvelope', message: expect.stringContaining('not in the edXML namespace') },
  ]);
  expect(problems(documentPackage({ extraHeader: '<x:Evil xmlns:x="urn:x">1</x:Evil>' }))[0]!.element).toBe(
    'edXMLEnvelope/edXMLHeader/MessageHeader/x:Evil',
  );
  expect(problems(documentPackage().replace('</edXML:Subject>', ''))[0]).toEqual({
    element: 'edXMLEnvelope',
    message: expect.stringContaining('not well-formed XML'),
  });
});

test('every field problem is listed with its element', () => {
  const found = problems(
    documentPackage({
      fromId: '000.00.00.XX',
      notation: 'QĐ UBND',
      date: '2024-02-30',
      type: 'TB',
      documentId: 'something else',
      business: '3',
      traces: [{ id: '000.00.00.H26', at: 'yesterday' }],
    }),
  );
  expect(found.map((p) => p.element)).toEqual([
    'edXMLHeader/MessageHeader/From/OrganId',
    'edXMLHeader/MessageHeader/Code',
    'edXMLHeader/MessageHeader/PromulgationInfo/PromulgationDate',
    'edXMLHeader/Bussiness/BussinessDocType',
    'edXMLHeader/TraceHeaderList/TraceHeader[1]/Timestamp',
  ]);
  expect(problems(documentPackage({ type: 'TB' }))).toEqual([
    {
      element: 'edXMLHeader/MessageHeader/DocumentType/Type',
      message: expect.stringContaining('does not match'),
    },
  ]);
  expect(problems(documentPackage({ documentId: '000.00.00.H26,2024/12/21,77/QĐ-UBND' }))[0]!.element).toBe(
    'edXMLHeader/MessageHeader/DocumentId',
  );
});

test('attachments: too large, not base64, or not in the manifest', () => {
  const big = Buffer.alloc(650_000, 7).toString('base64');
  expect(
    problems(
      documentPackage({ attachments: [{ name: 'big.bin', type: 'application/octet-stream', base64: big }] }),
    ),
  ).toEqual([
    { element: 'AttachmentEncoded/Attachment[1]/Value', message: expect.stringContaining('600,000 bytes') },
  ]);
  const huge = 'A'.repeat(1_000_000);
  expect(problems(documentPackage({ attachments: [{ name: 'h', type: 'x/y', base64: huge }] }))[0]).toEqual({
    element: 'edXMLEnvelope',
    message: expect.stringContaining('at most 900,000'),
  });
  expect(
    problems(
      documentPackage({ attachments: [{ name: 'a.pdf', type: 'application/pdf', base64: 'not base64!' }] }),
    )[0]!.element,
  ).toBe('AttachmentEncoded/Attachment[1]/Value');
  const unlisted = documentPackage({
    attachments: [{ name: 'a.pdf', type: 'application/pdf', base64: 'AAAA' }],
  }).replace(/<edXML:edXMLManifest>.*<\/edXML:edXMLManifest>/s, '');
  expect(problems(unlisted)[0]).toEqual({
    element: 'edXMLManifest',
    message: expect.stringContaining('lists 0'),
  });
});

test('a status message reads back, dropping the staff mobile and e-mail', () => {
  const status = readStatusPackage(
    statusMessage({
      fromId: '000.00.00.H26',
      toId: '000.00.00.H41',
      numberSymbol: '5/TB-UBND',
      date: '2024-05-02',
      code: '05',
      at: '2024-05-03T10:00:00+07:00',
    }),
  );
  expect(status).toEqual({
    from: { organId: '000.00.00.H26', organName: 'Nơi nhận' },
    to: { organId: '000.00.00.H41', organName: 'Nơi gửi' },
    documentId: '000.00.00.H41,2024/05/02,5/TB-UBND',
    codeNumber: 5,
    codeNotation: 'TB-UBND',
    promulgationDate: '2024-05-02',
    statusCode: '05',
    description: null,
    timestamp: '2024-05-03T03:00:00.000Z',
    department: 'Văn phòng',
    staff: 'Nguyễn Văn A',
  });
  expect(JSON.stringify(status)).not.toMatch(/0912345678|example\.vn/);
  expect(() =>
    readStatusPackage(
      statusMessage({
        fromId: '000.00.00.H26',
        toId: '000.00.00.H41',
        numberSymbol: '5/TB-UBND',
        date: '2024-05-02',
        code: '13',
        at: '2024-05-03T10:00:00+07:00',
      }),
    ),
  ).toThrow(/Header\/StatusCode/);
});
