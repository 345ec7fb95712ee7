/**
 * Bulk loads into freshly migrated tables (seeds): maintaining every secondary index and checking every
 * foreign key row by row costs several times the insert itself at a million rows. `bulkLoad` reads the
 * tables' secondary indexes and foreign keys from the catalogue (so nothing is declared twice: the
 * migrations stay the one definition), drops them, runs the load, then builds each index in one sort
 * and validates each foreign key in one pass. Primary keys and unique constraints stay: ids given by a
 * seed are still checked as they arrive. Meant for a transaction on a database nobody serves yet.
 */
import type { Queryable } from './db';

interface Definition {
  table: string;
  name: string;
  def: string;
}

/** Runs `load` with the secondary indexes and foreign keys of `tables` dropped, then restores them. */
export async function bulkLoad<T>(
  tx: Queryable,
  tables: readonly string[],
  load: () => Promise<T>,
): Promise<T> {
  // Indexes that back no constraint (CREATE [UNIQUE] INDEX in a migration).
  const indexes = await tx.query<Definition>(
    `SELECT c.relname AS "table", i.relname AS name, pg_get_indexdef(i.oid) AS def
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
     WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1::text[])
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.oid)
     ORDER BY i.relname`,
    [tables],
  );
  const foreignKeys = await tx.query<Definition>(
    `SELECT c.relname AS "table", k.conname AS name, pg_get_constraintdef(k.oid) AS def
     FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
     WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1::text[])
       -- not the copies PostgreSQL keeps of a key referencing a partitioned table (one per partition):
       -- they go and come back with it
       AND k.conparentid = 0
     ORDER BY c.relname, k.conname`,
    [tables],
  );
  const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;
  const statements = [
    ...foreignKeys.map((f) => `ALTER TABLE ${ident(f.table)} DROP CONSTRAINT ${ident(f.name)};`),
    ...indexes.map((i) => `DROP INDEX ${ident(i.name)};`),
  ];
  if (statements.length) await tx.exec(statements.join('\n'));
  const result = await load();
  const restore = [
    // Index builds sort in memory up to this (the server's default of 64 MB spills a million rows).
    `SET LOCAL maintenance_work_mem = '256MB';`,
    // A partitioned table's index reads `ON ONLY <table>` (the parent alone): built on every partition here.
    ...indexes.map((i) => `${i.def.replace(/ ON ONLY /, ' ON ')};`),
    ...foreignKeys.map((f) => `ALTER TABLE ${ident(f.table)} ADD CONSTRAINT ${ident(f.name)} ${f.def};`),
  ];
  await tx.exec(restore.join('\n'));
  // The partitions' indexes were just built under PostgreSQL's names: back to kit/runtime/partitions' ones.
  if (indexes.some((i) => / ON ONLY /.test(i.def)))
    await tx.query(
      `SELECT year_partitions_name_indexes(table_name) FROM year_partitioned_tables WHERE table_name = ANY($1::text[])`,
      [tables],
    );
  return result;
}
