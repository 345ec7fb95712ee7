/**
 * The org_root step of the national case (docs/citus.md "Status"), for the tests that migrate a seeded
 * database from the schema before it (test/org-root-*.int.test.ts): the old database, each row's
 * org_root against its agency's province, and the keys as the catalogue defines them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Database } from '../../kit/runtime/db';
import type { DatabaseModule } from '../../kit/runtime/migrate';
import type { SubgraphModule } from '../../kit/runtime/define';
import { createTestDatabase, startTestSubgraph } from '../../kit/testing';
import type { TestSubgraph, TestSubgraphOptions } from '../../kit/testing';
import { modulesBefore } from './schemaHistory';

/** The org_root step: these files and every later one of their namespace make the schema "after". */
export const ORG_ROOT = [
  'catalogue/004_org_root.sql',
  'dossiers/007_org_root.sql',
  'documents/008_org_root.sql',
  'budgets/002_org_root.sql',
  'ict/002_org_root.sql',
];

// The modules as they were before the org_root step: copies in a folder removed after the file's tests.
const scratch = mkdtempSync(path.join(tmpdir(), 'govgraph-org-root-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const before = (modules: readonly DatabaseModule[]) => modulesBefore(modules, ORG_ROOT, scratch);

/** The province of every agency: the right-most group of the code at the top of its tree. */
const PROVINCES = `WITH RECURSIVE up(code, top) AS (
    SELECT code, code FROM agencies WHERE parent_code IS NULL
    UNION ALL SELECT a.code, up.top FROM agencies a JOIN up ON a.parent_code = up.code)
  SELECT code, substring(top FROM '[A-Z][0-9A-Z]{2}$') AS province FROM up`;

/**
 * Per table: its rows, how many have no org_root, and how many have one other than the province of
 * `agency` (an SQL expression over `t` and the joins in `from`).
 */
export async function orgRoots(
  db: Database,
  checks: Record<string, { agency: string; from?: string }>,
): Promise<Record<string, { rows: number; missing: number; wrong: number }>> {
  const out: Record<string, { rows: number; missing: number; wrong: number }> = {};
  for (const [table, { agency, from = '' }] of Object.entries(checks)) {
    const [r] = await db.query<{ rows: number; missing: number; wrong: number }>(
      `WITH p AS (${PROVINCES})
       SELECT count(*)::int AS rows, count(*) FILTER (WHERE t.org_root IS NULL)::int AS missing,
              count(*) FILTER (WHERE t.org_root IS DISTINCT FROM p.province)::int AS wrong
         FROM ${table} t ${from} LEFT JOIN p ON p.code = ${agency}`,
    );
    out[table] = r!;
  }
  return out;
}

/** Primary keys, unique constraints and foreign keys of the tables, as pg_constraint defines them. */
export async function keys(db: Database, tables: readonly string[]): Promise<string[]> {
  const rows = await db.query<{ k: string }>(
    `SELECT c.relname || ' ' || k.conname || ': ' || pg_get_constraintdef(k.oid) AS k
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
      WHERE c.relname = ANY($1::text[]) AND k.contype IN ('p', 'u', 'f') AND k.conparentid = 0
      ORDER BY 1`,
    [tables],
  );
  return rows.map((r) => r.k);
}

/** A fresh database at the schema before the org_root step, seeded; `write` runs on it; then it stops. */
export async function oldDatabase<L>(
  mod: SubgraphModule<L>,
  write: (sub: TestSubgraph) => Promise<void>,
  opts: TestSubgraphOptions = {},
) {
  const db = await createTestDatabase();
  const kept = Object.create(db, { close: { value: async () => undefined } }) as typeof db;
  const sub = await startTestSubgraph(
    { ...mod, databaseModules: before(mod.databaseModules) },
    { ...opts, db: kept, scale: 0.05 },
  );
  await write(sub);
  return { db, sub };
}

/** Unique indexes of a table (the number keys of document_keys are indexes, not constraints). */
export async function uniqueIndexes(db: Database, table: string): Promise<string[]> {
  const rows = await db.query<{ def: string }>(
    `SELECT pg_get_indexdef(x.indexrelid) AS def FROM pg_index x
      WHERE x.indrelid = $1::regclass AND x.indisunique ORDER BY 1`,
    [table],
  );
  return rows.map((r) => r.def);
}
