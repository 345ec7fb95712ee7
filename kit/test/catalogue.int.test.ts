import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ADMIN_UNITS,
  AGENCIES,
  SUCCESSIONS,
  agencyDirectory,
  agencyScope,
  agencySubtree,
  catalogueReads,
  childrenOn,
  peekAgencyDirectory,
  siblingCodes,
  createCatalogueLoaders,
  existsOn,
  parseAgencyCode,
  referenceCatalogue,
  validOn,
} from '../reference/catalogue';
import { createTestDatabase } from '../testing';
import type { Database } from '../runtime/db';
import { migrate } from '../runtime/migrate';

const BTL = '000.00.21.H26'; // Ủy ban nhân dân quận Bắc Từ Liêm, 2014-04-01 … 2025-06-30

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
  // A minimal subgraph of its own next to the catalogue: its 001 does not collide with the catalogue's.
  const own = mkdtempSync(path.join(tmpdir(), 'govgraph-own-'));
  writeFileSync(
    path.join(own, '001_permits.sql'),
    'CREATE TABLE permits (id int PRIMARY KEY, agency_code text NOT NULL REFERENCES agencies (code));',
  );
  const applied = await migrate(db, [referenceCatalogue, { namespace: 'permits', migrationsDir: own }]);
  expect(applied).toContain('catalogue/001_reference_data');
  expect(applied).toContain('permits/001_permits');
  const seeded = await referenceCatalogue.seed(db);
  expect(seeded).toEqual({
    units: ADMIN_UNITS.length,
    successions: SUCCESSIONS.length,
    agencies: AGENCIES.length,
  });
  expect(await referenceCatalogue.seed(db)).toBeNull();
}, 60_000);
afterAll(async () => db?.close());

test('reads return camelCase rows in key order through one batched loader call', async () => {
  const loaders = createCatalogueLoaders(db);
  const before = db.roundTrips;
  const [btl, hanoi, none] = await Promise.all([
    loaders.agency.load(BTL),
    loaders.agency.load('000.00.00.H26'),
    loaders.agency.load('000.99.99.H99'),
  ]);
  expect(db.roundTrips - before).toBe(1);
  expect(btl).toEqual({
    code: BTL,
    name: 'Ủy ban nhân dân quận Bắc Từ Liêm',
    level: 'DISTRICT',
    parentCode: '000.00.00.H26',
    unitId: '021@2014-04-01',
    validFrom: '2014-04-01',
    validTo: '2025-06-30',
  });
  expect(hanoi!.name).toBe('Ủy ban nhân dân thành phố Hà Nội');
  expect(none).toBeNull();
});

test('codes are reused after 2025: the unit valid on a date, and the crosswalk to today', async () => {
  const [before] = await catalogueReads.unitsByCodesOn(db, ['00598'], '2020-01-01');
  const [after] = await catalogueReads.unitsByCodesOn(db, ['00598'], '2025-08-01');
  expect(before!.name).toBe('Phường Liên Mạc');
  expect(after!.name).toBe('Phường Thượng Cát');
  const current = await catalogueReads.currentUnits(db, [before!.id], '2025-08-01');
  expect(current.map((u) => u.name)).toContain('Phường Thượng Cát');
  expect(current.every((u) => u.startId === before!.id)).toBe(true);
});

test('validity: existsOn in TypeScript and validOn in SQL agree', async () => {
  const [btl] = await catalogueReads.agenciesByCodes(db, [BTL]);
  expect(existsOn(btl!, '2014-04-01')).toBe(true);
  expect(existsOn(btl!, '2014-03-31')).toBe(false);
  expect(existsOn(btl!, '2025-07-01')).toBe(false);
  const on = async (d: string | null) =>
    (await db.query(`SELECT 1 FROM agencies a WHERE a.code = $1 AND ${validOn('a', '$2')}`, [BTL, d])).length;
  expect([await on('2014-04-01'), await on('2014-03-31'), await on('2025-07-01'), await on(null)]).toEqual([
    1, 0, 0, 1,
  ]);
});

test('an agency and its descendants on a date (the one scope helper)', async () => {
  const subtree = async (code: string, on: string | null) =>
    (
      await db.query<{ code: string }>(
        `SELECT s.code FROM ${agencySubtree('$1', '$2')} AS s(code) ORDER BY s.code`,
        [code, on],
      )
    ).map((r) => r.code);
  const in2020 = await subtree(BTL, '2020-06-30');
  expect(in2020).toHaveLength(14); // the district and its 13 wards
  expect(in2020).toContain(BTL);
  expect(in2020).toContain('000.02.21.H26'); // Phường Liên Mạc
  expect(await subtree(BTL, '2025-08-01')).toEqual([BTL]); // the wards ended with the district
  const hanoi2024 = await subtree('000.00.00.H26', '2024-01-01');
  const hanoi2025 = await subtree('000.00.00.H26', '2025-08-01');
  expect(hanoi2024).toContain('000.02.21.H26'); // a ward of a district of Hà Nội
  expect(hanoi2024).not.toContain('000.00.43.H26'); // Phường Thượng Cát, from 1 July 2025
  expect(hanoi2025).toContain('000.00.43.H26');
  expect(hanoi2025).not.toContain(BTL);
  const ever = await subtree('000.00.00.H26', null);
  expect(ever).toEqual(expect.arrayContaining([...hanoi2024, ...hanoi2025]));
  expect(await subtree('000.99.99.H99', null)).toEqual([]);
});

test('the catalogue in memory answers what the SQL answers: subtrees, children, scopes', async () => {
  const dir = await agencyDirectory(db);
  expect(peekAgencyDirectory(db)).toBe(dir);
  const before = db.roundTrips;
  await agencyDirectory(db); // read once per database and process
  expect(db.roundTrips).toBe(before);
  const codes = [...dir.byCode.keys(), '000.99.99.H99'];
  for (const on of [null, '2013-06-30', '2020-06-30', '2025-02-28', '2025-08-01']) {
    const sql = await db.query<{ root: string; code: string }>(
      `SELECT r.code AS root, s.code FROM unnest($1::text[]) AS r(code)
       CROSS JOIN LATERAL ${agencySubtree('r.code', '$2')} AS s(code)`,
      [codes, on],
    );
    const scope = await agencyScope(db, codes, true, on);
    const pairs = (xs: { root: string; code: string }[]) => xs.map((x) => `${x.root}>${x.code}`).sort();
    expect(pairs(scope.roots.map((root, i) => ({ root, code: scope.codes[i]! })))).toEqual(pairs(sql));
    const children = await catalogueReads.agenciesByParents(db, codes, on);
    for (const code of codes)
      expect(childrenOn(dir, code, on).map((a) => a.code)).toEqual(
        children.filter((c) => c.parentCode === code).map((c) => c.code),
      );
  }
  expect(pairs2(await agencyScope(db, [BTL, '000.99.99.H99'], false))).toEqual([
    `${BTL}>${BTL}`,
    '000.99.99.H99>000.99.99.H99',
  ]);
  // Siblings: the same level under the same parent on the day, itself included.
  expect(siblingCodes(dir, BTL, '2020-06-30')).toContain('000.00.01.H26');
  expect(siblingCodes(dir, BTL, '2020-06-30')).not.toContain('000.00.81.H26'); // a department
  expect(siblingCodes(dir, BTL, '2025-08-01')).toContain(BTL);
});

const pairs2 = (s: { roots: string[]; codes: string[] }) => s.roots.map((r, i) => `${r}>${s.codes[i]}`);

test('agency codes are checked against the QCVN 102 format', () => {
  expect(parseAgencyCode(' 000.00.21.h26 ', 'code')).toBe(BTL);
  expect(() => parseAgencyCode('H26', 'input.agencyCode')).toThrow(/QCVN 102/);
});
