/**
 * edXML (QCVN 102:2016/BTTTT, amended by Circular 01/2022): the envelope the national document
 * exchange carries between document-management systems. What govgraph reads and writes of it, as
 * plain data (no XML here): the message header, the trace header, the business type, the manifest
 * and the attachments; and the status message a receiver sends back. Element names and the status
 * codes: docs/interop.md.
 */
import type { Urgency } from '../generated/graphql';

export const EDXML_NS = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';
/** The prefix govgraph writes; a package may use any prefix bound to EDXML_NS, or none. */
export const EDXML_PREFIX = 'edXML';

/** The largest package accepted (characters of XML, attachments included); the HTTP body limit is 1 MiB. */
export const MAX_PACKAGE_CHARS = 900_000;
/** The largest total of decoded attachment bytes in one package. */
export const MAX_ATTACHMENT_BYTES = 600_000;
export const MAX_ATTACHMENTS = 20;
export const MAX_RECIPIENTS = 500;
export const MAX_TRACE_HOPS = 50;

export interface Organ {
  organId: string;
  organName: string;
}

export interface EdxmlAttachment {
  name: string;
  contentType: string;
  description: string | null;
  /** The bytes, base64 (as carried). */
  base64: string;
  byteSize: number;
}

export interface TraceHop {
  organId: string;
  /** ISO 8601 instant. */
  at: string;
}

/** BussinessDocType: 0 a new document; 1 revocation, 2 update, 3 replacement of an earlier one. */
export const BUSINESS_DOC_TYPES = { NEW: '0', REVOCATION: '1', UPDATE: '2', REPLACEMENT: '3' } as const;

/** One document as an edXML message (the envelope's content, decoded and checked). */
export interface EdxmlDocument {
  from: Organ;
  to: Organ[];
  /** `{issuer code},{yyyy/MM/dd},{number/symbol}` */
  documentId: string;
  /** Số — CodeNumber; ký hiệu — CodeNotation (everything after the first `/`, e.g. `QĐ-UBND`, `2024/QĐ-UBND`). */
  codeNumber: number;
  codeNotation: string;
  promulgationPlace: string | null;
  /** yyyy-MM-dd */
  promulgationDate: string;
  /** Decree 30 type abbreviation (null: công văn) and its name. */
  typeCode: string | null;
  typeName: string;
  subject: string;
  signer: { competence: string | null; position: string | null; fullName: string } | null;
  dueDate: string | null;
  urgency: Urgency | null;
  pageAmount: number | null;
  promulgationAmount: number | null;
  steeringType: number;
  businessDocType: string;
  traces: TraceHop[];
  attachments: EdxmlAttachment[];
}

/** edXML Priority ↔ Decree 30 urgency (độ khẩn). */
export const PRIORITY: Readonly<Record<string, Urgency | null>> = {
  '0': null,
  '1': 'KHAN',
  '2': 'THUONG_KHAN',
  '3': 'HOA_TOC',
  '4': 'HOA_TOC_HEN_GIO',
};
export const priorityOf = (u: Urgency | null): string =>
  Object.keys(PRIORITY).find((k) => PRIORITY[k] === u) ?? '0';

/** The DocumentId of a document: `{issuer code},{yyyy/MM/dd},{number/symbol}`. */
export const documentIdOf = (issuerCode: string, issuedDate: string, numberSymbol: string): string =>
  `${issuerCode},${issuedDate.replace(/-/g, '/')},${numberSymbol}`;

/** Status message codes (QCVN 102) govgraph reads and writes, and the recipient state each means. */
export const STATUS_CODES = {
  '01': 'DA_DEN',
  '02': 'TU_CHOI',
  '03': 'DA_TIEP_NHAN',
  '04': 'DA_PHAN_CONG',
  '05': 'DANG_XU_LY',
  '06': 'HOAN_THANH',
} as const;
export type StatusCode = keyof typeof STATUS_CODES;
export type ExchangeState = (typeof STATUS_CODES)[StatusCode];

/** A status message: `from` (the receiver) tells `to` (the issuer) where document `documentId` stands. */
export interface EdxmlStatus {
  from: Organ;
  to: Organ;
  documentId: string;
  codeNumber: number;
  codeNotation: string;
  promulgationDate: string;
  statusCode: StatusCode;
  description: string | null;
  /** ISO 8601 instant. */
  timestamp: string;
  /** StaffInfo: department and staff name only (mobile and e-mail are personal data, never kept or sent). */
  department: string | null;
  staff: string | null;
}

/** A package that fails a check: the element (path under the envelope) and why. */
export interface EdxmlProblem {
  element: string;
  message: string;
}
