/** Reads of the budgets subgraph: lines by id and by filter, entries, and per-agency aggregates. */
import { agencyScope, agencySubtree, rowCondition, scopeCte } from '../../../kit';
import type { Queryable, RowScope } from '../../../kit';
import type { BudgetDirection } from '../generated/graphql';
import { budgetLineView } from './tables';
import type { BudgetEntryRow, BudgetLineRow } from './tables';

export async function linesByIds(db: Queryable, ids: readonly number[]): Promise<BudgetLineRow[]> {
  return db.query<BudgetLineRow>(
    `SELECT ${budgetLineView.select('l')} FROM budget_line_view l WHERE l.id = ANY($1::bigint[])`,
    [ids],
  );
}

export async function entriesByLines(db: Queryable, ids: readonly number[]): Promise<BudgetEntryRow[]> {
  return db.query<BudgetEntryRow>(
    `SELECT line_id AS "lineId", kind, amount::text AS amount, entry_date AS date, note, recorded_at AS "recordedAt"
     FROM budget_entries WHERE line_id = ANY($1::bigint[]) ORDER BY line_id, id`,
    [ids],
  );
}

export interface LineFilter {
  agencyCode: string | null;
  includeSubordinates: boolean;
  fiscalYear: number | null;
  direction: BudgetDirection | null;
  chapter: string | null;
  section: string | null;
}

/** A page of the lines the caller may read (`allowed`, kit/runtime/access.ts) matching a filter, by id after `after`. */
export async function findLines(
  db: Queryable,
  f: LineFilter,
  page: { after: number | null; limit: number },
  allowed: RowScope,
): Promise<BudgetLineRow[]> {
  const params: unknown[] = [
    f.agencyCode,
    f.fiscalYear,
    f.direction,
    f.chapter,
    f.section,
    page.after,
    page.limit,
  ];
  const own = rowCondition(allowed, { agency: 'l.agency_code' }, params);
  const scope = f.agencyCode
    ? f.includeSubordinates
      ? `AND l.agency_code IN (SELECT s.code FROM ${agencySubtree('$1::text')} AS s(code))`
      : 'AND l.agency_code = $1::text'
    : 'AND $1::text IS NULL';
  return db.query<BudgetLineRow>(
    `SELECT ${budgetLineView.select('l')} FROM budget_line_view l
     WHERE ($2::int IS NULL OR l.fiscal_year = $2) ${scope}
       AND ($3::text IS NULL OR l.direction = $3) AND ($4::text IS NULL OR l.chapter = $4)
       AND ($5::text IS NULL OR l.section_code = $5) AND ($6::bigint IS NULL OR l.id > $6)
       ${own ? `AND ${own}` : ''}
     ORDER BY l.id LIMIT $7`,
    params,
  );
}

/** Sums of one agency's (or subtree's) lines for a year, per direction, expenditure group and section. */
export interface AggregateRow {
  agencyCode: string;
  direction: BudgetDirection;
  expenditureGroup: string | null;
  sectionCode: string;
  lineCount: number;
  initialEstimate: string;
  currentEstimate: string;
  executed: string;
  finalAccounts: string;
}

export interface AggregateQuery {
  year: number;
  includeSubordinates: boolean;
}

/** One statement for any number of agencies (roots). */
export async function aggregates(
  db: Queryable,
  codes: readonly string[],
  q: AggregateQuery,
): Promise<AggregateRow[]> {
  const scope = await agencyScope(db, codes, q.includeSubordinates);
  return db.query<AggregateRow>(
    `WITH ${scopeCte('$1', '$3')}
     SELECT s.root AS "agencyCode", l.direction, l.expenditure_group AS "expenditureGroup",
       l.section_code AS "sectionCode", count(*)::int AS "lineCount",
       sum(l.initial_estimate)::text AS "initialEstimate",
       sum(coalesce(l.adjusted_estimate, l.initial_estimate))::text AS "currentEstimate",
       sum(l.executed)::text AS "executed",
       coalesce(sum(l.final_accounts), 0)::text AS "finalAccounts"
     FROM scope s JOIN budget_lines l ON l.agency_code = s.code AND l.fiscal_year = $2
     GROUP BY 1, 2, 3, 4`,
    [scope.roots, q.year, scope.codes],
  );
}
