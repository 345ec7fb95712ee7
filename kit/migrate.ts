/**
 * Versioned SQL migrations: every `NNN_name.sql` file in a folder, applied in order at start-up, each in
 * its own transaction, recorded in `schema_migrations`. An advisory lock keeps two processes starting
 * against the same PostgreSQL database from applying the same migration twice.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from './db';

export async function migrate(db: Database, dir: string): Promise<string[]> {
  await db.exec(
    `CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
  );
  const files = readdirSync(dir)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort();
  const applied: string[] = [];
  for (const file of files) {
    const version = file.replace(/\.sql$/, '');
    const sql = readFileSync(path.join(dir, file), 'utf8');
    const didApply = await db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(7211)`);
      const done = await tx.query(`SELECT 1 FROM schema_migrations WHERE version = $1`, [version]);
      if (done.length) return false;
      await tx.exec(sql);
      await tx.query(`INSERT INTO schema_migrations (version) VALUES ($1)`, [version]);
      return true;
    });
    if (didApply) applied.push(version);
  }
  return applied;
}
