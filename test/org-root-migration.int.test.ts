/**
 * The org_root step of the national case (docs/citus.md "Status"): a database at the schema before it
 * (every migration before `org_root`), seeded and written to through the graph, is migrated by the real
 * migrations. Every row is kept (count and checksum of each table, less the new column), every row's
 * org_root is filled and is the province (the top of the agency tree) of the agency it belongs to, the
 * keys and foreign keys include it (read from pg_constraint), the subgraph answers the same, and new
 * writes — which do not name the column — get it from the triggers; a wrong one is refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Database } from '../kit/runtime/db';
import type { DatabaseModule } from '../kit/runtime/migrate';
import type { SubgraphModule } from '../kit/runtime/define';
import { callers, createTestDatabase, startTestSubgraph } from '../kit/testing';
import type { TestSubgraph } from '../kit/testing';
import { dossiers } from '../subgraphs/dossiers/subgraph';
import { LAP_THACH, RECEIVE, receiveInput } from '../subgraphs/dossiers/test/support/fixtures';
import { fingerprint, modulesBefore } from './support/schemaHistory';

/** The org_root step: these files and every later one of their namespace make the schema "after". */
const ORG_ROOT = ['catalogue/004_org_root.sql', 'dossiers/007_org_root.sql'];

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
async function orgRoots(
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
async function keys(db: Database, tables: readonly string[]): Promise<string[]> {
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
async function oldDatabase<L>(mod: SubgraphModule<L>, write: (sub: TestSubgraph) => Promise<void>) {
  const db = await createTestDatabase();
  const kept = Object.create(db, { close: { value: async () => undefined } }) as typeof db;
  const sub = await startTestSubgraph(
    { ...mod, databaseModules: before(mod.databaseModules) },
    { db: kept, scale: 0.05 },
  );
  await write(sub);
  return { db, sub };
}

describe('dossiers', () => {
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
  const byDossier = { agency: 'd.agency_code', from: 'JOIN dossiers d ON d.id = t.dossier_id' };
  const CHECKS = {
    dossiers: { agency: 't.agency_code' },
    dossier_keys: { agency: 'd.agency_code', from: 'JOIN dossiers d ON d.id = t.id' },
    dossier_steps: byDossier,
    dossier_supplements: byDossier,
    dossier_apologies: byDossier,
    portal_sync_outbox: byDossier,
    dossier_code_counters: { agency: 't.agency_code' },
    online_service_plans: { agency: 't.agency_code' },
  };
  const STATS = `query($reps: [_Any!]!, $p: PeriodInput!) { _entities(representations: $reps) {
    ... on Agency { code dossierStats(period: $p, includeSubordinates: true) { carriedOver received resolved
      resolvedLate inProcessOverdue withdrawn onTimeRatio onlineRatio } } } }`;
  const statsVars = {
    reps: [{ __typename: 'Agency', code: LAP_THACH }],
    p: { from: '2024-01-01', to: '2024-12-31' },
  };
  const PLAN = `mutation($i: SetOnlineServicePlanInput!) { setOnlineServicePlan(input: $i) { year plannedServices } }`;
  let sub: TestSubgraph;
  afterAll(async () => {
    await sub?.close();
  });

  test('every row kept and given its province; keys include org_root; new writes fill it', async () => {
    let code = '';
    const official = callers.official(LAP_THACH);
    const old = await oldDatabase(dossiers, async (s) => {
      const r = await s.gql(RECEIVE, { input: receiveInput() }, official);
      expect(r.errors).toBeUndefined();
      code = r.data!.receiveDossier.code as string;
      const plan = await s.gql(
        PLAN,
        { i: { agencyCode: LAP_THACH, year: 2024, plannedServices: 40 } },
        official,
      );
      expect(plan.errors).toBeUndefined();
    });
    const oldDb = old.sub.adminDb;
    const rows = await fingerprint(oldDb, TABLES);
    for (const t of TABLES) expect(rows[t]).not.toMatch(/^0 rows/); // every table has rows to keep
    const stats = await old.sub.gql(STATS, statsVars, callers.analyst);
    expect(stats.errors).toBeUndefined();
    await old.sub.close();

    sub = await startTestSubgraph(dossiers, { db: old.db, scale: 0 });
    const db = sub.adminDb;
    expect(await fingerprint(db, TABLES, ['org_root'])).toEqual(rows);
    const filled = await orgRoots(db, CHECKS);
    for (const t of TABLES) {
      expect([t, filled[t]!.rows]).toEqual([t, Number(rows[t]!.split(' ')[0])]);
      expect([t, filled[t]!.missing, filled[t]!.wrong]).toEqual([t, 0, 0]);
    }
    // More than one province in the seed: the column is not one value everywhere.
    const roots = await db.query<{ org_root: string }>(`SELECT DISTINCT org_root FROM dossiers ORDER BY 1`);
    expect(roots.length).toBeGreaterThan(1);

    expect(await keys(db, TABLES)).toEqual([
      'dossier_apologies dossier_apologies_dossier_id_fkey: FOREIGN KEY (dossier_id, org_root) REFERENCES dossier_keys(id, org_root)',
      'dossier_apologies dossier_apologies_pkey: PRIMARY KEY (dossier_id, seq, org_root)',
      'dossier_code_counters dossier_code_counters_agency_code_fkey: FOREIGN KEY (agency_code) REFERENCES agencies(code)',
      'dossier_code_counters dossier_code_counters_pkey: PRIMARY KEY (agency_code, day, org_root)',
      'dossier_keys dossier_keys_code_key: UNIQUE (code, org_root)',
      'dossier_keys dossier_keys_dossier_fkey: FOREIGN KEY (id, received_at, org_root) REFERENCES dossiers(id, received_at, org_root) ON UPDATE CASCADE ON DELETE CASCADE',
      'dossier_keys dossier_keys_pkey: PRIMARY KEY (id, org_root)',
      'dossier_steps dossier_steps_dossier_id_fkey: FOREIGN KEY (dossier_id, org_root) REFERENCES dossier_keys(id, org_root)',
      'dossier_steps dossier_steps_pkey: PRIMARY KEY (dossier_id, seq, org_root)',
      'dossier_supplements dossier_supplements_dossier_id_fkey: FOREIGN KEY (dossier_id, org_root) REFERENCES dossier_keys(id, org_root)',
      'dossier_supplements dossier_supplements_pkey: PRIMARY KEY (dossier_id, seq, org_root)',
      'dossiers dossiers_agency_code_fkey1: FOREIGN KEY (agency_code) REFERENCES agencies(code)',
      'dossiers dossiers_pkey: PRIMARY KEY (id, received_at, org_root)',
      'dossiers dossiers_procedure_code_fkey1: FOREIGN KEY (procedure_code) REFERENCES procedures(code)',
      'online_service_plans online_service_plans_agency_code_fkey: FOREIGN KEY (agency_code) REFERENCES agencies(code)',
      'online_service_plans online_service_plans_pkey: PRIMARY KEY (agency_code, year, org_root)',
      'portal_sync_outbox portal_sync_outbox_dossier_id_fkey: FOREIGN KEY (dossier_id, org_root) REFERENCES dossier_keys(id, org_root)',
      'portal_sync_outbox portal_sync_outbox_dossier_id_step_seq_kind_key: UNIQUE (dossier_id, step_seq, kind, org_root)',
      'portal_sync_outbox portal_sync_outbox_pkey: PRIMARY KEY (id, org_root)',
    ]);

    // The same answers; the old dossier found by its code; new writes get their province.
    expect(await sub.gql(STATS, statsVars, callers.analyst)).toEqual(stats);
    const status = await sub.gql(`query($c: String!) { dossierStatus(code: $c) { status } }`, { c: code });
    expect(status).toEqual({ data: { dossierStatus: { status: 'DUOC_TIEP_NHAN' } } });
    const r = await sub.gql(RECEIVE, { input: receiveInput() }, official);
    expect(r.errors).toBeUndefined();
    const fresh = r.data!.receiveDossier.code as string;
    expect(fresh).not.toBe(code);
    const plan = await sub.gql(
      PLAN,
      { i: { agencyCode: LAP_THACH, year: 2024, plannedServices: 41 } },
      official,
    );
    expect(plan).toEqual({ data: { setOnlineServicePlan: { year: 2024, plannedServices: 41 } } });
    expect(
      await db.query(
        `SELECT 'dossiers' AS t, org_root FROM dossiers WHERE code = $1
         UNION ALL SELECT 'keys', org_root FROM dossier_keys WHERE code = $1
         UNION ALL SELECT 'steps', s.org_root FROM dossier_steps s JOIN dossier_keys k ON k.id = s.dossier_id WHERE k.code = $1
         UNION ALL SELECT 'outbox', o.org_root FROM portal_sync_outbox o JOIN dossier_keys k ON k.id = o.dossier_id WHERE k.code = $1
         UNION ALL SELECT 'counter', org_root FROM dossier_code_counters WHERE agency_code = $2 AND day = '2024-02-07'
         UNION ALL SELECT 'plan', org_root FROM online_service_plans WHERE agency_code = $2 AND year = 2024`,
        [fresh, LAP_THACH],
      ),
    ).toEqual(
      ['dossiers', 'keys', 'steps', 'outbox', 'counter', 'plan'].map((t) => ({ t, org_root: 'H62' })),
    );
    // The counter went on from the old one (the upsert still finds its key): the codes are consecutive.
    expect(Number(fresh.slice(-4))).toBe(Number(code.slice(-4)) + 1);

    // Below the application: a write naming a province other than its agency's is refused, and a step of
    // a dossier that does not exist is still a foreign-key violation (23503).
    await expect(
      db.query(
        `INSERT INTO dossier_code_counters (agency_code, day, last_seq, org_root) VALUES ($1, '2030-01-01', 1, 'H26')`,
        [LAP_THACH],
      ),
    ).rejects.toThrow(/dossier_code_counters_org_root/);
    await expect(
      db.query(
        `INSERT INTO dossier_steps (dossier_id, seq, at, official_name, unit_name, action, status)
         VALUES (-1, 1, now(), 'x', 'x', 'x', 'x')`,
      ),
    ).rejects.toMatchObject({
      code: '23503',
      message: expect.stringMatching(/dossier_steps_dossier_id_fkey/),
    });
  }, 300_000);
});
