/**
 * ICT figures per agency (ictStats): each agency in scope counted from its latest inventory on or before
 * the period's last day, summed; the ratios computed here, 4 decimals, null on 0.
 */
import { agencyScope, scopeCte } from '../../../kit';
import type { AgencyScope, Queryable } from '../../../kit';
import type { IctScope } from '../generated/graphql';

export interface IctQuery {
  from: string;
  to: string;
  scope: IctScope;
}

/** ICT figures of one agency (a computed query, named as the GraphQL fields). */
export interface IctStatsRow {
  agencyCode: string;
  inventoryDate: string | null;
  agencies: number;
  officials: number;
  officialsWithComputer: number;
  computers: number;
  connectedComputers: number;
  agenciesWithLan: number;
  computersPerOfficial: number | null;
  computerRatio: number | null;
  internetRatio: number | null;
  lanRatio: number | null;
}

/** The (root, member) pairs of a scope: the agency, the agencies under it on `on`, or both. */
async function membersOf(db: Queryable, codes: readonly string[], q: IctQuery): Promise<AgencyScope> {
  if (q.scope === 'AGENCY') return agencyScope(db, codes, false);
  const all = await agencyScope(db, codes, true, q.to);
  if (q.scope === 'ALL') return all;
  const keep = all.codes.map((c, i) => c !== all.roots[i]);
  return { roots: all.roots.filter((_, i) => keep[i]), codes: all.codes.filter((_, i) => keep[i]) };
}

export async function ictStats(db: Queryable, codes: readonly string[], q: IctQuery): Promise<IctStatsRow[]> {
  const scope = await membersOf(db, codes, q);
  return db.query<IctStatsRow>(
    `WITH ${scopeCte('$3', '$4')},
     latest AS (
       SELECT DISTINCT ON (i.agency_code) i.*
       FROM ict_inventories i
       WHERE i.agency_code = ANY($4::text[]) AND i.taken_on <= $2::date
       ORDER BY i.agency_code, i.taken_on DESC
     ),
     counts AS (
       SELECT s.root, max(l.taken_on) AS inventory_date, count(*) AS agencies,
         sum(l.officials) AS officials, sum(l.officials_with_computer) AS with_computer,
         sum(l.computers) AS computers, sum(l.connected_computers) AS connected,
         count(*) FILTER (WHERE l.lan) AS with_lan
       FROM scope s JOIN latest l ON l.agency_code = s.code
       GROUP BY s.root
     )
     SELECT r.code AS "agencyCode", c.inventory_date AS "inventoryDate",
       coalesce(c.agencies, 0)::int AS "agencies",
       coalesce(c.officials, 0)::int AS "officials",
       coalesce(c.with_computer, 0)::int AS "officialsWithComputer",
       coalesce(c.computers, 0)::int AS "computers",
       coalesce(c.connected, 0)::int AS "connectedComputers",
       coalesce(c.with_lan, 0)::int AS "agenciesWithLan",
       round(c.computers::numeric / nullif(c.officials, 0), 4) AS "computersPerOfficial",
       round(c.with_computer::numeric / nullif(c.officials, 0), 4) AS "computerRatio",
       round(c.connected::numeric / nullif(c.computers, 0), 4) AS "internetRatio",
       round(c.with_lan::numeric / nullif(c.agencies, 0), 4) AS "lanRatio"
     FROM unnest($1::text[]) AS r(code) LEFT JOIN counts c ON c.root = r.code`,
    [codes, q.to, scope.roots, scope.codes],
  );
}
