import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../runtime/db';
import { migrate } from '../runtime/migrate';
import { createTestDatabase } from '../testing';

function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'govgraph-mig-'));
  for (const [name, sql] of Object.entries(files)) writeFileSync(path.join(dir, name), sql);
  return dir;
}

test('migrations apply in order once, are recorded per module, and survive reconnecting', async () => {
  const db = await createTestDatabase();
  const shared = {
    namespace: 'catalogue',
    migrationsDir: migrationsDir({ '001_create.sql': 'CREATE TABLE c (a int); INSERT INTO c VALUES (7);' }),
  };
  const own = {
    namespace: 'documents',
    migrationsDir: migrationsDir({
      '002_add_column.sql': 'ALTER TABLE t ADD COLUMN b text;',
      '001_create.sql': 'CREATE TABLE t (a int); INSERT INTO t VALUES (1);',
      'README.md': 'not a migration',
    }),
  };
  // Two modules with a 001 each: namespaced versions never collide. The kit's yearly partitioning
  // functions (kit/runtime/partitions) are always applied first.
  expect(await migrate(db, [shared, own])).toEqual([
    'partitions/001_year_partitions',
    'catalogue/001_create',
    'documents/001_create',
    'documents/002_add_column',
  ]);
  expect(await migrate(db, [shared, own])).toEqual([]);
  const again = await openDatabase({ url: db.url });
  expect(await migrate(again, [shared, own])).toEqual([]);
  const rows = await again.query('SELECT namespace, version FROM schema_migrations ORDER BY 1, 2');
  expect(rows).toEqual([
    { namespace: 'catalogue', version: '001_create' },
    { namespace: 'documents', version: '001_create' },
    { namespace: 'documents', version: '002_add_column' },
    { namespace: 'partitions', version: '001_year_partitions' },
  ]);
  expect(await again.query('SELECT a, b FROM t')).toEqual([{ a: 1, b: null }]);
  await again.close();
  await db.close();
}, 30_000);

test('a failing migration leaves nothing half-applied and is not recorded', async () => {
  const db = await createTestDatabase();
  const mod = {
    namespace: 'm',
    migrationsDir: migrationsDir({
      '001_ok.sql': 'CREATE TABLE ok (a int);',
      '002_broken.sql': 'CREATE TABLE half (a int); INSERT INTO missing_table VALUES (1);',
    }),
  };
  await expect(migrate(db, [mod])).rejects.toThrow(/missing_table/);
  expect(await db.query(`SELECT to_regclass('half') AS t`)).toEqual([{ t: null }]);
  const rows = await db.query<{ version: string }>(
    `SELECT version FROM schema_migrations WHERE namespace = 'm'`,
  );
  expect(rows.map((r) => r.version)).toEqual(['001_ok']);
  await db.close();
});

test('modules migrate in the order given; the same version number in two modules never collides', async () => {
  const db = await createTestDatabase();
  const shared = migrationsDir({ '001_base.sql': 'CREATE TABLE base (code text PRIMARY KEY);' });
  const own = migrationsDir({
    '001_base.sql': 'CREATE TABLE own (code text REFERENCES base (code));',
    '002_more.sql': 'ALTER TABLE own ADD COLUMN n int;',
  });
  const mods = [
    { namespace: 'shared', migrationsDir: shared },
    { namespace: 'own', migrationsDir: own },
  ];
  expect(await migrate(db, mods)).toEqual([
    'partitions/001_year_partitions',
    'shared/001_base',
    'own/001_base',
    'own/002_more',
  ]);
  expect(await migrate(db, mods)).toEqual([]);
  const rows = await db.query<{ namespace: string; version: string }>(
    'SELECT namespace, version FROM schema_migrations ORDER BY namespace, version',
  );
  expect(rows).toEqual([
    { namespace: 'own', version: '001_base' },
    { namespace: 'own', version: '002_more' },
    { namespace: 'partitions', version: '001_year_partitions' },
    { namespace: 'shared', version: '001_base' },
  ]);
  // A module added later (same database) applies its own 001 although another 001 is recorded.
  const later = migrationsDir({ '001_base.sql': 'CREATE TABLE later (a int);' });
  expect(await migrate(db, [...mods, { namespace: 'later', migrationsDir: later }])).toEqual([
    'later/001_base',
  ]);
  await expect(migrate(db, [mods[0]!, mods[0]!])).rejects.toThrow(/mounted twice/);
  await db.close();
});

test('a transaction commits fully or not at all, and round trips are counted', async () => {
  const db = await createTestDatabase();
  await db.exec('CREATE TABLE n (v int)');
  const before = db.roundTrips;
  await expect(
    db.transaction(async (tx) => {
      await tx.query('INSERT INTO n VALUES ($1)', [1]);
      throw new Error('abort');
    }),
  ).rejects.toThrow('abort');
  await db.transaction(async (tx) => tx.query('INSERT INTO n VALUES ($1)', [2]));
  expect(await db.query('SELECT v FROM n')).toEqual([{ v: 2 }]);
  // BEGIN + INSERT (rolled back), BEGIN + INSERT + COMMIT, SELECT
  expect(db.roundTrips - before).toBe(6);
  await db.close();
});

test('sessions run in Vietnam time, so ::date casts give the local calendar date', async () => {
  const db = await createTestDatabase();
  const [row] = await db.query<{ d: string; tz: string }>(
    `SELECT ('2023-12-31T22:00:00Z'::timestamptz)::date AS d, current_setting('TimeZone') AS tz`,
  );
  expect(row).toEqual({ d: '2024-01-01', tz: 'Asia/Ho_Chi_Minh' });
  await db.close();
});

test('an unreachable database fails with its URL (password hidden), not a hang', async () => {
  await expect(openDatabase({ url: 'postgres://someone:secret@127.0.0.1:1/nowhere' })).rejects.toThrow(
    /^cannot connect to postgres:\/\/someone:\*\*\*@127\.0\.0\.1:1\/nowhere/,
  );
});
