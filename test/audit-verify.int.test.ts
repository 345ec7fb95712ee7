/**
 * `npm run audit:verify` over the databases named by `<NAME>_DATABASE_URL` (a registry with two
 * subgraphs): a clean run exits 0 with each log's entries and head; tampering exits 1 naming the
 * first broken entry; with --anchor, a truncated log is caught too; an unreadable log exits 2.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ANONYMOUS } from '../kit/runtime/context';
import { appendAuditEntries, auditLogModule } from '../kit/runtime/auditlog';
import { migrate } from '../kit/runtime/migrate';
import { createTestDatabase } from '../kit/testing';
import type { TestDatabase } from '../kit/testing';
import { ROOT } from '../schema/registry';

jest.setTimeout(60_000);

let documents: TestDatabase;
let permits: TestDatabase;
const anchorFile = path.join(mkdtempSync(path.join(tmpdir(), 'govgraph-anchor-')), 'heads.json');

function verify(args: string[] = [], env: Record<string, string> = {}) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      GOVGRAPH_REGISTRY: 'test/fixtures/registry.json',
      DOCUMENTS_DATABASE_URL: documents.url,
      PERMITS_DATABASE_URL: permits.url,
      ...env,
    },
  });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

async function log(n: number): Promise<TestDatabase> {
  const db = await createTestDatabase();
  await migrate(db, [auditLogModule]);
  for (let i = 1; i <= n; i++)
    await appendAuditEntries(db, { requestId: `r-${i}`, caller: ANONYMOUS }, [
      { kind: 'read', operation: 'q', type: 'T', fields: ['f'], recordIds: [String(i)] },
    ]);
  return db;
}

beforeAll(async () => {
  documents = await log(3);
  permits = await log(4);
});

afterAll(async () => {
  await documents?.close();
  await permits?.close();
});

test('clean logs verify: entries and head per subgraph, exit 0; --anchor records the heads', () => {
  const { code, out } = verify(['--anchor', anchorFile]);
  expect(out).toMatch(/^documents\s+ok\s+3 entries, head 3 [0-9a-f]{64}$/m);
  expect(out).toMatch(/^permits\s+ok\s+4 entries, head 4 [0-9a-f]{64}$/m);
  expect(code).toBe(0);
  const heads = JSON.parse(readFileSync(anchorFile, 'utf8'));
  expect(heads).toEqual({
    documents: { seq: 3, hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    permits: { seq: 4, hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
  });
});

test('a truncated log verifies alone but fails against the anchored head, exit 1', async () => {
  await permits.exec(
    `ALTER TABLE audit_log DISABLE TRIGGER USER; DELETE FROM audit_log WHERE seq = 4;
     ALTER TABLE audit_log ENABLE TRIGGER USER`,
  );
  expect(verify().code).toBe(0);
  const { code, out, err } = verify(['--anchor', anchorFile]);
  expect(out).toMatch(/^permits\s+BROKEN\s+first broken entry: seq 4 — the anchored head 4 is gone/m);
  expect(err).toContain('permits at seq 4 BROKEN');
  expect(code).toBe(1);
});

test('an entry changed in place fails, naming it, exit 1', async () => {
  await documents.exec(
    `ALTER TABLE audit_log DISABLE TRIGGER USER; UPDATE audit_log SET fields = '{g}' WHERE seq = 2;
     ALTER TABLE audit_log ENABLE TRIGGER USER`,
  );
  const { code, out } = verify();
  expect(out).toMatch(/^documents\s+BROKEN\s+first broken entry: seq 2 — hash does not match the entry/m);
  expect(code).toBe(1);
});

test('a database without the log is reported unreadable, exit 2', async () => {
  const empty = await createTestDatabase();
  try {
    const { code, out } = verify([], { DOCUMENTS_DATABASE_URL: empty.url, PERMITS_DATABASE_URL: empty.url });
    expect(out).toMatch(/^documents\s+UNREADABLE\s+no audit_log table/m);
    expect(code).toBe(2);
  } finally {
    await empty.close();
  }
});

test("with REGISTRY_DATABASE_URL, the schema registry's log is verified too", async () => {
  const registry = await log(2);
  const empty = await createTestDatabase();
  try {
    const clean = verify([], { REGISTRY_DATABASE_URL: registry.url });
    expect(clean.out).toMatch(/^registry\s+ok\s+2 entries, head 2 [0-9a-f]{64}$/m);
    const missing = verify([], { REGISTRY_DATABASE_URL: empty.url });
    expect(missing.out).toMatch(/^registry\s+UNREADABLE\s+no audit_log table/m);
    expect(missing.code).not.toBe(0);
  } finally {
    await registry.close();
    await empty.close();
  }
});
