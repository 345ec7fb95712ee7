/**
 * Official e-mail figures (mailStats) for many agencies in one query per (period, window, scope).
 *
 * Counts are taken on the period's last day `to`:
 * - officials: in post (active_from ≤ to, active_to null or ≥ to);
 * - mailboxes issued: created by `to` and not deleted by then (locked ones still count as issued);
 * - active mailboxes: created by `to` and not closed (locked or deleted) by then;
 * - officials with a mailbox: officials in post whose mailbox is active;
 * - regularly used: issued mailboxes with a login in the `activeWithinDays` days up to `to` (Vietnam time);
 * - messages sent: from the agency's mailboxes during [from, to].
 * mailboxCoverage = officials with a mailbox ÷ officials; regularUseRatio = regularly used ÷ issued
 * (4 decimals; null on 0). With subordinates, the agencies under each one on `to` count too.
 */
import { agencyScope, scopeCte } from '../../../kit';
import type { Queryable } from '../../../kit';
import type { MailStatsRow } from './rows';

export interface MailStatsQuery {
  from: string;
  to: string;
  activeWithinDays: number;
  includeSubordinates: boolean;
}

export async function mailStats(
  db: Queryable,
  codes: readonly string[],
  q: MailStatsQuery,
): Promise<MailStatsRow[]> {
  const scope = await agencyScope(db, codes, q.includeSubordinates, q.to);
  return db.query<MailStatsRow>(
    `WITH bounds AS (
       SELECT ($2::date)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' AS t_from,
              ($3::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' AS t_end,
              ($3::date + 1 - $4::int)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' AS t_window
     ),
     ${scopeCte('$5', '$6')},
     staff AS (
       SELECT s.root, count(*) AS officials,
         count(*) FILTER (WHERE EXISTS (
           SELECT 1 FROM mailboxes m WHERE m.official_id = o.id
             AND m.created_at < b.t_end AND (m.closed_at IS NULL OR m.closed_at >= b.t_end))) AS with_mailbox
       FROM scope s CROSS JOIN bounds b
       JOIN officials o ON o.agency_code = s.code
       WHERE o.active_from <= $3::date AND (o.active_to IS NULL OR o.active_to >= $3::date)
       GROUP BY s.root
     ),
     boxes AS (
       SELECT s.root,
         count(*) FILTER (WHERE m.status <> 'DELETED' OR m.closed_at >= b.t_end) AS issued,
         count(*) FILTER (WHERE m.closed_at IS NULL OR m.closed_at >= b.t_end) AS active,
         count(*) FILTER (WHERE (m.status <> 'DELETED' OR m.closed_at >= b.t_end) AND EXISTS (
           SELECT 1 FROM mailbox_logins l WHERE l.address = m.address AND l.at >= b.t_window AND l.at < b.t_end)) AS regular,
         coalesce(sum((SELECT count(*) FROM messages g WHERE g.sender_address = m.address
           AND g.sent_at >= b.t_from AND g.sent_at < b.t_end)), 0) AS sent
       FROM scope s CROSS JOIN bounds b
       JOIN mailboxes m ON m.agency_code = s.code AND m.created_at < b.t_end
       GROUP BY s.root
     )
     SELECT r.code AS "agencyCode",
       coalesce(st.officials, 0)::int AS "officials",
       coalesce(bx.issued, 0)::int AS "mailboxesIssued",
       coalesce(bx.active, 0)::int AS "activeMailboxes",
       coalesce(st.with_mailbox, 0)::int AS "officialsWithMailbox",
       coalesce(bx.regular, 0)::int AS "regularlyUsed",
       coalesce(bx.sent, 0)::int AS "messagesSent",
       round(st.with_mailbox::numeric / nullif(st.officials, 0), 4)::float8 AS "mailboxCoverage",
       round(bx.regular::numeric / nullif(bx.issued, 0), 4)::float8 AS "regularUseRatio"
     FROM unnest($1::text[]) AS r(code)
     LEFT JOIN staff st ON st.root = r.code
     LEFT JOIN boxes bx ON bx.root = r.code`,
    [codes, q.from, q.to, q.activeWithinDays, scope.roots, scope.codes],
  );
}
