/**
 * Reads of the mail subgraph. Functions take arrays of keys so loaders can batch them; rows come back
 * camelCase (kit/runtime/table.ts).
 */
import { agencySubtree, cursorPart } from '../../../kit';
import type { Queryable } from '../../../kit';
import {
  mailboxes,
  mailboxLogins,
  messageAttachments,
  messageRecipients,
  messages,
  officials,
} from './tables';
import type { AttachmentRow, LoginRow, MailboxRow, MessageRow, OfficialRow, RecipientRow } from './tables';

const OFFICIAL = officials.select('o');
const MAILBOX = mailboxes.select('m');
const MESSAGE = messages.select('g');

export const officialsByIds = (db: Queryable, ids: readonly string[]): Promise<OfficialRow[]> =>
  db.query(`SELECT ${OFFICIAL} FROM officials o WHERE o.id = ANY($1::text[])`, [ids]);

export const mailboxesByAddresses = (db: Queryable, addresses: readonly string[]): Promise<MailboxRow[]> =>
  db.query(`SELECT ${MAILBOX} FROM mailboxes m WHERE m.address = ANY($1::text[])`, [addresses]);

export const mailboxesByOfficials = (db: Queryable, ids: readonly string[]): Promise<MailboxRow[]> =>
  db.query(`SELECT ${MAILBOX} FROM mailboxes m WHERE m.official_id = ANY($1::text[])`, [ids]);

export interface LoginQuery {
  limit: number;
  /** Last day (Vietnam time) or null. */
  until: string | null;
}

/** The latest `limit` logins of each mailbox up to a day, newest first. */
export const loginsOf = (db: Queryable, addresses: readonly string[], q: LoginQuery): Promise<LoginRow[]> =>
  db.query(
    `SELECT ${mailboxLogins.select('l')} FROM unnest($1::text[]) AS a(address)
     CROSS JOIN LATERAL (SELECT * FROM mailbox_logins x WHERE x.address = a.address
       AND ($3::date IS NULL OR x.at < ($3::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')
       ORDER BY x.at DESC LIMIT $2) l
     ORDER BY l.address, l.at DESC`,
    [addresses, q.limit, q.until],
  );

export const recipientsOf = (db: Queryable, ids: readonly number[]): Promise<RecipientRow[]> =>
  db.query(
    `SELECT ${messageRecipients.select('r')} FROM message_recipients r WHERE r.message_id = ANY($1::bigint[])
     ORDER BY r.message_id, r.kind DESC, r.address`,
    [ids],
  );

export const attachmentsOf = (db: Queryable, ids: readonly number[]): Promise<AttachmentRow[]> =>
  db.query(
    `SELECT ${messageAttachments.select('t')} FROM message_attachments t WHERE t.message_id = ANY($1::bigint[])
     ORDER BY t.message_id, t.seq`,
    [ids],
  );

/** Keyset position of an official in (agency code, number) order. */
export type OfficialKey = [agencyCode: string, n: number];
export const isOfficialKey = (v: unknown): v is OfficialKey =>
  Array.isArray(v) && v.length === 2 && cursorPart.text()(v[0]) && cursorPart.int(v[1]);
export const officialKey = (o: OfficialRow): OfficialKey => [o.agencyCode, o.n];

export interface OfficialScope {
  agencyCode: string;
  includeSubordinates: boolean;
}

const scopeSql = (s: OfficialScope, p: number): string =>
  s.includeSubordinates
    ? `o.agency_code IN (SELECT t.code FROM ${agencySubtree(`$${p}::text`)} AS t(code))`
    : `o.agency_code = $${p}`;

export const findOfficials = (
  db: Queryable,
  s: OfficialScope,
  page: { after: OfficialKey | null; limit: number },
): Promise<OfficialRow[]> =>
  db.query(
    `SELECT ${OFFICIAL} FROM officials o
     WHERE ${scopeSql(s, 1)} AND ($2::text IS NULL OR (o.agency_code, o.n) > ($2::text, $3::int))
     ORDER BY o.agency_code, o.n LIMIT $4`,
    [s.agencyCode, page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit],
  );

export async function countOfficials(db: Queryable, s: OfficialScope): Promise<number> {
  const [r] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM officials o WHERE ${scopeSql(s, 1)}`,
    [s.agencyCode],
  );
  return r!.n;
}

/** The same page of officials for many agencies (no subordinates): one query. */
export const officialsOfAgencies = (
  db: Queryable,
  codes: readonly string[],
  page: { after: number | null; limit: number },
): Promise<OfficialRow[]> =>
  db.query(
    `SELECT ${OFFICIAL} FROM unnest($1::text[]) AS a(code)
     CROSS JOIN LATERAL (SELECT * FROM officials x WHERE x.agency_code = a.code AND x.n > $2 ORDER BY x.n LIMIT $3) o
     ORDER BY o.agency_code, o.n`,
    [codes, page.after ?? 0, page.limit],
  );

export const countOfficialsOfAgencies = (
  db: Queryable,
  codes: readonly string[],
): Promise<{ agencyCode: string; n: number }[]> =>
  db.query(
    `SELECT a.code AS "agencyCode", (SELECT count(*)::int FROM officials o WHERE o.agency_code = a.code) AS n
     FROM unnest($1::text[]) AS a(code)`,
    [codes],
  );

/** Keyset position in (sent_at DESC, id DESC) order. */
export type MessageKey = [sentAt: string, id: number];
export const isMessageKey = (v: unknown): v is MessageKey =>
  Array.isArray(v) && v.length === 2 && cursorPart.instant(v[0]) && cursorPart.id(v[1]);
export const messageKey = (m: MessageRow): MessageKey => [m.sentAt, m.id];

/** Messages a mailbox sent or received, newest first. */
export const messagesOf = (
  db: Queryable,
  address: string,
  page: { after: MessageKey | null; limit: number },
): Promise<MessageRow[]> =>
  db.query(
    `SELECT ${MESSAGE} FROM messages g
     WHERE g.id IN (SELECT id FROM messages WHERE sender_address = $1
                    UNION SELECT message_id FROM message_recipients WHERE address = $1)
       AND ($2::timestamptz IS NULL OR (g.sent_at, g.id) < ($2::timestamptz, $3::bigint))
     ORDER BY g.sent_at DESC, g.id DESC LIMIT $4`,
    [address, page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit],
  );
