/**
 * The documents subgraph's own tables, each declared once (kit/runtime/table.ts): the select lists, the
 * inserts and the row types (db/rows.ts) all come from here. The catalogue's tables are the kit's.
 */
import { bigint, boolean, date, int, table, text, timestamptz } from '../../../kit';
import type {
  AssignmentRole,
  AssignmentState,
  DocumentDirection,
  DocumentStatus,
  ExchangeStatus,
  Urgency,
} from '../generated/graphql';

/** How each catalogue agency numbers what it issues. */
export const agencyNumbering = table('agency_numbering', {
  agencyCode: text(),
  /** Organ part of document symbols, e.g. UBND in 45/UBND-KT. */
  organSymbol: text(),
  /** SHARED: one yearly sequence for every type; PER_TYPE: one per type. */
  numberingPolicy: text<'SHARED' | 'PER_TYPE'>().generated(),
});

/** Văn bản đến/đi. Read through the `public_documents` view only: secret documents never leave the database. */
export const documents = table('documents', {
  id: bigint().generated(),
  direction: text<DocumentDirection>(),
  /** Register holder: issuer (outgoing) / receiver (incoming). */
  agencyCode: text(),
  issuerCode: text().nullable(),
  issuerName: text(),
  number: int(),
  numberYear: int().nullable(),
  /** NULL = công văn. */
  typeCode: text().nullable(),
  organSymbol: text(),
  unitSymbol: text().nullable(),
  numberSymbol: text(),
  /** Year of issue: numbers restart on 1 January. */
  year: int(),
  subject: text(),
  issuedDate: date(),
  issuedPlace: text().nullable(),
  signerOfficialId: text().nullable(),
  signerName: text().nullable(),
  signerPosition: text().nullable(),
  signerCompetence: text().nullable(),
  urgency: text<Urgency>().nullable(),
  /** THUONG unless given; every read filters on it (public_documents), so it is never selected. */
  secrecy: text<'THUONG' | 'MAT' | 'TOI_MAT' | 'TUYET_MAT'>().generated().writeOnly(),
  electronic: boolean(),
  digitallySigned: boolean(),
  registerBook: text().nullable(),
  pageCount: int().nullable(),
  copies: int().nullable(),
  arrivalNumber: int().nullable(),
  /** Register year of the arrival number. */
  arrivalYear: int().nullable(),
  receivedAt: timestamptz().nullable(),
  dueDate: date().nullable(),
  status: text<DocumentStatus>(),
  completedAt: timestamptz().nullable(),
  /** Accent-folded number/symbol + subject, for search. */
  searchKey: text().writeOnly(),
  /** NFC, lower case, canonical tone placement, for exact-accent search. */
  exactKey: text().writeOnly(),
  /** The edXML DocumentId a received package carried (docs/interop.md); null otherwise. */
  exchangeDocumentId: text().nullable(),
});

export const documentRecipients = table('document_recipients', {
  documentId: bigint(),
  position: int(),
  agencyCode: text().nullable(),
  name: text(),
  /** The last edXML status this recipient reported back (an outgoing document's recipients). */
  exchangeStatus: text<ExchangeStatus>().nullable(),
  exchangeStatusAt: timestamptz().nullable(),
});

/** Tệp đính kèm — an attachment as an edXML package carried it. */
export const documentAttachments = table('document_attachments', {
  documentId: bigint(),
  position: int(),
  name: text(),
  contentType: text(),
  description: text().nullable(),
  contentBase64: text(),
  byteSize: int(),
});

/** One hop of a received package's trace header (TraceHeaderList), in order. */
export const documentTraces = table('document_traces', {
  documentId: bigint(),
  position: int(),
  organId: text(),
  at: timestamptz(),
});

export const processingAssignments = table('processing_assignments', {
  id: bigint().generated(),
  documentId: bigint(),
  assigneeOfficialId: text().nullable(),
  assigneeName: text(),
  role: text<AssignmentRole>(),
  state: text<AssignmentState>(),
  /** now() unless given. */
  assignedAt: timestamptz().generated(),
  dueDate: date().nullable(),
  completedAt: timestamptz().nullable(),
  note: text().nullable(),
});
