/**
 * The land-records KPI of the scorecard (Agency.landStats): parcels in an agency's territory on a day
 * and how many of them have digitised records, for many agencies in one statement.
 *
 * An agency governs an administrative unit (catalogue: agency → unit); its parcels are those registered
 * in that unit or, through the 2025 succession crosswalk, in the communes merged into it (a parcel of a
 * divided commune belongs to the unit recorded on it) — the same rule as AdministrativeUnit.landStats.
 * With subordinates, the units of every agency under it on that day count too; a parcel is counted
 * once per agency.
 */
import { agencyScope, scopeCte } from '../../../kit';
import type { KpiParts, KpiSource, Queryable } from '../../../kit';
import { BELONGS, EXISTS_ON, UNITS_OF_ROOTS } from './reads';

export interface AgencyLandQuery {
  /** The day parcels are counted on (the period's last day). */
  on: string;
  includeSubordinates: boolean;
}

export interface AgencyLandStatsRow {
  agencyCode: string;
  parcelCount: number;
  digitisedCount: number;
  digitisedRatio: number | null;
}

/** What the `AgencyLandStats` type resolves from: the row, its period, and its scorecard KPI. */
export interface AgencyLandStatsValue extends AgencyLandStatsRow {
  from: string;
  to: string;
  includeSubordinates: boolean;
  kpi: (measure: (r: AgencyLandStatsRow) => KpiParts) => KpiSource;
}

export const agencyLandStats = async (
  db: Queryable,
  codes: readonly string[],
  q: AgencyLandQuery,
): Promise<AgencyLandStatsRow[]> => {
  const scope = await agencyScope(db, codes, q.includeSubordinates, q.on);
  return db.query<AgencyLandStatsRow>(
    `WITH RECURSIVE ${scopeCte('$3', '$4')},
     au(agency, unit_root) AS (
       SELECT s.root, a.unit_id FROM scope s JOIN agencies a ON a.code = s.code WHERE a.unit_id IS NOT NULL
     ),
     ${UNITS_OF_ROOTS('ARRAY(SELECT DISTINCT unit_root FROM au)', 'true')},
     live AS (
       SELECT DISTINCT au.agency, p.id, p.digitised_on
       FROM au JOIN units u ON u.root = au.unit_root
       JOIN land_parcels p ON p.original_unit_id = u.id
       WHERE ${BELONGS} AND ${EXISTS_ON('$2')}
     ),
     counts AS (
       SELECT agency, count(*)::int AS parcels,
         count(*) FILTER (WHERE digitised_on <= $2::date)::int AS digitised
       FROM live GROUP BY agency
     )
     SELECT r.code AS "agencyCode",
       coalesce(c.parcels, 0) AS "parcelCount",
       coalesce(c.digitised, 0) AS "digitisedCount",
       round(c.digitised::numeric / nullif(c.parcels, 0), 4)::float8 AS "digitisedRatio"
     FROM unnest($1::text[]) AS r(code) LEFT JOIN counts c ON c.agency = r.code`,
    [codes, q.on, scope.roots, scope.codes],
  );
};
