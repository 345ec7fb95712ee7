/**
 * Times the org_root step (docs/citus.md "Status") on a large dossiers database: a database at the
 * schema before it (every migration before dossiers/007_org_root.sql and catalogue/004_org_root.sql) is
 * seeded at DOSSIERS_SEED_SCALE (21 ≈ 1M dossiers), its rows fingerprinted (count and checksum, less
 * org_root), then the real migrations run; the script prints their time, compares the fingerprints and
 * counts the rows whose org_root is missing or not their agency's. One-off measurement, not a test:
 *
 *   ORG_ROOT_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DOSSIERS_SEED_SCALE=21 \
 *     node --import tsx scripts/measure-org-root-migration.ts
 *
 * It creates (and at the end drops) the database `govgraph_org_root_measure` on that server.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../kit/runtime/db';
import type { Database } from '../kit/runtime/db';
import { migrate } from '../kit/runtime/migrate';
import type { DatabaseModule } from '../kit/runtime/migrate';
import { dossiers } from '../subgraphs/dossiers/subgraph';

const FIRSTS: Record<string, string> = { catalogue: '004_org_root.sql', dossiers: '007_org_root.sql' };
const TABLES = [
  'dossiers',
  'dossier_keys',
  'dossier_steps',
  'dossier_supplements',
  'dossier_apologies',
  'portal_sync_outbox',
  'dossier_code_counters',
  'online_service_plans',
];

function before(modules: readonly DatabaseModule[], scratch: string): DatabaseModule[] {
  return modules.map((m) => {
    const dir = path.join(scratch, m.namespace);
    mkdirSync(dir, { recursive: true });
    for (const f of readdirSync(m.migrationsDir).filter((f) => f.endsWith('.sql')))
      if (!FIRSTS[m.namespace] || f < FIRSTS[m.namespace]!)
        copyFileSync(path.join(m.migrationsDir, f), path.join(dir, f));
    return { namespace: m.namespace, migrationsDir: dir };
  });
}

async function fingerprint(db: Database): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of TABLES) {
    const [r] = await db.query<{ n: string; sum: string | null }>(
      `SELECT count(*) AS n, sum(hashtextextended((to_jsonb(t) - 'org_root')::text, 0))::text AS sum FROM ${t} t`,
    );
    out[t] = `${r!.n} rows, checksum ${r!.sum}`;
  }
  return out;
}

const sizes = (db: Database) =>
  db.query<{ relname: string; size: string }>(
    `SELECT relname, pg_size_pretty(pg_total_relation_size(oid) + coalesce((SELECT sum(pg_total_relation_size(i.inhrelid))
        FROM pg_inherits i WHERE i.inhparent = c.oid), 0)::bigint) AS size
       FROM pg_class c WHERE relname = ANY($1::text[]) AND relkind IN ('r', 'p') ORDER BY relname`,
    [TABLES],
  );

async function main(): Promise<void> {
  const server = process.env.ORG_ROOT_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const scale = Number(process.env.DOSSIERS_SEED_SCALE ?? '21');
  const name = 'govgraph_org_root_measure';
  const admin = await openDatabase({
    url: server,
    poolSize: 1,
    statementTimeoutMs: 0,
    transactionTimeoutMs: 0,
  });
  await admin.exec(`DROP DATABASE IF EXISTS ${name}`);
  await admin.exec(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const db = await openDatabase({
    url: url.toString(),
    poolSize: 2,
    statementTimeoutMs: 0,
    transactionTimeoutMs: 0,
  });
  const scratch = mkdtempSync(path.join(tmpdir(), 'govgraph-org-root-measure-'));
  const log = (s: string) => process.stdout.write(`${new Date().toISOString()} ${s}\n`);
  try {
    const [{ version }] = (await db.query<{ version: string }>(
      `SELECT current_setting('server_version') AS version`,
    )) as [{ version: string }];
    log(`PostgreSQL ${version}; seeding dossiers at scale ${scale} on the schema before org_root`);
    await migrate(db, before(dossiers.databaseModules, scratch));
    let t = Date.now();
    await dossiers.seed(db, scale);
    log(`seeded in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    await db.exec(`VACUUM ANALYZE`);
    const rows = await fingerprint(db);
    log(JSON.stringify(rows));
    log(`sizes before: ${JSON.stringify(await sizes(db))}`);
    t = Date.now();
    const applied = await migrate(db, dossiers.databaseModules);
    log(`migrated ${applied.join(', ')} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const after = await fingerprint(db);
    log(`rows equal: ${JSON.stringify(after) === JSON.stringify(rows)}`);
    const [bad] = await db.query(
      `SELECT (SELECT count(*) FROM dossiers WHERE org_root IS DISTINCT FROM agency_org_root(agency_code))::int AS dossiers,
              (SELECT count(*) FROM dossier_steps s JOIN dossiers d ON d.id = s.dossier_id
                WHERE s.org_root IS DISTINCT FROM d.org_root)::int AS steps`,
    );
    log(`rows whose org_root is missing or not their agency's: ${JSON.stringify(bad)}`);
    log(`sizes after: ${JSON.stringify(await sizes(db))}`);
    await db.exec(`VACUUM ANALYZE`);
    log(`sizes after VACUUM: ${JSON.stringify(await sizes(db))}`);
    // The seed on the new schema: every row through the BEFORE INSERT triggers.
    if (process.env.ORG_ROOT_SEED_AFTER) {
      await db.exec(`DROP SCHEMA public CASCADE; CREATE SCHEMA public`);
      await migrate(db, dossiers.databaseModules);
      t = Date.now();
      await dossiers.seed(db, scale);
      log(`seeded on the new schema in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
  } finally {
    await db.close();
    if (!process.env.ORG_ROOT_KEEP) await admin.exec(`DROP DATABASE IF EXISTS ${name}`);
    await admin.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
