/** Document KPIs of the scorecard (documentStats), secret documents excluded. */
import { agencyScope, scopeCte } from '../../../kit';
import type { Queryable } from '../../../kit';
import type { StatsRow } from './rows';

export interface StatsQuery {
  from: string;
  to: string;
  includeSubordinates: boolean;
}

/**
 * Document KPIs per agency (optionally with every agency under it, past and present — the catalogue's
 * subtree), one query for many agencies.
 */
export async function documentStats(
  db: Queryable,
  codes: readonly string[],
  q: StatsQuery,
): Promise<StatsRow[]> {
  const scope = await agencyScope(db, codes, q.includeSubordinates);
  return db.query<StatsRow>(
    `WITH ${scopeCte('$4', '$5')},
     counts AS (
       SELECT s.root AS agency_code,
         count(*) FILTER (WHERE d.direction = 'OUTGOING') AS outgoing_total,
         count(*) FILTER (WHERE d.direction = 'OUTGOING' AND d.electronic) AS outgoing_electronic,
         count(*) FILTER (WHERE d.electronic) AS electronic_total,
         count(*) FILTER (WHERE d.electronic AND d.digitally_signed) AS digitally_signed,
         count(*) FILTER (WHERE d.direction = 'INCOMING') AS incoming_total,
         count(*) FILTER (WHERE d.direction = 'INCOMING' AND d.status <> 'DA_VAO_SO') AS incoming_assigned,
         count(*) FILTER (WHERE d.direction = 'INCOMING' AND d.status <> 'DA_VAO_SO'
           AND d.due_date < LEAST($3::date, CURRENT_DATE)
           AND (d.completed_at IS NULL OR d.completed_at::date > LEAST($3::date, CURRENT_DATE))) AS incoming_overdue
       FROM scope s JOIN public_documents d ON d.agency_code = s.code
       WHERE d.issued_date BETWEEN $2::date AND $3::date
       GROUP BY s.root
     )
     SELECT r.code AS "agencyCode",
       coalesce(c.outgoing_total, 0) AS "outgoingTotal",
       coalesce(c.outgoing_electronic, 0) AS "outgoingElectronic",
       round(c.outgoing_electronic::numeric / nullif(c.outgoing_total, 0), 4) AS "electronicRatio",
       coalesce(c.electronic_total, 0) AS "electronicTotal",
       coalesce(c.digitally_signed, 0) AS "digitallySigned",
       round(c.digitally_signed::numeric / nullif(c.electronic_total, 0), 4) AS "digitallySignedRatio",
       coalesce(c.incoming_total, 0) AS "incomingTotal",
       coalesce(c.incoming_assigned, 0) AS "incomingAssigned",
       coalesce(c.incoming_overdue, 0) AS "incomingOverdue",
       round(c.incoming_overdue::numeric / nullif(c.incoming_assigned, 0), 4) AS "overdueRatio"
     FROM unnest($1::text[]) AS r(code) LEFT JOIN counts c ON c.agency_code = r.code`,
    [codes, q.from, q.to, scope.roots, scope.codes],
  );
}
