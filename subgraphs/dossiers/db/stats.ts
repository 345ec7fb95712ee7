/**
 * The standard one-stop report grid (dossierStats) for many agencies in one query per period.
 *
 * - Received: carried over = received before the period and open at its start; new = received in it,
 *   by channel. Dossiers rejected at intake are not counted as received.
 * - Resolved in the period: early / on time / late by the finish day against the due date.
 * - In process and paused: dossiers open at the end of the period (or today, if earlier), by their
 *   status then (the last processing step up to that day): paused for a supplement or a payment, else
 *   within the deadline or past it.
 * - Stopped and withdrawn: dossiers that left processing during the period.
 * - onTimeRatio = (early + on time) ÷ resolved; onlineRatio = online ÷ received (4 decimals; null on 0).
 */
import { agencyScope, scopeCte } from '../../../kit';
import type { Queryable } from '../../../kit';
import type { DossierStatsRow } from './rows';

export interface StatsQuery {
  from: string;
  to: string;
  includeSubordinates: boolean;
}

export async function dossierStats(
  db: Queryable,
  codes: readonly string[],
  q: StatsQuery,
): Promise<DossierStatsRow[]> {
  const scope = await agencyScope(db, codes, q.includeSubordinates);
  // The longest stay of any closed dossier, read first (one index probe per year), so that the earliest
  // day a dossier counted can have been received is a constant when the grid is planned.
  let longest = await longestStay(db);
  for (let rerun = 0; ; rerun++) {
    const rows = await grid(db, codes, q, scope, longest);
    if (longest === ALL_HISTORY) return rows;
    // A dossier closed between the probe and the grid, with a stay longer than any before, would be
    // left out. It is closed before this second probe starts, so the probe sees it: when the longest
    // stay is unchanged, nothing was left out; otherwise the grid runs again. One more round trip, and
    // no transaction to hold the two in one snapshot, which would keep the statistics off the read
    // replica (kit/runtime/replica.ts). Records broken again and again meanwhile end in one grid over
    // every year, which cannot leave anything out.
    const after = await longestStay(db);
    if (after <= longest) return rows;
    longest = rerun < 2 ? after : ALL_HISTORY;
  }
}

/** A stay longer than any (a century): the grid's range then reaches every year kept. */
const ALL_HISTORY = 36_500;

/** The longest stay of any closed dossier, in days (migration 008: a function, so its plan is cached). */
async function longestStay(db: Queryable): Promise<number> {
  const [row] = await db.query<{ longest: number }>(`SELECT dossier_longest_stay() AS longest`);
  return row!.longest;
}

function grid(
  db: Queryable,
  codes: readonly string[],
  q: StatsQuery,
  scope: Awaited<ReturnType<typeof agencyScope>>,
  longest: number,
): Promise<DossierStatsRow[]> {
  return db.query<DossierStatsRow>(
    `WITH ${scopeCte('$4', '$5')},
     bounds AS (SELECT $2::date AS p_from, $3::date AS p_to, LEAST($3::date, CURRENT_DATE) AS cut),
     -- A dossier counts when it was received by the end of the period and had not left processing
     -- before it began. Two index-only range scans instead of every dossier received before the end:
     -- those still open, and closed ones received no earlier than the longest stay of any closed
     -- dossier before the period ($6, read just before). Days are the stored received_on, finished_on,
     -- ended_on (Vietnam's time), compared as dates. The same bounds on received_at (the partition key,
     -- migration 006) are constants when the statement is planned, so PostgreSQL plans only the
     -- partitions of those years: the closed dossiers' scan reads the period's year (and the one before
     -- when the longest stay reaches into it), the open ones' every year up to the period's (a small
     -- partial index each). Each scan takes the member agencies as one array (= ANY): one index scan
     -- per partition, not one per agency and partition.
     candidates AS (
       SELECT d.agency_code, d.id, d.channel, d.status, d.due_date, d.received_on, d.finished_on, d.ended_on
       FROM dossiers d
       WHERE d.agency_code = ANY($5::text[])
         AND d.finished_on IS NULL AND d.ended_on IS NULL AND d.received_on <= $3::date
         AND d.received_at < ($3::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
       UNION ALL
       SELECT d.agency_code, d.id, d.channel, d.status, d.due_date, d.received_on, d.finished_on, d.ended_on
       FROM dossiers d
       WHERE d.agency_code = ANY($5::text[])
         AND d.received_on >= $2::date - $6::int AND d.received_on <= $3::date
         AND coalesce(d.finished_on, d.ended_on) >= $2::date
         AND d.received_at >= ($2::date - $6::int)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
         AND d.received_at < ($3::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
     ),
     rel AS (
       SELECT d.agency_code, d.id, d.channel, d.status, d.due_date,
         d.received_on AS received_day, d.finished_on AS finished_day, d.ended_on AS ended_day,
         (d.finished_on IS NULL OR d.finished_on > b.cut) AND (d.ended_on IS NULL OR d.ended_on > b.cut) AS open_at_end
       FROM candidates d CROSS JOIN bounds b
       WHERE d.status <> 'KHONG_DUOC_TIEP_NHAN'
     ),
     graded AS (
       -- Each dossier reduced to the categories the grid counts — channel 1 online, 2 in person, 3 by
       -- post; resolved 1 early, 2 on time, 3 late; ended 1 stopped, 2 withdrawn; on the last day
       -- 1 within the deadline, 2 overdue, 3 paused for a supplement, 4 for a payment (that status is
       -- looked up only for the few dossiers still open then).
       SELECT r.agency_code COLLATE "C" AS code, r.received_day >= b.p_from AS is_new,
         CASE r.channel WHEN 'TRUC_TUYEN' THEN 1 WHEN 'TRUC_TIEP' THEN 2 WHEN 'BUU_CHINH' THEN 3 END AS channel,
         CASE WHEN r.finished_day <= b.p_to THEN
           CASE WHEN r.finished_day < r.due_date THEN 1 WHEN r.finished_day = r.due_date THEN 2 ELSE 3 END
         END AS resolved,
         CASE WHEN r.ended_day <= b.p_to THEN
           CASE r.status WHEN 'DUNG_XU_LY' THEN 1 WHEN 'CONG_DAN_RUT_HO_SO' THEN 2 END
         END AS ended_as,
         CASE WHEN r.open_at_end THEN (
           SELECT CASE x.status
             WHEN 'YEU_CAU_BO_SUNG_GIAY_TO' THEN 3
             WHEN 'YEU_CAU_THUC_HIEN_NGHIA_VU_TAI_CHINH' THEN 4
             ELSE CASE WHEN r.due_date >= b.cut THEN 1 ELSE 2 END END
           FROM dossier_steps x
           WHERE x.dossier_id = r.id AND x.at < b.cut + 1
           ORDER BY x.seq DESC LIMIT 1) END AS at_end
       FROM rel r CROSS JOIN bounds b
     ),
     -- Counted per agency and category first (small integers, and the agency code compared bytewise:
     -- sorting rows by text in the database's collation cost as much as reading them) — each dossier
     -- once, however many of the asked agencies it counts for —, then each asked agency adds up the few
     -- dozen groups of its members.
     -- The categories travel as one number (a digit each, 0 for none): grouping on it and the code
     -- is cheaper than on six columns.
     per_code AS (
       SELECT code, cls, count(*) AS n
       FROM (
         SELECT code, is_new::int * 10000 + coalesce(channel, 0) * 1000 + coalesce(resolved, 0) * 100
           + coalesce(ended_as, 0) * 10 + coalesce(at_end, 0) AS cls
         FROM graded
       ) g
       GROUP BY code, cls
     ),
     classes AS (
       SELECT s.root COLLATE "C" AS root, p.cls / 10000 = 1 AS is_new, nullif(p.cls / 1000 % 10, 0) AS channel,
         nullif(p.cls / 100 % 10, 0) AS resolved, nullif(p.cls / 10 % 10, 0) AS ended_as,
         nullif(p.cls % 10, 0) AS at_end, p.n
       FROM per_code p JOIN scope s ON s.code = p.code
     ),
     counts AS (
       SELECT root,
         coalesce(sum(n) FILTER (WHERE NOT is_new), 0) AS carried_over,
         coalesce(sum(n) FILTER (WHERE is_new), 0) AS received,
         coalesce(sum(n) FILTER (WHERE is_new AND channel = 1), 0) AS received_online,
         coalesce(sum(n) FILTER (WHERE is_new AND channel = 2), 0) AS received_in_person,
         coalesce(sum(n) FILTER (WHERE is_new AND channel = 3), 0) AS received_by_post,
         coalesce(sum(n) FILTER (WHERE resolved IS NOT NULL), 0) AS resolved,
         coalesce(sum(n) FILTER (WHERE resolved = 1), 0) AS resolved_early,
         coalesce(sum(n) FILTER (WHERE resolved = 2), 0) AS resolved_on_time,
         coalesce(sum(n) FILTER (WHERE resolved = 3), 0) AS resolved_late,
         coalesce(sum(n) FILTER (WHERE at_end = 1), 0) AS within_deadline,
         coalesce(sum(n) FILTER (WHERE at_end = 2), 0) AS overdue,
         coalesce(sum(n) FILTER (WHERE at_end = 3), 0) AS paused_supplement,
         coalesce(sum(n) FILTER (WHERE at_end = 4), 0) AS paused_payment,
         coalesce(sum(n) FILTER (WHERE ended_as = 1), 0) AS stopped,
         coalesce(sum(n) FILTER (WHERE ended_as = 2), 0) AS withdrawn
       FROM classes GROUP BY root
     )
     SELECT r.code AS "agencyCode",
       coalesce(c.carried_over, 0) AS "carriedOver",
       coalesce(c.received, 0) AS "received",
       coalesce(c.received_online, 0) AS "receivedOnline",
       coalesce(c.received_in_person, 0) AS "receivedInPerson",
       coalesce(c.received_by_post, 0) AS "receivedByPost",
       coalesce(c.resolved, 0) AS "resolved",
       coalesce(c.resolved_early, 0) AS "resolvedEarly",
       coalesce(c.resolved_on_time, 0) AS "resolvedOnTime",
       coalesce(c.resolved_late, 0) AS "resolvedLate",
       coalesce(c.within_deadline, 0) AS "inProcessWithinDeadline",
       coalesce(c.overdue, 0) AS "inProcessOverdue",
       coalesce(c.paused_supplement, 0) AS "pausedForSupplement",
       coalesce(c.paused_payment, 0) AS "pausedForPayment",
       coalesce(c.stopped, 0) AS "stopped",
       coalesce(c.withdrawn, 0) AS "withdrawn",
       round((c.resolved_early + c.resolved_on_time)::numeric / nullif(c.resolved, 0), 4) AS "onTimeRatio",
       round(c.received_online::numeric / nullif(c.received, 0), 4) AS "onlineRatio"
     FROM unnest($1::text[]) AS r(code) LEFT JOIN counts c ON c.root = r.code COLLATE "C"`,
    [codes, q.from, q.to, scope.roots, scope.codes, longest],
  );
}
