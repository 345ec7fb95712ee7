/**
 * `npx tsx scripts/audit-bench.ts`: what the audit log costs, on a throw-away database of the
 * PostgreSQL server at TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres, fsync
 * as that server has it): one request's append alone; 20 concurrent requests appending through the
 * group-committing appender (as a subgraph's reads do); 20 concurrent mutation-style appends, each in
 * its own transaction; and verifying 100,000 entries. docs/security.md "Audit log" quotes the numbers.
 */
import { adminQuery, openDatabase } from '../kit/runtime/db';
import { migrate } from '../kit/runtime/migrate';
import {
  appendAuditEntries,
  auditLogModule,
  createAuditAppender,
  verifyChain,
} from '../kit/runtime/auditlog';
import type { NewAuditEntry } from '../kit/runtime/auditlog';

const server = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `govgraph_audit_bench_${process.pid}`;
const actor = {
  requestId: 'bench',
  caller: {
    subject: 'u-1',
    role: 'official' as const,
    agencyCode: '000.00.21.H26',
    citizenId: null,
    scopes: [],
  },
};
// A page of 20 dossiers whose applicants' names and ID numbers were shown.
const page = (i: number): NewAuditEntry[] => [
  {
    kind: 'read',
    operation: 'dossiers',
    type: 'Applicant',
    fields: ['fullName', 'idNumber'],
    recordIds: Array.from(
      { length: 20 },
      (_, k) => `000.00.21.H26-250101-${String(i * 20 + k).padStart(4, '0')}`,
    ),
  },
];

async function concurrently(n: number, total: number, fn: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < total) await fn(next++);
    }),
  );
  return (total / (performance.now() - t)) * 1000;
}

async function main(): Promise<void> {
  await adminQuery(server, `CREATE DATABASE ${name}`);
  const u = new URL(server);
  u.pathname = `/${name}`;
  const db = await openDatabase({ url: u.toString(), poolSize: 20 });
  try {
    await migrate(db, [auditLogModule]);
    let t = performance.now();
    for (let i = 0; i < 500; i++) await appendAuditEntries(db, actor, page(i));
    console.log(`one request at a time:         ${((performance.now() - t) / 500).toFixed(2)} ms per append`);
    const appender = createAuditAppender(db);
    const grouped = await concurrently(20, 4000, (i) => appender.append(actor, page(i)));
    console.log(`20 concurrent reads (grouped): ${grouped.toFixed(0)} requests/s`);
    const own = await concurrently(20, 1000, (i) =>
      db.transaction((tx) => appendAuditEntries(tx, actor, page(i))),
    );
    console.log(`20 concurrent mutations:       ${own.toFixed(0)} entries/s (one transaction each)`);
    await db.exec(`INSERT INTO audit_log (seq, at, request_id, role, kind, operation, type, fields, record_ids, prev_hash, hash)
      SELECT 0, now(), 'bulk', 'official', 'read', 'dossiers', 'Applicant', '{fullName}', ARRAY['D-' || g], '', ''
        FROM generate_series(1, 94500) g`);
    t = performance.now();
    const r = await verifyChain(db);
    const s = (performance.now() - t) / 1000;
    console.log(`verify:                        ${r.entries} entries in ${s.toFixed(1)} s (ok: ${r.ok})`);
  } finally {
    await db.close();
    await adminQuery(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().catch((err: Error) => {
  console.error(`audit-bench: ${err.message}`);
  process.exit(1);
});
