/**
 * What kit/runtime/db.ts does when the database fails under a request: a connection killed mid-transaction
 * (issue 14 finding 7: an unhandled `error` event on a checked-out client crashed the land subgraph),
 * a statement past the statement timeout, a transaction past the transaction timeout (finding 5).
 * The whole-process version (the server `kill -9`ed under a running subgraph) is test/database-crash.e2e.test.ts.
 */
import { connect, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import {
  DatabaseBusyError,
  DatabaseTimeoutError,
  DatabaseUnavailableError,
  openDatabase,
} from '../runtime/db';
import type { Database } from '../runtime/db';
import { createTestDatabase } from '../testing';
import type { TestDatabase } from '../testing';

let admin: TestDatabase;
beforeAll(async () => {
  admin = await createTestDatabase();
  await admin.exec(
    'CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0); GRANT SELECT, UPDATE ON t TO govgraph_app',
  );
});
afterAll(async () => admin?.close());

const open = (opts: { statementTimeoutMs?: number; transactionTimeoutMs?: number } = {}): Promise<Database> =>
  openDatabase({ url: admin.appUrl, poolSize: 2, ...opts }); // as the application role, as subgraphs do

/** Waits until a connection of this database waits for a lock (the request is mid-transaction). */
async function waitForLockWait(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const rows = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (rows.length) return rows[0]!.pid;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('no connection waited for the lock');
}

/** Holds the row lock of t(1) in a transaction of its own until `release` is called. */
async function holdRowLock(): Promise<{ release: () => Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  const done = admin.transaction(async (tx) => {
    await tx.query('SELECT v FROM t WHERE id = 1 FOR UPDATE');
    locked();
    await released;
  });
  await isLocked;
  return {
    release: async () => {
      release();
      await done;
    },
  };
}

test('a connection killed mid-transaction fails that transaction with DatabaseUnavailableError, without crashing; the next one works', async () => {
  const db = await open();
  const lock = await holdRowLock();
  const inFlight = db.transaction(async (tx) => {
    await tx.query('UPDATE t SET v = 1 WHERE id = 1'); // waits for the lock
  });
  const pid = await waitForLockWait();
  await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  const err = await inFlight.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DatabaseUnavailableError);
  expect((err as Error).message).toMatch(/^database unavailable: /);
  await lock.release();
  // The pool dropped the dead connection: the next transaction gets a fresh one and commits.
  await db.transaction((tx) => tx.query('UPDATE t SET v = 2 WHERE id = 1'));
  expect(await db.query('SELECT v FROM t WHERE id = 1')).toEqual([{ v: 2 }]);
  await db.close();
});

test('a statement past the statement timeout fails with DatabaseTimeoutError and writes nothing', async () => {
  const db = await open({ statementTimeoutMs: 200 });
  await expect(db.query('SELECT pg_sleep(2)')).rejects.toEqual(new DatabaseTimeoutError('statement', 200));
  const lock = await holdRowLock();
  const err = await db
    .transaction((tx) => tx.query('UPDATE t SET v = 3 WHERE id = 1'))
    .catch((e: unknown) => e);
  await lock.release();
  expect(err).toBeInstanceOf(DatabaseTimeoutError);
  expect((err as Error).message).toBe(
    'the database statement timeout (200 ms) cancelled this request; nothing was written',
  );
  expect(await db.query('SELECT v FROM t WHERE id = 1')).toEqual([{ v: 2 }]);
  await db.close();
});

test('a transaction past the transaction timeout is cancelled and rolled back, even between statements', async () => {
  const db = await open({ statementTimeoutMs: 10_000, transactionTimeoutMs: 300 });
  // Cancelled while a statement runs (each statement is well within the statement timeout).
  const started = Date.now();
  const slow = await db
    .transaction(async (tx) => {
      await tx.query('UPDATE t SET v = 4 WHERE id = 1');
      await tx.query('SELECT pg_sleep(5)');
    })
    .catch((e: unknown) => e);
  expect(slow).toEqual(new DatabaseTimeoutError('transaction', 300));
  expect(Date.now() - started).toBeLessThan(3000);
  // Past the limit between two statements: the next statement is refused, nothing commits.
  const idle = await db
    .transaction(async (tx) => {
      await tx.query('UPDATE t SET v = 5 WHERE id = 1');
      await new Promise((r) => setTimeout(r, 500));
      await tx.query('UPDATE t SET v = 6 WHERE id = 1');
    })
    .catch((e: unknown) => e);
  expect(idle).toEqual(new DatabaseTimeoutError('transaction', 300));
  expect(await db.query('SELECT v FROM t WHERE id = 1')).toEqual([{ v: 2 }]);
  // And the pool still serves.
  await db.transaction((tx) => tx.query('UPDATE t SET v = 7 WHERE id = 1'));
  expect(await db.query('SELECT v FROM t WHERE id = 1')).toEqual([{ v: 7 }]);
  await db.close();
});

test('a server that refuses connections fails the request with DatabaseUnavailableError', async () => {
  // A role of this test's own (a connection limit on the shared application role would reach other
  // test files running at the same time).
  const role = `govgraph_test_${admin.name.slice(-10)}`;
  await admin.exec(`CREATE ROLE ${role} LOGIN PASSWORD 'pw'; GRANT SELECT ON t TO ${role}`);
  const u = new URL(admin.url);
  u.username = role;
  u.password = 'pw';
  const db = await openDatabase({ url: u.toString(), poolSize: 2 });
  // Every connection of the pool is cut; the server then refuses new ones of this role.
  await admin.exec(`ALTER ROLE ${role} CONNECTION LIMIT 0`);
  await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1`, [role]);
  await expect(db.transaction((tx) => tx.query('SELECT 1'))).rejects.toBeInstanceOf(DatabaseUnavailableError);
  await expect(db.query('SELECT 1')).rejects.toBeInstanceOf(DatabaseUnavailableError);
  // Once the server takes connections again, the same pool answers.
  await admin.exec(`ALTER ROLE ${role} CONNECTION LIMIT -1`);
  expect(await db.query('SELECT v FROM t WHERE id = 1')).toEqual([{ v: 7 }]);
  await db.close();
  await admin.exec(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
});

test('a full pool queues with a bound: past maxWaiting a request is refused at once, past acquireTimeoutMs a waiting one is; then the pool serves again', async () => {
  const db = await openDatabase({ url: admin.appUrl, poolSize: 2, maxWaiting: 1, acquireTimeoutMs: 400 });
  // Both connections busy for 1.5 s.
  const busy = [db.query('SELECT pg_sleep(1.5)'), db.query('SELECT pg_sleep(1.5)')];
  await new Promise((r) => setTimeout(r, 100));
  const t0 = Date.now();
  const waiter = db.query('SELECT 1').catch((e: unknown) => e); // waits in the queue
  const refused = await db.transaction((tx) => tx.query('SELECT 1')).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(DatabaseBusyError);
  expect((refused as Error).message).toBe(
    'database pool exhausted (queue full: 1 requests already wait); nothing was written',
  );
  expect(Date.now() - t0).toBeLessThan(100); // refused at once, not after a wait
  const waited = await waiter;
  expect(waited).toBeInstanceOf(DatabaseBusyError);
  expect((waited as Error).message).toBe(
    'database pool exhausted (waited too long: no connection free within 400 ms); nothing was written',
  );
  expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
  expect(Date.now() - t0).toBeLessThan(1200);
  await Promise.all(busy);
  // The connection that came too late for the waiter went back: both serve again.
  expect(await Promise.all([db.query('SELECT 1 AS a'), db.query('SELECT 2 AS a')])).toEqual([
    [{ a: 1 }],
    [{ a: 2 }],
  ]);
  await db.close();
});

test('ping answers on a connection of its own: a full pool is not a database gone', async () => {
  const db = await openDatabase({ url: admin.appUrl, poolSize: 1, maxWaiting: 0 });
  const busy = db.query('SELECT pg_sleep(1)');
  await new Promise((r) => setTimeout(r, 100));
  await expect(db.query('SELECT 1')).rejects.toBeInstanceOf(DatabaseBusyError);
  const t0 = Date.now();
  await expect(db.ping!(1000)).resolves.toBeUndefined();
  expect(Date.now() - t0).toBeLessThan(900); // did not wait for the busy connection
  await busy;
  await db.close();
});

test('a connection killed under a plain query (no transaction) fails it with DatabaseUnavailableError, without crashing; the pool serves on', async () => {
  const db = await open();
  const inFlight = db.query(`SELECT pg_sleep(5), 'killed' AS marker`).catch((e: unknown) => e);
  let pid: number | undefined;
  for (let i = 0; i < 200 && pid === undefined; i++) {
    const rows = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%''killed''%' AND pid <> pg_backend_pid()`,
    );
    pid = rows[0]?.pid;
    if (pid === undefined) await new Promise((r) => setTimeout(r, 25));
  }
  await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  const err = await inFlight;
  expect(err).toBeInstanceOf(DatabaseUnavailableError);
  // Had the checked-out connection's `error` event no listener, this process (jest's worker) would be gone.
  expect(await db.query('SELECT v FROM t WHERE id = 1')).toEqual([{ v: 7 }]);
  await db.close();
});

/** A TCP relay to the test server that can go silent: connections stay open, nothing passes. */
async function silentRelay(target: URL) {
  const pairs: [Socket, Socket][] = [];
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
    client.pipe(upstream).pipe(client);
    pairs.push([client, upstream]);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = new URL(target.toString());
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.toString(),
    silence: () =>
      pairs.forEach(([a, b]) => {
        a.unpipe(b);
        b.unpipe(a);
        a.pause();
        b.pause();
      }),
    close: () => {
      pairs.forEach(([a, b]) => (a.destroy(), b.destroy()));
      server.close();
    },
  };
}

test('a server gone silent under a statement (no answer, no reset): the client gives up after its read timeout with DatabaseUnavailableError', async () => {
  const before = await admin.query('SELECT v FROM t WHERE id = 1');
  const relay = await silentRelay(new URL(admin.appUrl));
  const db = await openDatabase({ url: relay.url, poolSize: 2, statementTimeoutMs: 200, readTimeoutMs: 600 });
  // Both connections open (and idle in the pool) before the relay goes silent.
  await Promise.all([db.query('SELECT pg_sleep(0.05)'), db.query('SELECT pg_sleep(0.05)')]);
  relay.silence();
  const t0 = Date.now();
  const [plain, tx] = await Promise.all([
    db.query('SELECT 1').catch((e: unknown) => e),
    db.transaction((q) => q.query('UPDATE t SET v = 8 WHERE id = 1')).catch((e: unknown) => e),
  ]);
  const ms = Date.now() - t0;
  expect(plain).toBeInstanceOf(DatabaseUnavailableError);
  expect((plain as Error).message).toBe('database unavailable: Query read timeout');
  expect(tx).toBeInstanceOf(DatabaseUnavailableError);
  expect(ms).toBeGreaterThanOrEqual(550);
  expect(ms).toBeLessThan(2500); // the read timeout, not a hang (nor a second one for a ROLLBACK)
  relay.close();
  await db.close();
  expect(await admin.query('SELECT v FROM t WHERE id = 1')).toEqual(before); // the update never landed
});
