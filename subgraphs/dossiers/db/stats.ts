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
import { agencySubtree } from '../../../kit';
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
  return db.query<DossierStatsRow>(
    `WITH scope(root, code) AS (
       SELECT r.code, r.code FROM unnest($1::text[]) AS r(code) WHERE NOT $4::boolean
       UNION ALL
       SELECT r.code, t.code FROM unnest($1::text[]) AS r(code)
       CROSS JOIN LATERAL ${agencySubtree('r.code')} AS t(code) WHERE $4::boolean
     ),
     bounds AS (SELECT $2::date AS p_from, $3::date AS p_to, LEAST($3::date, CURRENT_DATE) AS cut),
     -- A dossier counts when it was received by the end of the period and had not left processing
     -- before it began. Two index-only range scans instead of every dossier received before the end:
     -- those still open, and closed ones received no earlier than the longest stay of any closed
     -- dossier before the period (dossiers_closed_stay gives that stay at once). Days are the stored
     -- received_on, finished_on, ended_on (Vietnam's time), compared as dates.
     stay AS (
       SELECT coalesce(max(coalesce(finished_on, ended_on) - received_on), 0) AS longest
       FROM dossiers WHERE coalesce(finished_on, ended_on) IS NOT NULL
     ),
     members AS (SELECT DISTINCT code FROM scope),
     candidates AS (
       SELECT d.agency_code, d.id, d.channel, d.status, d.due_date, d.received_on, d.finished_on, d.ended_on
       FROM dossiers d JOIN members s ON d.agency_code = s.code
       WHERE d.finished_on IS NULL AND d.ended_on IS NULL AND d.received_on <= $3::date
       UNION ALL
       SELECT d.agency_code, d.id, d.channel, d.status, d.due_date, d.received_on, d.finished_on, d.ended_on
       FROM dossiers d JOIN members s ON d.agency_code = s.code
       WHERE d.received_on >= $2::date - (SELECT longest FROM stay) AND d.received_on <= $3::date
         AND coalesce(d.finished_on, d.ended_on) >= $2::date
     ),
     rel AS (
       SELECT s.root, d.id, d.channel, d.status, d.due_date,
         d.received_on AS received_day, d.finished_on AS finished_day, d.ended_on AS ended_day,
         (d.finished_on IS NULL OR d.finished_on > b.cut) AND (d.ended_on IS NULL OR d.ended_on > b.cut) AS open_at_end
       FROM scope s CROSS JOIN bounds b
       JOIN candidates d ON d.agency_code = s.code
       WHERE d.status <> 'KHONG_DUOC_TIEP_NHAN'
     ),
     graded AS (
       -- The status on the last day, only for the few dossiers still open then.
       SELECT r.*, CASE WHEN r.open_at_end THEN (
         SELECT x.status FROM dossier_steps x
         WHERE x.dossier_id = r.id AND x.at < b.cut + 1
         ORDER BY x.seq DESC LIMIT 1) END AS status_at_end
       FROM rel r CROSS JOIN bounds b
     ),
     counts AS (
       SELECT g.root,
         count(*) FILTER (WHERE g.received_day < b.p_from) AS carried_over,
         count(*) FILTER (WHERE g.received_day >= b.p_from) AS received,
         count(*) FILTER (WHERE g.received_day >= b.p_from AND g.channel = 'TRUC_TUYEN') AS received_online,
         count(*) FILTER (WHERE g.received_day >= b.p_from AND g.channel = 'TRUC_TIEP') AS received_in_person,
         count(*) FILTER (WHERE g.received_day >= b.p_from AND g.channel = 'BUU_CHINH') AS received_by_post,
         count(*) FILTER (WHERE g.finished_day <= b.p_to) AS resolved,
         count(*) FILTER (WHERE g.finished_day <= b.p_to AND g.finished_day < g.due_date) AS resolved_early,
         count(*) FILTER (WHERE g.finished_day <= b.p_to AND g.finished_day = g.due_date) AS resolved_on_time,
         count(*) FILTER (WHERE g.finished_day <= b.p_to AND g.finished_day > g.due_date) AS resolved_late,
         count(*) FILTER (WHERE g.open_at_end AND g.status_at_end NOT IN ('YEU_CAU_BO_SUNG_GIAY_TO','YEU_CAU_THUC_HIEN_NGHIA_VU_TAI_CHINH')
           AND g.due_date >= b.cut) AS within_deadline,
         count(*) FILTER (WHERE g.open_at_end AND g.status_at_end NOT IN ('YEU_CAU_BO_SUNG_GIAY_TO','YEU_CAU_THUC_HIEN_NGHIA_VU_TAI_CHINH')
           AND g.due_date < b.cut) AS overdue,
         count(*) FILTER (WHERE g.open_at_end AND g.status_at_end = 'YEU_CAU_BO_SUNG_GIAY_TO') AS paused_supplement,
         count(*) FILTER (WHERE g.open_at_end AND g.status_at_end = 'YEU_CAU_THUC_HIEN_NGHIA_VU_TAI_CHINH') AS paused_payment,
         count(*) FILTER (WHERE g.ended_day <= b.p_to AND g.status = 'DUNG_XU_LY') AS stopped,
         count(*) FILTER (WHERE g.ended_day <= b.p_to AND g.status = 'CONG_DAN_RUT_HO_SO') AS withdrawn
       FROM graded g CROSS JOIN bounds b
       GROUP BY g.root
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
     FROM unnest($1::text[]) AS r(code) LEFT JOIN counts c ON c.root = r.code`,
    [codes, q.from, q.to, q.includeSubordinates],
  );
}
