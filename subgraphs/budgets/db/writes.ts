/**
 * Writes of the budgets subgraph: an adjustment or an execution entry on a line, in one transaction
 * with its journal entry. The line is locked first; the new amount is computed in BigInt and checked
 * (never negative, within bigint) before anything is written, and the table's CHECKs back that up.
 * An execution entry emits `BudgetExecutionPosted` (docs/events.md) in the same transaction.
 */
import { badInput, emitEvent, insertOne, notFound } from '../../../kit';
import type { Database } from '../../../kit';
import type { BudgetEntryKind } from '../generated/graphql';
import { budgetEntries } from './tables';

const INT8_MAX = 9_223_372_036_854_775_807n;

export interface EntryInput {
  lineId: number;
  kind: BudgetEntryKind;
  amount: bigint;
  date: string;
  note: string | null;
}

export async function recordEntry(db: Database, e: EntryInput): Promise<void> {
  await db.transaction(async (tx) => {
    const [line] = await tx.query<{
      agencyCode: string;
      fiscalYear: number;
      current: string;
      executed: string;
    }>(
      `SELECT agency_code AS "agencyCode", fiscal_year AS "fiscalYear", coalesce(adjusted_estimate, initial_estimate)::text AS current,
         executed::text AS executed
       FROM budget_lines WHERE id = $1 FOR UPDATE`,
      [e.lineId],
    );
    if (!line) throw notFound(`Budget line ${e.lineId}`);
    const open = `${line.fiscalYear}-01-01`;
    const close = `${line.fiscalYear + 1}-01-31`;
    if (e.date < open || e.date > close)
      throw badInput(
        'input.date',
        `${e.date} is outside fiscal year ${line.fiscalYear}'s open period (${open} – ${close})`,
      );
    const adjusting = e.kind === 'DIEU_CHINH';
    const before = BigInt(adjusting ? line.current : line.executed);
    const after = before + e.amount;
    const what = adjusting ? 'the estimate in force' : 'executed to date';
    if (after < 0n)
      throw badInput('input.amount', `would make ${what} negative (${before} + ${e.amount} VND)`);
    if (after > INT8_MAX) throw badInput('input.amount', `would make ${what} exceed the bigint range`);
    await tx.query(
      adjusting
        ? 'UPDATE budget_lines SET adjusted_estimate = $2::bigint WHERE id = $1'
        : 'UPDATE budget_lines SET executed = $2::bigint WHERE id = $1',
      [e.lineId, after.toString()],
    );
    const entry = await insertOne(tx, budgetEntries, {
      lineId: e.lineId,
      kind: e.kind,
      amount: e.amount.toString(),
      date: e.date,
      note: e.note,
    });
    if (!adjusting)
      await emitEvent(tx, {
        type: 'BudgetExecutionPosted',
        entity: { typename: 'BudgetLine', key: { id: String(e.lineId) } },
        agencyCode: line.agencyCode,
        data: {
          lineId: String(e.lineId),
          entryId: String(entry.id),
          fiscalYear: line.fiscalYear,
          // VND as decimal strings: exact beyond 2^53, like the graph's Vnd scalar.
          amount: e.amount.toString(),
          executed: after.toString(),
          date: e.date,
        },
      });
  });
}
