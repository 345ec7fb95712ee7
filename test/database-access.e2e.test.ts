/**
 * Who may reach the embedded database as `npm start` lays it out (issue 14, findings 6 and 7), with
 * real processes (test/support/budgetsDatabase.ts):
 * - Nobody gets in without the password, another OS user included, and the passwords' file is theirs
 *   to read only.
 * - The application role can append to the audit log but not alter it, disable its triggers, or
 *   update, delete or truncate it.
 * - A cluster made before passwords (trust authentication) is upgraded in place on its next start.
 * A crash of the server: test/database-crash.e2e.test.ts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { adminQuery } from '../kit/runtime/db';
import { startEmbeddedPostgres } from '../kit/embedded-postgres';
import { APP_ROLE, AUDIT_ROLE } from '../kit/runtime/roles';
import { DB, LINE, useBudgetsDatabase } from './support/budgetsDatabase';

const db = useBudgetsDatabase();

test('a connection without the password is refused, from another OS user too; the passwords are readable by their owner only', () => {
  const asRoot = process.getuid?.() === 0;
  const nobody = asRoot ? Number(execFileSync('id', ['-u', 'nobody']).toString()) : undefined;
  for (const user of ['postgres', APP_ROLE]) {
    // Another OS user (when the tests run as root, as CI does), and the owner itself: the server asks
    // for a password (SCRAM) and refuses a wrong one.
    for (const uid of [nobody, undefined]) {
      expect(db.attempt(uid, user)).toBe(
        'REFUSED - SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string',
      );
      expect(db.attempt(uid, user, 'postgres')).toBe(
        `REFUSED 28P01 password authentication failed for user "${user}"`,
      );
    }
  }
  const hba = readFileSync(path.join(db.dataDir, 'pg_hba.conf'), 'utf8');
  expect(hba.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([
    'host all all 127.0.0.1/32 scram-sha-256',
    'host all all ::1/128 scram-sha-256',
  ]);
  const secret = statSync(db.server.secretFile);
  expect({ file: db.server.secretFile, mode: secret.mode & 0o777, uid: secret.uid }).toEqual({
    file: `${db.dataDir}.secret`,
    mode: 0o600,
    uid: process.getuid!(),
  });
  if (nobody !== undefined) {
    const read = spawnSync('cat', [db.server.secretFile], { uid: nobody, gid: nobody, encoding: 'utf8' });
    expect(read.stderr).toMatch(/Permission denied/);
  }
});

test('the subgraph serves as a plain application role: it appends to the audit log but cannot alter it, disable its triggers, update, delete or truncate it', async () => {
  const [role] = await adminQuery(
    db.server.url(DB),
    `SELECT rolsuper, rolcreatedb, rolcreaterole, rolbypassrls, pg_has_role($1, $2, 'MEMBER') AS audit_member
       FROM pg_roles WHERE rolname = $1`,
    [APP_ROLE, AUDIT_ROLE],
  );
  expect(role).toEqual({
    rolsuper: false,
    rolcreatedb: false,
    rolcreaterole: false,
    rolbypassrls: false,
    audit_member: false,
  });
  // The subgraph's connections (just used: its pool keeps them 10 s) are the application role's.
  expect((await db.gql(LINE, { id: db.lineId })).data.budgetLine.id).toBe(db.lineId);
  const served = await adminQuery(
    db.server.url(DB),
    `SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [DB],
  );
  expect(served).toEqual([{ usename: APP_ROLE }]);
  const [owner] = await adminQuery(
    db.server.url(DB),
    `SELECT relowner::regrole::text AS owner FROM pg_class WHERE oid = 'audit_log'::regclass`,
  );
  expect(owner).toEqual({ owner: AUDIT_ROLE });

  const app = new Client({ connectionString: db.server.appUrl(DB) });
  await app.connect();
  const attempt = (sql: string): Promise<string> =>
    app.query(sql).then(
      () => 'done',
      (e: { code: string; message: string }) => `${e.code} ${e.message}`,
    );
  try {
    const [before] = (await app.query('SELECT count(*)::int AS n, max(seq)::int AS seq FROM audit_log')).rows;
    // Appending works, and the chain trigger (owned by the audit role) still numbers and hashes it.
    const [appended] = (
      await app.query(
        `INSERT INTO audit_log (request_id, role, kind, operation, type, fields, record_ids)
         VALUES ('probe', 'official', 'mutation', 'probe', 'BudgetLine', '{}', '{}') RETURNING seq::int, length(hash) AS h`,
      )
    ).rows;
    expect(appended).toEqual({ seq: (before.seq ?? 0) + 1, h: 64 });
    const refusals: [string, string][] = [
      ['ALTER TABLE audit_log ADD COLUMN x int', '42501 must be owner of table audit_log'],
      ['ALTER TABLE audit_log DISABLE TRIGGER ALL', '42501 must be owner of table audit_log'],
      [
        'ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only',
        '42501 must be owner of table audit_log',
      ],
      ['DROP TRIGGER audit_log_chain ON audit_log', '42501 must be owner of relation audit_log'],
      [
        `CREATE OR REPLACE FUNCTION audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`,
        '42501 permission denied for schema public', // and it is not the function's owner either
      ],
      [`UPDATE audit_log SET subject = 'x'`, '42501 permission denied for table audit_log'],
      ['DELETE FROM audit_log', '42501 permission denied for table audit_log'],
      ['TRUNCATE audit_log', '42501 permission denied for table audit_log'],
      [`SET ROLE ${AUDIT_ROLE}`, `42501 permission denied to set role "${AUDIT_ROLE}"`],
      [
        'SET session_replication_role = replica',
        '42501 permission denied to set parameter "session_replication_role"',
      ],
      ['CREATE TABLE shadow (a int)', '42501 permission denied for schema public'],
    ];
    for (const [sql, expected] of refusals)
      expect({ sql, result: await attempt(sql) }).toEqual({ sql, result: expected });
    expect((await app.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n).toBe(before.n + 1);
  } finally {
    await app.end();
  }
});

test('a cluster made with trust authentication is upgraded in place: passwords required, data kept', async () => {
  await db.stopSubgraph();
  const port = db.server.port;
  await db.server.stop();
  // What a developer's data/ folder from before looks like: trust for everyone, no secret.
  writeFileSync(path.join(db.dataDir, 'pg_hba.conf'), 'host all all 127.0.0.1/32 trust\n');
  rmSync(`${db.dataDir}.secret`);
  db.server = await startEmbeddedPostgres({ dataDir: db.dataDir, port });
  expect(db.attempt(undefined, 'postgres')).toBe(
    'REFUSED - SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string',
  );
  expect(db.attempt(undefined, 'postgres', 'postgres')).toBe(
    'REFUSED 28P01 password authentication failed for user "postgres"',
  );
  expect(statSync(db.server.secretFile).mode & 0o777).toBe(0o600);
  const rows = await adminQuery(
    db.server.appUrl(DB),
    'SELECT count(*)::int AS n FROM budget_lines WHERE id = $1',
    [db.lineId],
  );
  expect(rows).toEqual([{ n: 1 }]);
}, 60_000);
