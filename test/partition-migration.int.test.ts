/**
 * Partitioning by year converts an existing database in place (docs/database.md "Partitioning by
 * year"): a dossiers and a documents database are migrated to the schema before it (every migration
 * but the ones that partition), seeded and written to through the graph there, then migrated by the
 * real migrations. Every row is still there, unchanged (count and checksum of each table, the audit
 * chain verifying to the same head), the ids go on from where they were, nothing fell into a default
 * partition, and the subgraph answers the same queries with the same figures and takes new mutations.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { verifyChain } from '../kit/runtime/auditlog';
import type { Database } from '../kit/runtime/db';
import type { DatabaseModule } from '../kit/runtime/migrate';
import { callers, createTestDatabase, startTestSubgraph } from '../kit/testing';
import type { TestDatabase, TestSubgraph } from '../kit/testing';
import type { SubgraphModule } from '../kit/runtime/define';
import { dossiers } from '../subgraphs/dossiers/subgraph';
import { LAP_THACH, RECEIVE, receiveInput } from '../subgraphs/dossiers/test/support/fixtures';

/** The migrations that partition: the schema "before" is every other one. */
const PARTITIONING = new Set([
  'audit/003_audit_log_partitioned.sql',
  'dossiers/006_dossiers_partitioned.sql',
  'documents/007_documents_partitioned.sql',
]);

const scratch = mkdtempSync(path.join(tmpdir(), 'govgraph-partition-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The modules as they were before partitioning: copies of their folders without those migrations. */
function before(modules: readonly DatabaseModule[]): DatabaseModule[] {
  return modules.map((m) => {
    const dir = path.join(scratch, m.namespace);
    rmSync(dir, { recursive: true, force: true });
    for (const f of readdirSync(m.migrationsDir).filter((f) => f.endsWith('.sql'))) {
      if (PARTITIONING.has(`${m.namespace}/${f}`)) continue;
      mkdirSync(dir, { recursive: true });
      copyFileSync(path.join(m.migrationsDir, f), path.join(dir, f));
    }
    return { namespace: m.namespace, migrationsDir: dir };
  });
}

/** Count and an order-independent checksum of every row (its text, generated columns included). */
async function fingerprint(db: Database, tables: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of tables) {
    const [r] = await db.query<{ n: string; sum: string | null }>(
      `SELECT count(*) AS n, sum(hashtextextended(t::text, 0))::text AS sum FROM ${t} t`,
    );
    out[t] = `${r!.n} rows, checksum ${r!.sum}`;
  }
  return out;
}

const relkinds = (db: Database, tables: string[]) =>
  db.query<{ relname: string; relkind: string }>(
    `SELECT relname, relkind FROM pg_class WHERE relname = ANY($1::text[]) ORDER BY relname`,
    [tables],
  );

/**
 * A subgraph started at the old schema on a fresh database, seeded; `write` runs against it, then it
 * stops. The database stays, for the next version to start on.
 */
async function oldDatabase<L>(
  mod: SubgraphModule<L>,
  write: (sub: TestSubgraph) => Promise<void>,
): Promise<{ db: TestDatabase; sub: TestSubgraph }> {
  const db = await createTestDatabase();
  const kept = Object.create(db, { close: { value: async () => undefined } }) as TestDatabase;
  const sub = await startTestSubgraph(
    { ...mod, databaseModules: before(mod.databaseModules) },
    { db: kept, scale: 0.05 },
  );
  await write(sub);
  return { db, sub };
}

describe('dossiers', () => {
  const TABLES = ['dossiers', 'dossier_steps', 'dossier_supplements', 'portal_sync_outbox', 'audit_log'];
  const STATS = `query($reps: [_Any!]!, $p: PeriodInput!) { _entities(representations: $reps) {
    ... on Agency { code dossierStats(period: $p, includeSubordinates: true) { carriedOver received resolved
      resolvedLate inProcessOverdue withdrawn onTimeRatio onlineRatio } } } }`;
  const statsVars = {
    reps: [{ __typename: 'Agency', code: LAP_THACH }],
    p: { from: '2024-01-01', to: '2024-12-31' },
  };
  let sub: TestSubgraph;

  afterAll(async () => {
    await sub?.close();
  });

  test('converted in place: every row kept, the chain verifies, the same answers, new writes', async () => {
    let receivedCode = '';
    const old = await oldDatabase(dossiers, async (s) => {
      const r = await s.gql(RECEIVE, { input: receiveInput() }, callers.official(LAP_THACH));
      expect(r.errors).toBeUndefined();
      receivedCode = r.data!.receiveDossier.code as string;
    });
    const oldDb = old.sub.adminDb;
    expect(await relkinds(oldDb, ['dossiers', 'audit_log'])).toEqual([
      { relname: 'audit_log', relkind: 'r' },
      { relname: 'dossiers', relkind: 'r' },
    ]);
    const rows = await fingerprint(oldDb, TABLES);
    const stats = await old.sub.gql(STATS, statsVars, callers.analyst);
    expect(stats.errors).toBeUndefined();
    const chain = await verifyChain(oldDb);
    expect(chain.ok).toBe(true);
    expect(chain.entries).toBeGreaterThan(0);
    const [{ maxId }] = (await oldDb.query<{ maxId: string }>(
      `SELECT max(id)::text AS "maxId" FROM dossiers`,
    )) as [{ maxId: string }];
    // The subgraph stops; the next version starts on the same database and migrates it.
    await old.sub.close();
    sub = await startTestSubgraph(dossiers, { db: old.db, scale: 0 });
    const db = sub.adminDb;
    expect(await relkinds(db, ['dossiers', 'audit_log', 'dossier_keys'])).toEqual([
      { relname: 'audit_log', relkind: 'p' },
      { relname: 'dossier_keys', relkind: 'r' },
      { relname: 'dossiers', relkind: 'p' },
    ]);
    expect(await fingerprint(db, TABLES)).toEqual(rows);
    expect(await verifyChain(db)).toEqual(chain);
    // Every row in its year's partition: the defaults are empty.
    for (const t of ['dossiers_default', 'audit_log_default'])
      expect(await db.query(`SELECT count(*)::int AS n FROM ${t}`)).toEqual([{ n: 0 }]);
    const [{ n2013 }] = (await db.query<{ n2013: number }>(
      `SELECT count(*)::int AS n2013 FROM dossiers_2013`,
    )) as [{ n2013: number }];
    expect(n2013).toBeGreaterThan(0);

    // The same figures, the old dossier found by its code, and a new receipt numbered after the old ids.
    expect(await sub.gql(STATS, statsVars, callers.analyst)).toEqual(stats);
    const status = await sub.gql(`query($c: String!) { dossierStatus(code: $c) { status receivedAt } }`, {
      c: receivedCode,
    });
    expect(status).toEqual({
      data: { dossierStatus: { status: 'DUOC_TIEP_NHAN', receivedAt: '2024-02-07T03:00:00.000Z' } },
    });
    const r = await sub.gql(RECEIVE, { input: receiveInput() }, callers.official(LAP_THACH));
    expect(r.errors).toBeUndefined();
    const [fresh] = await db.query<{ id: string; inKeys: boolean }>(
      `SELECT d.id::text, EXISTS (SELECT 1 FROM dossier_keys k WHERE k.id = d.id AND k.code = d.code) AS "inKeys"
         FROM dossiers d WHERE code = $1`,
      [r.data!.receiveDossier.code],
    );
    expect(BigInt(fresh!.id)).toBe(BigInt(maxId) + 1n);
    expect(fresh!.inKeys).toBe(true);
    expect((await verifyChain(db)).ok).toBe(true);
    // A step for a dossier that does not exist is still refused by the foreign key.
    await expect(
      db.query(
        `INSERT INTO dossier_steps (dossier_id, seq, at, official_name, unit_name, action, status)
         VALUES (-1, 1, now(), 'x', 'x', 'x', 'x')`,
      ),
    ).rejects.toThrow(/dossier_steps_dossier_id_fkey/);
  }, 300_000);
});
