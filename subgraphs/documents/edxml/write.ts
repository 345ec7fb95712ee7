/**
 * Export: a document as an edXML document package, and an incoming document's processing as a
 * status message to its issuer. Pure functions of rows; the resolvers load the rows (batched).
 */
import { documentType } from '../numbering';
import type { AttachmentRow, DocumentRow, RecipientRow, TraceRow } from '../db/rows';
import { BUSINESS_DOC_TYPES, documentIdOf, priorityOf } from './format';
import type { StatusCode } from './format';
import { writeEdxml } from './xml';
import type { XmlOut } from './xml';

export interface ExportRows {
  document: DocumentRow;
  recipients: readonly RecipientRow[];
  attachments: readonly AttachmentRow[];
  traces: readonly TraceRow[];
  /** Names of the catalogue agencies involved (issuer, register holder), by code. */
  agencyNames: ReadonlyMap<string, string>;
  /** When this system passes the package on (the hop it adds to the trace header). */
  now: Date;
}

/** Số and ký hiệu of `125/QĐ-UBND`: `125`, `QĐ-UBND`. */
export const splitNumberSymbol = (numberSymbol: string): [string, string] => {
  const i = numberSymbol.indexOf('/');
  return [numberSymbol.slice(0, i), numberSymbol.slice(i + 1)];
};

/** The issuer's QCVN 102 code: the catalogue's, or the one a received package's DocumentId named. */
export const issuerOrganId = (d: DocumentRow): string | null =>
  d.issuerCode ?? d.exchangeDocumentId?.split(',')[0] ?? null;

/** The edXML DocumentId of a document; null when its issuer has no QCVN 102 code. */
export function edxmlDocumentId(d: DocumentRow): string | null {
  if (d.exchangeDocumentId) return d.exchangeDocumentId;
  return d.issuerCode ? documentIdOf(d.issuerCode, d.issuedDate, d.numberSymbol) : null;
}

/** The package for `document`; null when its issuer has no QCVN 102 code (it cannot be addressed). */
export function documentPackage(rows: ExportRows): string | null {
  const d = rows.document;
  const fromId = issuerOrganId(d);
  const documentId = edxmlDocumentId(d);
  if (!fromId || !documentId) return null;
  // Recipients outside the catalogue have no organ id: the exchange cannot address them.
  const to = rows.recipients.filter((r) => r.agencyCode);
  const addressed = to.length
    ? to.map((r) => ({ OrganId: r.agencyCode!, OrganName: r.name }))
    : [{ OrganId: d.agencyCode, OrganName: rows.agencyNames.get(d.agencyCode) ?? d.agencyCode }];
  const [number, notation] = splitNumberSymbol(d.numberSymbol);
  const type = documentType(d.typeCode);
  const header: { [name: string]: XmlOut } = {
    From: { OrganId: fromId, OrganName: d.issuerName },
    To: addressed,
    DocumentId: documentId,
    Code: { CodeNumber: number, CodeNotation: notation },
    PromulgationInfo: { Place: d.issuedPlace, PromulgationDate: d.issuedDate },
    DocumentType: { Type: type.code ?? '', TypeName: type.name },
    Subject: d.subject,
    SignerInfo: d.signerName
      ? { Competence: d.signerCompetence, Position: d.signerPosition, FullName: d.signerName }
      : null,
    DueDate: d.dueDate,
    OtherInfo: { Priority: priorityOf(d.urgency), PageAmount: d.pageCount, PromulgationAmount: d.copies },
    SteeringType: 0,
  };
  const hops = [
    ...rows.traces.map((t) => ({ OrganId: t.organId, Timestamp: new Date(t.at).toISOString() })),
    { OrganId: d.agencyCode, Timestamp: rows.now.toISOString() },
  ];
  return writeEdxml('edXMLEnvelope', {
    edXMLHeader: {
      MessageHeader: header,
      TraceHeaderList: { TraceHeader: hops },
      Bussiness: { BussinessDocType: BUSINESS_DOC_TYPES.NEW },
    },
    edXMLManifest: rows.attachments.length
      ? {
          Reference: rows.attachments.map((a) => ({
            AttachmentName: a.name,
            ContentType: a.contentType,
            Description: a.description,
          })),
        }
      : null,
    AttachmentEncoded: rows.attachments.length
      ? {
          Attachment: rows.attachments.map((a) => ({
            AttachmentName: a.name,
            ContentType: a.contentType,
            Value: a.contentBase64,
          })),
        }
      : null,
  });
}

/** The status code an incoming document's processing stands at. */
export function statusCodeOf(d: DocumentRow): StatusCode {
  switch (d.status) {
    case 'DA_PHAN_CONG':
      return '04';
    case 'DANG_XU_LY':
      return '05';
    case 'HOAN_THANH':
      return '06';
    default:
      return '03'; // DA_VAO_SO: registered, i.e. accepted
  }
}

/** The status message an incoming document's register holder sends its issuer; null for outgoing or unaddressable. */
export function statusPackage(
  d: DocumentRow,
  agencyNames: ReadonlyMap<string, string>,
  now: Date,
): string | null {
  const issuer = issuerOrganId(d);
  const documentId = edxmlDocumentId(d);
  if (d.direction !== 'INCOMING' || !issuer || !documentId) return null;
  const [number, notation] = splitNumberSymbol(d.numberSymbol);
  const code = statusCodeOf(d);
  return writeEdxml('Status', {
    Header: {
      From: { OrganId: d.agencyCode, OrganName: agencyNames.get(d.agencyCode) ?? d.agencyCode },
      To: { OrganId: issuer, OrganName: d.issuerName },
      ResponseFor: {
        OrganId: issuer,
        Code: `${number}/${notation}`,
        PromulgationDate: d.issuedDate,
        DocumentId: documentId,
      },
      StatusCode: code,
      Description: null,
      Timestamp: (code === '06' && d.completedAt ? new Date(d.completedAt) : now).toISOString(),
    },
  });
}
