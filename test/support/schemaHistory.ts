/**
 * An earlier schema of a subgraph's database, for tests that migrate an existing database in place
 * (test/partition-migration.int.test.ts, test/org-root-migration.int.test.ts): the modules as they were
 * before given migrations, and a fingerprint of tables' rows to compare before and after.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Database, Queryable } from '../../kit/runtime/db';
import { ROOT } from '../../schema/registry';
import type { DatabaseModule } from '../../kit/runtime/migrate';

/**
 * The modules as they were before `firsts` (`<namespace>/<file>.sql`): copies of their folders in
 * `scratch` without that file and every later one of its namespace. Other namespaces are copied whole.
 */
export function modulesBefore(
  modules: readonly DatabaseModule[],
  firsts: readonly string[],
  scratch: string,
): DatabaseModule[] {
  return modules.map((m) => {
    const first = firsts.find((f) => f.startsWith(`${m.namespace}/`))?.slice(m.namespace.length + 1);
    const dir = path.join(scratch, m.namespace);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const f of readdirSync(m.migrationsDir).filter((f) => f.endsWith('.sql'))) {
      if (first !== undefined && f >= first) continue;
      copyFileSync(path.join(m.migrationsDir, f), path.join(dir, f));
    }
    return { namespace: m.namespace, migrationsDir: dir };
  });
}

/**
 * Count and an order-independent checksum of every row of each table: the row as JSON (every column,
 * generated ones included, by name, so a column's position does not matter) less the columns named in
 * `except` — a column a migration adds, so the rows it kept compare equal.
 */
export async function fingerprint(
  db: Database,
  tables: readonly string[],
  except: readonly string[] = [],
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of tables) {
    const [r] = await db.query<{ n: string; sum: string | null }>(
      `SELECT count(*) AS n, sum(hashtextextended((to_jsonb(t) - $1::text[])::text, 0))::text AS sum FROM ${t} t`,
      [except],
    );
    out[t] = `${r!.n} rows, checksum ${r!.sum}`;
  }
  return out;
}

/**
 * This checkout's dossierStats reads the longest stay through `dossier_longest_stay()` (dossiers
 * migration 008), which an old schema lacks: the migration's own function stands in for it while the
 * old database is read (the migration replaces it, `CREATE OR REPLACE`).
 */
export async function longestStayStandIn(adminDb: Queryable): Promise<void> {
  await adminDb.exec(
    readFileSync(path.join(ROOT, 'subgraphs/dossiers/db/migrations/008_longest_stay.sql'), 'utf8'),
  );
}
