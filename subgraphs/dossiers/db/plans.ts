/**
 * Online public services against the year's plan (kế hoạch): each agency's plan per year, set by its
 * officials, and the services it provides online — procedures offered at level ≥ 3 (or partly or fully
 * online under Decree 42/2022) at some time in the period, as `procedures(filter: { minOnlineLevel: 3 })`
 * counts them. The plan is the one of the year of the period's last day.
 */
import { agencyScope, scopeCte } from '../../../kit';
import type { Queryable } from '../../../kit';
import { onlineServicePlans } from './tables';
import type { OnlineServicePlanRow } from './tables';
import type { StatsQuery } from './stats';

/** Services provided online in a period and planned for its year, per agency (its subtree with subordinates). */
export interface OnlinePlanRow {
  agencyCode: string;
  provided: number;
  /** Sum of the plans of the year (null when no agency in scope has one). */
  planned: number | null;
  /** provided ÷ planned, 4 decimals (null without a plan). */
  ratio: number | null;
}

export async function onlinePlanStats(
  db: Queryable,
  codes: readonly string[],
  q: StatsQuery,
): Promise<OnlinePlanRow[]> {
  const scope = await agencyScope(db, codes, q.includeSubordinates);
  return db.query<OnlinePlanRow>(
    `WITH ${scopeCte('$4', '$5')},
     levels AS (
       SELECT s.procedure_code, s.valid_from,
         coalesce(CASE s.online_scope WHEN 'TOAN_TRINH' THEN 4 WHEN 'MOT_PHAN' THEN 3 WHEN 'KHONG' THEN 2 END, s.online_level) AS level,
         lead(s.valid_from) OVER (PARTITION BY s.procedure_code ORDER BY s.valid_from) AS next_from
       FROM procedure_online_service s
       JOIN procedures p ON p.code = s.procedure_code
       WHERE p.agency_code = ANY($5::text[])
     ),
     provided AS (
       SELECT s.root, count(DISTINCT l.procedure_code) AS n
       FROM scope s JOIN procedures p ON p.agency_code = s.code JOIN levels l ON l.procedure_code = p.code
       WHERE l.valid_from <= $3::date AND (l.next_from IS NULL OR l.next_from > $2::date) AND l.level >= 3
       GROUP BY s.root
     ),
     planned AS (
       SELECT s.root, sum(x.planned_services) AS n
       FROM scope s JOIN online_service_plans x
         ON x.agency_code = s.code AND x.year = extract(year FROM $3::date)::int
       GROUP BY s.root
     )
     SELECT r.code AS "agencyCode", coalesce(pr.n, 0)::int AS "provided", pl.n::int AS "planned",
       round(coalesce(pr.n, 0)::numeric / nullif(pl.n, 0), 4)::float8 AS "ratio"
     FROM unnest($1::text[]) AS r(code)
       LEFT JOIN provided pr ON pr.root = r.code LEFT JOIN planned pl ON pl.root = r.code`,
    [codes, q.from, q.to, scope.roots, scope.codes],
  );
}

/** Plans of many agencies for one year. */
export const plansOf = (
  db: Queryable,
  codes: readonly string[],
  year: number,
): Promise<OnlineServicePlanRow[]> =>
  db.query<OnlineServicePlanRow>(
    `SELECT ${onlineServicePlans.select('x')} FROM online_service_plans x
     WHERE x.agency_code = ANY($1::text[]) AND x.year = $2`,
    [codes, year],
  );

/** Sets (or replaces) an agency's plan for a year; returns it as stored. */
export async function setPlan(
  db: Queryable,
  p: { agencyCode: string; year: number; plannedServices: number; setBy: string | null },
): Promise<OnlineServicePlanRow> {
  // The arbiter by name: the key is (agency_code, year, org_root) since migration 007 (docs/citus.md).
  const [row] = await db.query<OnlineServicePlanRow>(
    `INSERT INTO online_service_plans AS x (agency_code, year, planned_services, set_by)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT ON CONSTRAINT online_service_plans_pkey DO UPDATE
       SET planned_services = excluded.planned_services, set_by = excluded.set_by, set_at = now()
     RETURNING ${onlineServicePlans.select('x')}`,
    [p.agencyCode, p.year, p.plannedServices, p.setBy],
  );
  return row!;
}
