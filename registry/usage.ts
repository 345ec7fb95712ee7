/**
 * Usage-aware checks (issue 19): gateways report which schema coordinates (`Type.field`) each operation
 * of each client used, per day (migrations/002_usage.sql); a check then names, for each breaking
 * change, the clients and operations that used what it breaks in the last `windowDays` days. With
 * usage checks on, a breaking change nobody used passes; one somebody used fails the check.
 *
 * A change's coordinate matches a recorded one when they are equal, when the change is inside a used
 * field (`Query.permit.year`: an argument of the used `Query.permit`), or when a used field is inside
 * the change (`Permit`: a removed type whose fields were used).
 *
 * Trusted documents always count (migrations/003_trusted_documents.sql, documents.ts): each operation
 * of a client's registered manifest is a use of every coordinate it selects, matched the same way,
 * whatever the window and whether or not anything ran it.
 */
import type { Queryable } from '../kit/runtime/db';
import type { SchemaChange } from './check';

export interface UsageReport {
  /** YYYY-MM-DD (the gateway's UTC day). */
  day: string;
  client: string;
  operation: string;
  coordinates: string[];
  count: number;
}

export interface UsageUse {
  client: string;
  operation: string;
  /** Uses recorded in the window (0: a trusted document nothing ran in it). */
  count: number;
  /** The operation is one of the client's registered trusted documents. */
  trusted?: true;
}

/** SQL: the used coordinate `used` covers the changed coordinate `change` (equal, or one inside the other). */
const covers = (used: string, change: string) =>
  `(${used} = ${change} OR starts_with(${change}, ${used} || '.') OR starts_with(${used}, ${change} || '.'))`;

/** Most uses listed per change (the count of the rest is in `usedByMore`). */
const USES_LISTED = 10;

/** Adds the reports up in one statement (duplicates inside the batch are summed first). */
export async function recordUsage(
  db: Queryable,
  env: string,
  reports: readonly UsageReport[],
  retentionDays: number,
): Promise<number> {
  const rows = reports.flatMap((r) =>
    r.coordinates.map((c) => ({
      day: r.day,
      client: r.client,
      operation: r.operation,
      coordinate: c,
      count: r.count,
    })),
  );
  if (!rows.length) return 0;
  await db.query(
    `WITH batch AS (
       SELECT day::date, client, operation, coordinate, sum(count)::bigint AS count
         FROM jsonb_to_recordset($2::jsonb) AS x(day text, client text, operation text, coordinate text, count bigint)
        GROUP BY 1, 2, 3, 4),
     expired AS (DELETE FROM field_usage WHERE env = $1 AND day < current_date - $3::int)
     INSERT INTO field_usage (env, day, client, operation, coordinate, count)
     SELECT $1, day, client, operation, coordinate, count FROM batch
     ON CONFLICT (env, day, client, operation, coordinate) DO UPDATE SET count = field_usage.count + EXCLUDED.count`,
    [env, JSON.stringify(rows), retentionDays],
  );
  return rows.length;
}

/**
 * Each breaking change with who uses it: the trusted documents that select it, and the operations
 * recorded in the last `windowDays` days (two queries for all of the changes).
 */
export async function withUsage(
  db: Queryable,
  env: string,
  changes: readonly SchemaChange[],
  windowDays: number,
): Promise<SchemaChange[]> {
  const breaking = [
    ...new Set(changes.filter((c) => c.severity === 'breaking' && c.coordinate).map((c) => c.coordinate!)),
  ];
  if (!breaking.length) return [...changes];
  const rows = await db.query<{ change: string; client: string; operation: string; count: number }>(
    `SELECT c.change, u.client, u.operation, sum(u.count)::bigint AS count
       FROM unnest($2::text[]) AS c(change)
       JOIN field_usage u
         ON u.env = $1 AND u.day >= current_date - $3::int AND ${covers('u.coordinate', 'c.change')}
      GROUP BY 1, 2, 3 ORDER BY 1, 4 DESC, 2, 3`,
    [env, breaking, windowDays],
  );
  const trusted = await db.query<{ change: string; client: string; operation: string }>(
    `SELECT DISTINCT c.change, d.client, d.operation
       FROM unnest($2::text[]) AS c(change)
       JOIN trusted_documents d ON d.env = $1
      WHERE EXISTS (SELECT 1 FROM unnest(d.coordinates) AS u(coordinate) WHERE ${covers('u.coordinate', 'c.change')})
      ORDER BY 1, 2, 3`,
    [env, breaking],
  );
  // Trusted documents first (a definite use) with what ran of them in the window; then the recorded
  // uses of other operations, most used first.
  const key = (r: { change: string; client: string; operation: string }) =>
    `${r.change}\0${r.client}\0${r.operation}`;
  const counts = new Map(rows.map((r) => [key(r), Number(r.count)]));
  const trustedKeys = new Set(trusted.map(key));
  const uses = new Map<string, UsageUse[]>();
  for (const { change, ...use } of [
    ...trusted.map((r) => ({ ...r, count: counts.get(key(r)) ?? 0, trusted: true as const })),
    ...rows.filter((r) => !trustedKeys.has(key(r))).map((r) => ({ ...r, count: Number(r.count) })),
  ])
    uses.set(change, [...(uses.get(change) ?? []), use]);
  return changes.map((c) => {
    if (c.severity !== 'breaking' || !c.coordinate) return c;
    const all = uses.get(c.coordinate) ?? [];
    return { ...c, usedBy: all.slice(0, USES_LISTED), usedByMore: Math.max(0, all.length - USES_LISTED) };
  });
}

/** The reports a gateway may send at once: bounded so a report is one bounded statement. */
export const MAX_REPORTS = 5000;
export const MAX_COORDINATES = 2000;

/** How a check judges breaking changes (registry settings REGISTRY_USAGE_*). */
export interface CheckPolicy {
  /** On: a breaking change fails the check only if some client used it in the window. */
  usageChecks: boolean;
  windowDays: number;
}

export const STRICT: CheckPolicy = { usageChecks: false, windowDays: 30 };

/** The breaking changes that fail a check under `policy`. */
export function blocking(changes: readonly SchemaChange[], policy: CheckPolicy): SchemaChange[] {
  return changes.filter(
    (c) => c.severity === 'breaking' && (!policy.usageChecks || (c.usedBy?.length ?? 0) > 0),
  );
}

/** `portal: DossierStatus (trusted document)`, `portal: PermitView (12×)`, or both: one use for people. */
export function describeUse(use: UsageUse): string {
  const how = [...(use.count ? [`${use.count}×`] : []), ...(use.trusted ? ['trusted document'] : [])];
  return `${use.client}: ${use.operation} (${how.join(', ')})`;
}

/** `Permit.holder (used by portal: PermitView (12×))`: a blocking change for people. */
export function describeBlocking(change: SchemaChange): string {
  const where = change.coordinate ?? change.message;
  if (!change.usedBy?.length) return where;
  const uses = change.usedBy.map(describeUse).join(', ');
  return `${where} (used by ${uses}${change.usedByMore ? `, and ${change.usedByMore} more` : ''})`;
}
