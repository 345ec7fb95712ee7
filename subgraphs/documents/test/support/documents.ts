/**
 * What the documents data suite's parts share (data-suite.ts): the agencies they use, the issue
 * mutation, and the running suite (`DocumentsSuite`: the harness, opened before the tests, and how each
 * caller queries it).
 */
import type { GqlResult, Harness } from './harness';

export const BTL = '000.00.21.H26'; // Ủy ban nhân dân quận Bắc Từ Liêm
export const HANOI = '000.00.00.H26';
export const THUONG_CAT = '000.00.43.H26'; // Ủy ban nhân dân phường Thượng Cát, from 1 July 2025
export const BA_DINH = '000.00.01.H26'; // Ủy ban nhân dân quận Ba Đình (2008 – 30 June 2025)

export const ISSUE = `mutation Issue($input: IssueOutgoingDocumentInput!) {
  issueOutgoingDocument(input: $input) { id number numberSymbol exchangeId year: issuedDate docType { code name } recipients { name agency { code } } }
}`;
export const issueInput = (over: Record<string, unknown> = {}) => ({
  agencyCode: HANOI,
  typeCode: 'QĐ',
  subject: 'Quyết định về việc phê duyệt Kế hoạch chuyển đổi số năm 2026',
  issuedDate: '2026-03-02',
  // The chairperson of the issuing agency (official 1 of every agency in the directory, kit/synthetic/people.ts).
  signer: { officialId: `${String(over.agencyCode ?? HANOI)}/1`, position: 'Chủ tịch', competence: 'TM.' },
  electronic: true,
  digitallySigned: true,
  ...over,
});

export const DAY_MS = 86_400_000;
/** The Vietnamese date `days` days before now. */
export const daysAgo = (days: number): string =>
  new Date(Date.now() - days * DAY_MS + 7 * 3_600_000).toISOString().slice(0, 10);

export interface Found {
  id: string;
  subject: string;
  numberSymbol: string;
  issuer: { name: string } | null;
}
/** What search reads of a document (writes.ts `searchKeys`), as far as the API shows it. */
export const searchableText = (n: Found): string => `${n.numberSymbol} ${n.subject} ${n.issuer?.name ?? ''}`;

export interface DocumentsSuite {
  /** The harness, open from the suite's beforeAll on. */
  readonly h: Harness;
  /** Issues an outgoing document as an official of the issuing agency. */
  issue(v: { input: Record<string, unknown> }): Promise<GqlResult<Record<string, any>>>;
  /** Queries as an official of Bắc Từ Liêm, whose incoming register the tests fill. */
  asBtl(q: string, v: Record<string, unknown>): Promise<GqlResult<Record<string, any>>>;
  /** Every result of a search, in order (pages of 100). */
  searchAll(query: string): Promise<Found[]>;
}
