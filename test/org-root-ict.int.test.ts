/**
 * The org_root step of the national case (docs/citus.md "Status") on the ICT inventories: a seeded
 * database at the schema before it is migrated by the real migration. Every inventory is kept (count and
 * checksum, less the new column), every row's org_root is the province (the top of the agency tree) of
 * its agency, the key includes it, and a row written without it gets it; a wrong one is refused.
 */
import { startTestSubgraph } from '../kit/testing';
import type { TestSubgraph } from '../kit/testing';
import { ict } from '../subgraphs/ict/subgraph';
import { keys, oldDatabase, orgRoots } from './support/orgRoot';
import { fingerprint } from './support/schemaHistory';

let sub: TestSubgraph;
afterAll(async () => {
  await sub?.close();
});

test('ict: every inventory kept and given its province; the key includes org_root', async () => {
  const old = await oldDatabase(ict, async () => undefined);
  const rows = await fingerprint(old.sub.adminDb, ['ict_inventories']);
  expect(rows.ict_inventories).not.toMatch(/^0 rows/);
  await old.sub.close();

  sub = await startTestSubgraph(ict, { db: old.db, scale: 0 });
  const db = sub.adminDb;
  expect(await fingerprint(db, ['ict_inventories'], ['org_root'])).toEqual(rows);
  const filled = await orgRoots(db, { ict_inventories: { agency: 't.agency_code' } });
  expect(filled.ict_inventories).toEqual({
    rows: Number(rows.ict_inventories!.split(' ')[0]),
    missing: 0,
    wrong: 0,
  });
  expect((await db.query(`SELECT DISTINCT org_root FROM ict_inventories`)).length).toBeGreaterThan(1);
  expect(await keys(db, ['ict_inventories'])).toEqual([
    'ict_inventories ict_inventories_agency_code_fkey: FOREIGN KEY (agency_code) REFERENCES agencies(code)',
    'ict_inventories ict_inventories_pkey: PRIMARY KEY (agency_code, taken_on, org_root)',
  ]);

  const insert = (orgRoot: string | null) =>
    db.query<{ org_root: string }>(
      `INSERT INTO ict_inventories (agency_code, taken_on, officials, officials_with_computer, computers,
         connected_computers, lan, org_root)
       VALUES ('000.00.46.H62', '2030-01-01', 10, 9, 9, 9, true, $1) RETURNING org_root`,
      [orgRoot],
    );
  await expect(insert('H26')).rejects.toThrow(/ict_inventories_org_root/);
  expect(await insert(null)).toEqual([{ org_root: 'H62' }]);
}, 300_000);
