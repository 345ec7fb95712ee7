/** The mail subgraph's tables, each declared once (kit/runtime/table.ts): select lists, bulk inserts and row types. */
import { bigint, int, table, text, date, timestamptz } from '../../../kit';
import type { RowOf } from '../../../kit';
import type { EmploymentType, MailboxStatus, RecipientKind } from '../generated/graphql';

export const officials = table('officials', {
  id: text(),
  agencyCode: text(),
  n: int(),
  fullName: text(),
  position: text(),
  employmentType: text<EmploymentType>(),
  activeFrom: date(),
  activeTo: date().nullable(),
});

export const mailboxes = table('mailboxes', {
  address: text(),
  officialId: text(),
  agencyCode: text(),
  status: text<MailboxStatus>(),
  createdAt: timestamptz(),
  closedAt: timestamptz().nullable(),
  lastLoginAt: timestamptz().nullable(),
  quotaMb: int(),
  usedMb: int(),
});

export const mailboxLogins = table('mailbox_logins', {
  address: text(),
  at: timestamptz(),
  ipAddress: text(),
});

export const messages = table('messages', {
  id: bigint().generated(),
  senderAddress: text(),
  subject: text(),
  sentAt: timestamptz(),
});

export const messageRecipients = table('message_recipients', {
  messageId: bigint(),
  address: text(),
  kind: text<RecipientKind>(),
});

export const messageAttachments = table('message_attachments', {
  messageId: bigint(),
  seq: int(),
  fileName: text(),
  sizeKb: int(),
  citedAgencyCode: text().nullable(),
  citedYear: int().nullable(),
  citedNumberSymbol: text().nullable(),
});

export type OfficialRow = RowOf<typeof officials>;
export type MailboxRow = RowOf<typeof mailboxes>;
export type LoginRow = RowOf<typeof mailboxLogins>;
export type MessageRow = RowOf<typeof messages>;
export type RecipientRow = RowOf<typeof messageRecipients>;
export type AttachmentRow = RowOf<typeof messageAttachments>;
