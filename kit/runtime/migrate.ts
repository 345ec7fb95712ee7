/**
 * Versioned SQL migrations per module: each module (the shared reference catalogue, a subgraph's own
 * tables…) has a namespace and a folder of `NNN_name.sql` files. Modules apply in the order given, their
 * files in name order, each file in its own transaction, recorded in `schema_migrations` under
 * (namespace, version) — so two modules may both have a `001_*.sql`. An advisory lock keeps two processes
 * starting against the same PostgreSQL database from applying the same migration twice.
 *
 * The kit's yearly partitioning (kit/runtime/partitions: SQL functions the other modules' migrations
 * call) is always applied first, and after every migration run this year's and next year's partitions
 * of the tables partitioned by year are created when missing (docs/database.md "Partitioning by year").
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from './db';
import { ensureYearPartitions, partitionsModule } from './partitions';

/** A set of tables with its own migrations, mounted into a subgraph's database. */
export interface DatabaseModule {
  /** Unique per database, e.g. `catalogue` or the subgraph's name. */
  namespace: string;
  /** Folder of `NNN_name.sql` files. */
  migrationsDir: string;
}

/** A migration that was applied now: `<namespace>/<version>`, e.g. `catalogue/001_reference_data`. */
export type AppliedMigration = `${string}/${string}`;

const NAMESPACE = /^[a-z][a-z0-9_-]*$/;

export async function migrate(db: Database, mounted: readonly DatabaseModule[]): Promise<AppliedMigration[]> {
  const modules = [partitionsModule, ...mounted.filter((m) => m.namespace !== partitionsModule.namespace)];
  const seen = new Set<string>();
  for (const m of modules) {
    if (!NAMESPACE.test(m.namespace)) throw new Error(`migration namespace "${m.namespace}" is not a-z0-9_-`);
    if (seen.has(m.namespace)) throw new Error(`migration namespace "${m.namespace}" is mounted twice`);
    seen.add(m.namespace);
  }
  await db.exec(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
       namespace  text NOT NULL,
       version    text NOT NULL,
       applied_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (namespace, version)
     )`,
  );
  const applied: AppliedMigration[] = [];
  for (const m of modules) {
    const files = readdirSync(m.migrationsDir)
      .filter((f) => /^\d+_.+\.sql$/.test(f))
      .sort();
    for (const file of files) {
      const version = file.replace(/\.sql$/, '');
      const sql = readFileSync(path.join(m.migrationsDir, file), 'utf8');
      const didApply = await db.transaction(async (tx) => {
        await tx.query(`SELECT pg_advisory_xact_lock(7211)`);
        const done = await tx.query(`SELECT 1 FROM schema_migrations WHERE namespace = $1 AND version = $2`, [
          m.namespace,
          version,
        ]);
        if (done.length) return false;
        await tx.exec(sql);
        await tx.query(`INSERT INTO schema_migrations (namespace, version) VALUES ($1, $2)`, [
          m.namespace,
          version,
        ]);
        return true;
      });
      if (didApply) applied.push(`${m.namespace}/${version}`);
    }
  }
  await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(7211)`);
    await ensureYearPartitions(tx);
  });
  return applied;
}
