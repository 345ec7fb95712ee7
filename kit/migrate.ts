/**
 * Versioned SQL migrations per database module: every `NNN_name.sql` file of a module's folder, applied
 * in order at start-up, each in its own transaction, recorded in `schema_migrations` under the module's
 * namespace — so the shared reference catalogue and a subgraph can both have a `001_*.sql`. An advisory
 * lock keeps two processes starting against the same database from applying the same migration twice.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from './db';

/** A set of tables one part of the code owns in a subgraph's database. */
export interface DatabaseModule {
  readonly namespace: string;
  readonly migrationsDir: string;
}

/** Applies pending migrations of each module, modules in the order given; returns `namespace/version`s. */
export async function migrate(db: Database, modules: readonly DatabaseModule[]): Promise<string[]> {
  await db.exec(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
       namespace text NOT NULL, version text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (namespace, version))`,
  );
  const applied: string[] = [];
  for (const { namespace, migrationsDir } of modules) {
    const files = readdirSync(migrationsDir)
      .filter((f) => /^\d+_.+\.sql$/.test(f))
      .sort();
    for (const file of files) {
      const version = file.replace(/\.sql$/, '');
      const sql = readFileSync(path.join(migrationsDir, file), 'utf8');
      const didApply = await db.transaction(async (tx) => {
        await tx.query(`SELECT pg_advisory_xact_lock(7211)`);
        const done = await tx.query(`SELECT 1 FROM schema_migrations WHERE namespace = $1 AND version = $2`, [
          namespace,
          version,
        ]);
        if (done.length) return false;
        await tx.exec(sql);
        await tx.query(`INSERT INTO schema_migrations (namespace, version) VALUES ($1, $2)`, [
          namespace,
          version,
        ]);
        return true;
      });
      if (didApply) applied.push(`${namespace}/${version}`);
    }
  }
  return applied;
}
