/**
 * The audit log's storage: append-only (UPDATE, DELETE, TRUNCATE refused), chained by the database on
 * every INSERT, verified independently in TypeScript; tampering by someone with superuser access (who
 * can switch the triggers off) is detected; concurrent appends from several connection pools (as from
 * several processes) make one valid chain.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ANONYMOUS } from '../runtime/context';
import type { Caller } from '../runtime/context';
import { openDatabase } from '../runtime/db';
import type { Database } from '../runtime/db';
import { migrate } from '../runtime/migrate';
import { appendAuditEntries, auditLogModule, GENESIS_HASH, verifyChain } from '../runtime/auditlog';
import type { NewAuditEntry } from '../runtime/auditlog';
import { createTestDatabase } from '../testing';
import type { TestDatabase } from '../testing';

const OFFICIAL: Caller = {
  subject: 'cán-bộ-7',
  role: 'official',
  agencyCode: '000.00.21.H26',
  citizenId: null,
  scopes: [],
};

const read = (ids: string[], fields = ['fullName', 'idNumber']): NewAuditEntry => ({
  kind: 'read',
  operation: 'dossiers',
  type: 'Applicant',
  fields,
  recordIds: ids,
});

let db: TestDatabase;

async function freshLog(): Promise<TestDatabase> {
  const d = await createTestDatabase();
  await migrate(d, [auditLogModule]);
  return d;
}

/** As a superuser with database access would: the append-only trigger off, `sql`, the trigger on. */
async function tamper(d: Database, sql: string): Promise<void> {
  await d.exec(
    `ALTER TABLE audit_log DISABLE TRIGGER USER; ${sql}; ALTER TABLE audit_log ENABLE TRIGGER USER`,
  );
}

beforeEach(async () => {
  db = await freshLog();
  await appendAuditEntries(db, { requestId: 'r-1', caller: OFFICIAL }, [read(['A-1', 'A-2'])]);
  await appendAuditEntries(db, { requestId: 'r-2', caller: ANONYMOUS }, [
    read(['Nguyễn Văn Ả'], ['địa chỉ']), // multi-byte text: the encoding counts UTF-8 bytes
    {
      kind: 'mutation',
      operation: 'receiveDossier',
      type: 'Dossier',
      fields: ['input.summary'],
      recordIds: [],
    },
  ]);
  await appendAuditEntries(db, { requestId: 'r-3', caller: OFFICIAL }, [read(['A-3'])]);
  await appendAuditEntries(db, { requestId: 'r-4', caller: OFFICIAL }, [read(['A-4'])]);
});

afterEach(async () => {
  await db.close();
});

test('appends are numbered 1…n and chained from the genesis hash; a clean chain verifies', async () => {
  const rows = await db.query<{ seq: number; prevHash: string; hash: string; requestId: string }>(
    `SELECT seq, prev_hash AS "prevHash", hash, request_id AS "requestId" FROM audit_log ORDER BY seq`,
  );
  expect(rows.map((r) => [r.seq, r.requestId])).toEqual([
    [1, 'r-1'],
    [2, 'r-2'],
    [3, 'r-2'],
    [4, 'r-3'],
    [5, 'r-4'],
  ]);
  expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
  rows.slice(1).forEach((r, i) => expect(r.prevHash).toBe(rows[i]!.hash));
  const report = await verifyChain(db, { batch: 2 }); // several batches
  expect(report).toEqual({
    ok: true,
    entries: 5,
    firstBrokenSeq: null,
    problem: null,
    head: { seq: 5, hash: rows[4]!.hash },
  });
});

test('values an INSERT gives for seq, time and hashes are overwritten by the chain', async () => {
  await db.query(
    `INSERT INTO audit_log (seq, at, request_id, role, kind, operation, type, fields, record_ids, prev_hash, hash)
     VALUES (1, '2000-01-01', 'forged', 'admin', 'read', 'x', 'X', '{}', '{}', 'bogus', 'bogus')`,
  );
  const [row] = await db.query<{ seq: number }>(`SELECT seq FROM audit_log WHERE request_id = 'forged'`);
  expect(row!.seq).toBe(6);
  expect((await verifyChain(db)).ok).toBe(true);
});

test.each([
  ['UPDATE', `UPDATE audit_log SET subject = 'x' WHERE seq = 2`],
  ['DELETE', `DELETE FROM audit_log WHERE seq = 5`],
  ['DELETE', `DELETE FROM audit_log WHERE false`],
  ['TRUNCATE', `TRUNCATE audit_log`],
])('%s is refused: the log is append-only (%s)', async (op, sql) => {
  await expect(db.query(sql)).rejects.toMatchObject({
    code: '42501',
    message: `audit_log is append-only: ${op} refused`,
  });
  expect(await db.query(`SELECT count(*)::int AS n FROM audit_log`)).toEqual([{ n: 5 }]);
});

test('an entry changed in place is found: its hash no longer matches', async () => {
  await tamper(db, `UPDATE audit_log SET record_ids = '{A-9}' WHERE seq = 4`);
  expect(await verifyChain(db)).toMatchObject({
    ok: false,
    firstBrokenSeq: 4,
    problem: 'hash does not match the entry',
    entries: 3,
  });
});

test('an entry changed with its hash recomputed is found at the next entry', async () => {
  await tamper(
    db,
    `UPDATE audit_log SET subject = 'someone-else' WHERE seq = 2;
     UPDATE audit_log SET hash = audit_entry_hash(audit_log) WHERE seq = 2`,
  );
  expect(await verifyChain(db)).toMatchObject({
    ok: false,
    firstBrokenSeq: 3,
    problem: 'prev_hash is not the previous entry’s hash',
  });
});

test('an entry deleted in the middle is found', async () => {
  await tamper(db, `DELETE FROM audit_log WHERE seq = 3`);
  expect(await verifyChain(db)).toMatchObject({ ok: false, firstBrokenSeq: 4, entries: 2 });
  expect((await verifyChain(db)).problem).toMatch(/entries 3–3 are missing/);
});

test('two entries swapped (their seq exchanged) are found', async () => {
  await tamper(
    db,
    `UPDATE audit_log SET seq = -1 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = 4;
     UPDATE audit_log SET seq = 4 WHERE seq = -1`,
  );
  expect(await verifyChain(db)).toMatchObject({ ok: false, firstBrokenSeq: 3 });
});

test('a truncated tail verifies on its own, and is found against an anchored head', async () => {
  const anchor = (await verifyChain(db)).head!;
  await tamper(db, `DELETE FROM audit_log WHERE seq >= 4`);
  expect(await verifyChain(db)).toMatchObject({ ok: true, entries: 3 }); // what a hash chain alone cannot see
  expect(await verifyChain(db, { anchor })).toMatchObject({
    ok: false,
    firstBrokenSeq: 4,
    problem: 'the anchored head 5 is gone: the log ends at 3 (truncated)',
  });
});

test('a log rewritten from an earlier point is found against an anchored head', async () => {
  const anchor = (await verifyChain(db)).head!;
  // Rewrite entry 4 and re-chain 4 and 5: the chain is whole again, but the head is not the anchored one.
  await tamper(
    db,
    `UPDATE audit_log SET record_ids = '{A-9}' WHERE seq = 4;
     UPDATE audit_log SET hash = audit_entry_hash(audit_log) WHERE seq = 4;
     UPDATE audit_log SET prev_hash = (SELECT hash FROM audit_log WHERE seq = 4) WHERE seq = 5;
     UPDATE audit_log SET hash = audit_entry_hash(audit_log) WHERE seq = 5`,
  );
  expect((await verifyChain(db)).ok).toBe(true);
  expect(await verifyChain(db, { anchor })).toMatchObject({ ok: false, firstBrokenSeq: 5 });
});

test('20 concurrent appends from two connection pools make one valid chain of 20 entries', async () => {
  const log = await freshLog();
  const other = await openDatabase({ url: log.url, poolSize: 10 }); // as another process would
  try {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        appendAuditEntries(i % 2 ? log : other, { requestId: `c-${i}`, caller: OFFICIAL }, [
          read([`R-${i}`]),
        ]),
      ),
    );
    const report = await verifyChain(log);
    expect(report).toMatchObject({ ok: true, entries: 20, head: { seq: 20 } });
    const ids = await log.query<{ r: string }>(`SELECT request_id AS r FROM audit_log`);
    expect(new Set(ids.map((x) => x.r)).size).toBe(20);
  } finally {
    await other.close();
    await log.close();
  }
});

test('an empty log verifies with no head', async () => {
  const log = await freshLog();
  try {
    expect(await verifyChain(log)).toEqual({
      ok: true,
      entries: 0,
      firstBrokenSeq: null,
      problem: null,
      head: null,
    });
  } finally {
    await log.close();
  }
});

test('entries chained before the written values existed (migration 002) still verify; a written value changed is found', async () => {
  // A log created with migration 001 only, as every log written before issue 14.
  const only001 = mkdtempSync(path.join(tmpdir(), 'audit-001-'));
  copyFileSync(
    path.join(auditLogModule.migrationsDir, '001_audit_log.sql'),
    path.join(only001, '001_audit_log.sql'),
  );
  const old = await createTestDatabase();
  try {
    await migrate(old, [{ namespace: 'audit', migrationsDir: only001 }]);
    // Appended as the kit did then (no written column yet).
    await old.query(
      `INSERT INTO audit_log (seq, at, request_id, subject, role, agency_code, kind, operation, type, fields,
                              record_ids, prev_hash, hash)
       VALUES (0, now(), 'r-1', 'cán-bộ-7', 'official', '000.00.21.H26', 'read', 'dossiers', 'Applicant',
               '{fullName}', '{A-1}', '', '')`,
    );
    const [before] = await old.query<{ hash: string }>(`SELECT hash FROM audit_log WHERE seq = 1`);
    await migrate(old, [auditLogModule]); // 002: the written column and the extended encoding
    await appendAuditEntries(old, { requestId: 'r-2', caller: OFFICIAL }, [
      {
        kind: 'mutation',
        operation: 'registerLandChange',
        type: 'LandChange',
        fields: ['input.date'],
        recordIds: ['7'],
        written: { arguments: { input: { date: '2025-06-16', holder: 'N*** V** A' } } },
      },
    ]);
    const after = await verifyChain(old);
    expect(after).toMatchObject({ ok: true, entries: 2 });
    const [first] = await old.query<{ hash: string }>(`SELECT hash FROM audit_log WHERE seq = 1`);
    expect(first!.hash).toBe(before!.hash); // chained by 001's function, verified by today's code
    // A backdating rewritten afterwards no longer verifies.
    await tamper(
      old,
      `UPDATE audit_log SET written = jsonb_set(written, '{arguments,input,date}', '"2025-01-02"') WHERE seq = 2`,
    );
    expect(await verifyChain(old)).toMatchObject({
      ok: false,
      firstBrokenSeq: 2,
      problem: 'hash does not match the entry',
    });
  } finally {
    await old.close();
  }
});
