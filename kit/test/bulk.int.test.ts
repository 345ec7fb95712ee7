/**
 * kit/runtime/bulk.ts: a bulk load runs without the tables' secondary indexes and foreign keys and gets every
 * one of them back, the same definitions; a row that breaks a foreign key fails the load (nothing
 * half-written); primary keys are checked during the load.
 */
import { bulkLoad } from '../runtime/bulk';
import { createTestDatabase } from '../testing';

const SCHEMA = `
  CREATE TABLE parents (id int PRIMARY KEY, code text NOT NULL);
  CREATE UNIQUE INDEX parents_code ON parents (code);
  CREATE TABLE children (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES parents (id), day date NOT NULL);
  CREATE INDEX children_parent_day ON children (parent_id, day DESC) INCLUDE (id) WHERE day > DATE '2000-01-01';
`;

const definitions = async (db: Awaited<ReturnType<typeof createTestDatabase>>) => ({
  indexes: (
    await db.query<{ d: string }>(
      `SELECT indexdef AS d FROM pg_indexes WHERE tablename IN ('parents', 'children') ORDER BY indexname`,
    )
  ).map((r) => r.d),
  constraints: (
    await db.query<{ d: string }>(
      `SELECT conname || ' ' || pg_get_constraintdef(oid) AS d FROM pg_constraint
       WHERE conrelid IN ('parents'::regclass, 'children'::regclass) ORDER BY conname`,
    )
  ).map((r) => r.d),
});

test('indexes and foreign keys are dropped during the load and come back as they were', async () => {
  const db = await createTestDatabase();
  await db.exec(SCHEMA);
  const before = await definitions(db);
  expect(before.indexes).toHaveLength(4);
  expect(before.constraints.some((c) => c.includes('FOREIGN KEY'))).toBe(true);
  const n = await db.transaction((tx) =>
    bulkLoad(tx, ['parents', 'children'], async () => {
      await tx.exec(`INSERT INTO parents SELECT g, 'p' || g FROM generate_series(1, 1000) g;
        INSERT INTO children SELECT g, 1 + g % 1000, DATE '2020-01-01' + g % 300 FROM generate_series(1, 5000) g;`);
      const [inside] = await tx.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_indexes WHERE tablename IN ('parents', 'children')`,
      );
      expect(inside!.n).toBe(2); // the two primary keys only
      return 5000;
    }),
  );
  expect(n).toBe(5000);
  expect(await definitions(db)).toEqual(before);
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM children');
  expect(row!.n).toBe(5000);
  await db.close();
});

test('a row that breaks a foreign key fails the load when the key comes back, and nothing is written', async () => {
  const db = await createTestDatabase();
  await db.exec(SCHEMA);
  await expect(
    db.transaction((tx) =>
      bulkLoad(tx, ['parents', 'children'], async () => {
        await tx.exec(
          `INSERT INTO parents VALUES (1, 'a'); INSERT INTO children VALUES (1, 2, DATE '2020-01-01');`,
        );
      }),
    ),
  ).rejects.toThrow(/foreign key/);
  const [row] = await db.query<{ n: number }>('SELECT (SELECT count(*) FROM parents)::int AS n');
  expect(row!.n).toBe(0);
  expect((await definitions(db)).indexes).toHaveLength(4);
  await db.close();
});
