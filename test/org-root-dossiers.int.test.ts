/**
 * The org_root step of the national case (docs/citus.md "Status") on the dossiers family: a database at the schema
 * before it, seeded and written to through the graph, is migrated by the real migrations. Every row is
 * kept (count and checksum of each table, less the new column), every row's org_root is filled and is
 * the province (the top of the agency tree) of the agency it belongs to, the keys and foreign keys
 * include it (read from pg_constraint), the subgraph answers the same, and new writes — which do not
 * name the column — get it from the triggers; a wrong one is refused.
 */
import { callers, startTestSubgraph } from '../kit/testing';
import type { TestSubgraph } from '../kit/testing';
import { dossiers } from '../subgraphs/dossiers/subgraph';
import { LAP_THACH, RECEIVE, receiveInput } from '../subgraphs/dossiers/test/support/fixtures';
import { keys, oldDatabase, orgRoots } from './support/orgRoot';
import { fingerprint, longestStayStandIn } from './support/schemaHistory';

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
      await longestStayStandIn(s.adminDb);
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
