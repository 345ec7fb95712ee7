/** Parent shapes of the mail subgraph's resolvers that are not table rows. */
import type { Connection, KpiParts, KpiSource } from '../../../kit';
import type { OfficialRow } from './tables';

/** An agency as this subgraph knows it: by key only (the documents subgraph owns its fields). */
export interface AgencyRef {
  code: string;
}

/** A document cited by an attachment, as the documents system numbers it. */
export interface CitationValue {
  agencyCode: string;
  year: number;
  numberSymbol: string;
}

/** A page of officials with the count of every match (run only when asked for). */
export interface OfficialConnectionValue extends Connection<OfficialRow> {
  totalCount: () => Promise<number>;
}

/** One agency's e-mail figures on the last day of a period (db/stats.ts). */
export interface MailStatsRow {
  agencyCode: string;
  from: string;
  to: string;
  activeWithinDays: number;
  officials: number;
  mailboxesIssued: number;
  activeMailboxes: number;
  officialsWithMailbox: number;
  regularlyUsed: number;
  messagesSent: number;
  mailboxCoverage: number | null;
  regularUseRatio: number | null;
}

/** E-mail figures with their scorecard KPIs (previous period, rank among siblings) through the stats loader. */
export interface MailStatsValue extends MailStatsRow {
  kpi: (measure: (r: MailStatsRow) => KpiParts) => KpiSource;
}
