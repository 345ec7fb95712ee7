/**
 * Bulk insert through `unnest` of one array parameter per column: one statement per chunk whatever the
 * row count, identical SQL on PGlite and PostgreSQL.
 */
import type { Queryable } from './db';

export interface Column {
  name: string;
  /** PostgreSQL element type, e.g. `text`, `int`, `bigint`, `date`, `timestamptz`, `boolean`. */
  type: string;
}

/** `columns('id:bigint', 'name:text')` — the column list in one line. */
export function columns(...specs: string[]): Column[] {
  return specs.map((spec) => {
    const [name, type] = spec.split(':');
    if (!name || !type) throw new Error(`bulk column spec "${spec}" is not name:type`);
    return { name, type };
  });
}

export async function bulkInsert(
  db: Queryable,
  table: string,
  columns: readonly Column[],
  rows: readonly (readonly unknown[])[],
  chunk = 5000,
): Promise<void> {
  const names = columns.map((c) => c.name).join(', ');
  const args = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
  const sql = `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${args})`;
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    await db.query(
      sql,
      columns.map((_, i) => part.map((r) => r[i] ?? null)),
    );
  }
}
