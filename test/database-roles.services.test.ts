/**
 * The production layout of docs/database.md on a PostgreSQL server by URL (the services tier's server):
 * an owner role that migrates, the application role that serves, the audit role that owns the audit
 * log. `main.ts --migrate-only` as the owner applies the migrations and the grants; a subgraph told to
 * serve as a superuser in production refuses to start.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { adminQuery } from '../kit/runtime/db';
import { APP_ROLE, AUDIT_ROLE, ensureRoles } from '../kit/runtime/roles';
import { testServerUrl } from '../kit/testing';
import { ROOT } from '../schema/registry';

const OWNER = 'govgraph_owner';
const server = testServerUrl('server');
const name = `govgraph_test_${randomBytes(5).toString('hex')}`;
const as = (role: string | null, db: string): string => {
  const u = new URL(server);
  if (role) u.username = role;
  u.pathname = `/${db}`;
  return u.toString();
};

/** `subgraphs/mail/main.ts` with these settings (and nothing else of MAIL_*): exit code and stderr. */
function mail(args: string[], env: Record<string, string>): { code: number | null; stderr: string } {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MAIL_')));
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'subgraphs/mail/main.ts'), ...args],
    {
      env: { ...base, NODE_ENV: 'production', MAIL_PORT: '0', MAIL_LOG_LEVEL: 'error', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return { code: r.status, stderr: r.stderr };
}

beforeAll(async () => {
  // docs/database.md "Production", once per server and once per database (idempotent here: other test
  // files share the server's roles).
  await ensureRoles(server);
  const owner = await adminQuery(server, 'SELECT 1 FROM pg_roles WHERE rolname = $1', [OWNER]);
  if (!owner.length) await adminQuery(server, `CREATE ROLE ${OWNER} LOGIN`).catch(() => undefined);
  await adminQuery(server, `GRANT ${AUDIT_ROLE} TO ${OWNER}`);
  await adminQuery(server, `CREATE DATABASE ${name} OWNER ${OWNER}`);
  await adminQuery(as(null, name), `GRANT CREATE ON SCHEMA public TO ${AUDIT_ROLE}`);
}, 30_000);
afterAll(async () => {
  await adminQuery(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

test('--migrate-only as the owner: tables are the owner’s, the audit log the audit role’s, and the application role may only append to it', async () => {
  const r = mail(['--migrate-only'], {
    MAIL_DATABASE_URL: as(APP_ROLE, name),
    MAIL_MIGRATION_DATABASE_URL: as(OWNER, name),
  });
  expect(r).toEqual({ code: 0, stderr: '' });
  const owners = await adminQuery(
    as(null, name),
    `SELECT relowner::regrole::text AS owner, count(*)::int AS n FROM pg_class
      WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' GROUP BY 1 ORDER BY 1`,
  );
  expect(owners.map((o) => o.owner)).toEqual([AUDIT_ROLE, OWNER]);
  // audit_log alone: a partitioned table ('p') whose partitions are its default, this year and next year
  expect(owners[0]!.n).toBe(3);
  const auditTables = await adminQuery<{ relname: string }>(
    as(null, name),
    `SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p')
        AND relowner = '${AUDIT_ROLE}'::regrole ORDER BY 1`,
  );
  expect(auditTables.map((t) => t.relname.replace(/\d{4}$/, 'YYYY'))).toEqual([
    'audit_log',
    'audit_log_YYYY',
    'audit_log_YYYY',
    'audit_log_default',
  ]);
  const rights = await adminQuery(
    as(null, name),
    `SELECT p AS privilege, has_table_privilege($1, 'audit_log', p) AS audit_log,
            has_table_privilege($1, 'mailboxes', p) AS mailboxes
       FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER']) AS p`,
    [APP_ROLE],
  );
  expect(rights).toEqual([
    { privilege: 'SELECT', audit_log: true, mailboxes: true },
    { privilege: 'INSERT', audit_log: true, mailboxes: true },
    { privilege: 'UPDATE', audit_log: false, mailboxes: true },
    { privilege: 'DELETE', audit_log: false, mailboxes: true },
    { privilege: 'TRUNCATE', audit_log: false, mailboxes: false },
    { privilege: 'TRIGGER', audit_log: false, mailboxes: false },
  ]);
  // Again: nothing to apply, the grants are the same.
  expect(
    mail(['--migrate-only'], {
      MAIL_DATABASE_URL: as(APP_ROLE, name),
      MAIL_MIGRATION_DATABASE_URL: as(OWNER, name),
    }),
  ).toEqual({
    code: 0,
    stderr: '',
  });
}, 120_000);

test('in production a subgraph refuses to serve as a superuser', () => {
  const r = mail([], { MAIL_DATABASE_URL: as(null, name), MAIL_SEED: 'false' });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(
    /^mail: failed to start: MAIL_DATABASE_URL: role "postgres" is a superuser: serve as the application role \(docs\/database\.md\)\n$/,
  );
}, 60_000);
