/**
 * The budgets subgraph's tables, each declared once (kit/runtime/table.ts). Amounts are bigint VND in the
 * database; they are written from decimal strings and read through `budget_line_view`, which selects
 * them as text, because kit/runtime/db.ts reads int8 as JS numbers (exact only below 2^53).
 */
import { bigint, date, int, table, text, timestamptz } from '../../../kit';
import type { Column, RowOf } from '../../../kit';
import type { BudgetDirection, BudgetEntryKind, BudgetLevel, ExpenditureGroup } from '../generated/graphql';

/** An amount column written from a decimal string (cast to bigint by the bulk insert). */
const vnd = (): Column<string> => bigint() as unknown as Column<string>;

const classification = {
  agencyCode: text(),
  fiscalYear: int(),
  direction: text<BudgetDirection>(),
  expenditureGroup: text<ExpenditureGroup>().nullable(),
  chapter: text(),
  typeCode: text(),
  clauseCode: text(),
  sectionCode: text(),
  subsectionCode: text(),
  description: text(),
};

/** For inserts. */
export const budgetLines = table('budget_lines', {
  id: bigint().generated(),
  ...classification,
  initialEstimate: vnd(),
  adjustedEstimate: vnd().nullable(),
  executed: vnd(),
  finalAccounts: vnd().nullable(),
});

/** For reads: amounts as decimal strings. */
export const budgetLineView = table('budget_line_view', {
  id: bigint(),
  ...classification,
  budgetLevel: text<BudgetLevel>(),
  initialEstimate: text(),
  adjustedEstimate: text().nullable(),
  executed: text(),
  finalAccounts: text().nullable(),
});

export const budgetEntries = table('budget_entries', {
  id: bigint().generated(),
  lineId: bigint(),
  kind: text<BudgetEntryKind>(),
  amount: vnd(),
  date: date().as('entry_date'),
  note: text().nullable(),
  recordedAt: timestamptz().generated(),
});

export type BudgetLineRow = RowOf<typeof budgetLineView>;
export type BudgetEntryInsert = RowOf<typeof budgetEntries>;
/** An entry as read (amount as text). */
export interface BudgetEntryRow {
  lineId: number;
  kind: BudgetEntryKind;
  amount: string;
  date: string;
  note: string | null;
  recordedAt: string;
}
