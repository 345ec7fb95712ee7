/**
 * Yearly partitions (kit/runtime/partitions, docs/database.md "Partitioning by year") on real
 * PostgreSQL: the bounds are Vietnam's years, each partition's indexes are named after the table's,
 * migrate() keeps this year's and next year's partitions ahead, a year already in the default partition
 * is left there (and still found), and the audit log — partitioned by its time — puts each entry in
 * its year's partition whatever time the INSERT gave, stays append-only through its partitions, and
 * verifies.
 */
import { openDatabase } from '../runtime/db';
import { migrate } from '../runtime/migrate';
import { ensureYearPartitions } from '../runtime/partitions';
import { grantApplicationRole } from '../runtime/roles';
import { appendAuditEntries, auditLogModule, verifyChain } from '../runtime/auditlog';
import type { Caller } from '../runtime/context';
import { createTestDatabase } from '../testing';
import type { TestDatabase } from '../testing';

const ADMIN: Caller = { subject: 'admin-1', role: 'admin', agencyCode: null, citizenId: null, scopes: [] };

let db: TestDatabase;
let thisYear: number;
beforeAll(async () => {
  db = await createTestDatabase();
  await migrate(db, [auditLogModule]);
  [{ thisYear }] = (await db.query<{ thisYear: number }>(
    `SELECT extract(year FROM now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::int AS "thisYear"`,
  )) as [{ thisYear: number }];
});
afterAll(async () => db?.close());

const partitions = (table: string) =>
  db.query<{ name: string; bound: string }>(
    `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = $1::regclass ORDER BY c.relname`,
    [table],
  );

test('a table gets a default partition and one per year, bounded by Vietnam’s 1 January', async () => {
  await db.exec(`
    SET TIME ZONE 'UTC';
    CREATE TABLE t_events (id int, at timestamptz NOT NULL, day date NOT NULL) PARTITION BY RANGE (at);
    CREATE INDEX t_events_day ON t_events (day);
    SELECT year_partitions_create('t_events', 2024, 2025);
    CREATE TABLE t_days (id int, day date NOT NULL) PARTITION BY RANGE (day);
    SELECT year_partitions_create('t_days', 2024, 2024);
    RESET TIME ZONE;`);
  const events = await partitions('t_events');
  expect(events.map((p) => p.name)).toEqual(['t_events_2024', 't_events_2025', 't_events_default']);
  // Created under UTC, shown here in Vietnam's time (the test's connections): 1 January 00:00 +07.
  expect(events.find((p) => p.name === 't_events_2024')!.bound).toBe(
    "FOR VALUES FROM ('2024-01-01 00:00:00+07') TO ('2025-01-01 00:00:00+07')",
  );
  expect((await partitions('t_days')).find((p) => p.name === 't_days_2024')!.bound).toBe(
    "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
  );
  const idx = await db.query<{ indexname: string }>(
    `SELECT indexname FROM pg_indexes WHERE tablename = 't_events_2024' ORDER BY 1`,
  );
  expect(idx).toEqual([{ indexname: 't_events_day_2024' }]);
  // 31 December 2024 at 23:30 in Hà Nội is 2024 there (16:30 UTC): the 2024 partition.
  await db.exec(`INSERT INTO t_events VALUES (1, '2024-12-31 23:30:00+07', '2024-12-31')`);
  expect(await db.query(`SELECT id FROM t_events_2024`)).toEqual([{ id: 1 }]);
});

test('migrate() creates this year’s and next year’s partitions of every registered table', async () => {
  expect(await migrate(db, [auditLogModule])).toEqual([]); // nothing new to apply…
  const names = (await partitions('t_events')).map((p) => p.name);
  expect(names).toEqual(expect.arrayContaining([`t_events_${thisYear}`, `t_events_${thisYear + 1}`]));
  expect((await partitions('t_days')).map((p) => p.name)).toEqual(
    expect.arrayContaining([`t_days_${thisYear}`, `t_days_${thisYear + 1}`, 't_days_default']),
  );
});

test('a year whose rows are already in the default partition is left there, and still found', async () => {
  await db.exec(`INSERT INTO t_days VALUES (7, '2031-05-01')`);
  const [{ created }] = (await db.query<{ created: boolean }>(
    `SELECT year_partition_create('t_days', 2031) AS created`,
  )) as [{ created: boolean }];
  expect(created).toBe(false);
  expect(await db.query(`SELECT id FROM t_days_default`)).toEqual([{ id: 7 }]);
  expect(await db.query(`SELECT id FROM t_days WHERE day = '2031-05-01'`)).toEqual([{ id: 7 }]);
});

test('a role that may not create tables skips the missing years instead of failing', async () => {
  const appRole = decodeURIComponent(new URL(db.appUrl).username);
  await grantApplicationRole(db, appRole);
  await db.exec(`DROP TABLE t_days_${thisYear + 1}`);
  const serving = await openDatabase({ url: db.appUrl, poolSize: 1 });
  try {
    expect(await ensureYearPartitions(serving)).toEqual([]);
  } finally {
    await serving.close();
  }
  expect((await partitions('t_days')).map((p) => p.name)).not.toContain(`t_days_${thisYear + 1}`);
  await migrate(db, [auditLogModule]); // the owner's next run makes it
  expect((await partitions('t_days')).map((p) => p.name)).toContain(`t_days_${thisYear + 1}`);
});

describe('the audit log', () => {
  test('entries land in this year’s partition, a backdated INSERT too, and the chain verifies', async () => {
    await appendAuditEntries(db, { requestId: 'r1', caller: ADMIN }, [
      { kind: 'read', operation: 'x', type: 'X', fields: ['a'], recordIds: ['1'] },
    ]);
    await db.exec(
      `INSERT INTO audit_log (seq, at, request_id, role, kind, operation, type, fields, record_ids, prev_hash, hash)
       VALUES (1, '2000-01-01', 'backdated', 'admin', 'read', 'x', 'X', '{}', '{}', '', '')`,
    );
    const rows = await db.query<{ part: string; request_id: string; seq: number }>(
      `SELECT tableoid::regclass::text AS part, request_id, seq::int FROM audit_log ORDER BY seq`,
    );
    expect(rows).toEqual([
      { part: `audit_log_${thisYear}`, request_id: 'r1', seq: 1 },
      { part: `audit_log_${thisYear}`, request_id: 'backdated', seq: 2 },
    ]);
    expect(await verifyChain(db)).toMatchObject({ ok: true, entries: 2 });
  });

  test.each([
    ['UPDATE', (p: string) => `UPDATE ${p} SET subject = 'x'`],
    ['DELETE', (p: string) => `DELETE FROM ${p}`],
    ['TRUNCATE', (p: string) => `TRUNCATE ${p}`],
  ])('%s of a partition itself is refused, like the table’s', async (op, sql) => {
    for (const p of [`audit_log_${thisYear}`, 'audit_log_default'])
      await expect(db.exec(sql(p))).rejects.toThrow(`audit_log is append-only: ${op} refused`);
    expect((await verifyChain(db)).entries).toBe(2);
  });
});
