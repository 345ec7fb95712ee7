/**
 * Database roles (docs/database.md): a subgraph serves as a non-superuser application role that may
 * read and write its tables but only append to the audit log, whose table, functions and triggers
 * belong to a role it cannot become. Migrations and the seed run as the owner (the superuser on the
 * embedded server, an owner role in production).
 *
 * - `ensureRoles`: once per server (cluster-wide roles), as a superuser.
 * - `grantApplicationRole`: once per database after its migrations, as the owner; idempotent.
 * - `servingRoleProblems`: what the serving connection could do that it must not.
 */
import { adminQuery } from './db';
import type { Queryable } from './db';

/** The role subgraphs serve as (LOGIN, no other attribute). */
export const APP_ROLE = 'govgraph_app';
/** Owner of the audit log's table, functions and triggers (NOLOGIN; the application is not a member). */
export const AUDIT_ROLE = 'govgraph_audit';

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function checkRoleName(role: string): string {
  if (!ROLE_NAME.test(role)) throw new Error(`invalid role name "${role}"`);
  return role;
}

/** SQLSTATEs of a CREATE ROLE that lost a race with another process creating the same role. */
const ALREADY_THERE = new Set(['42710', '23505']);

async function createRole(adminUrl: string, role: string, attributes: string): Promise<void> {
  const found = await adminQuery(adminUrl, 'SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  if (found.length) return;
  await adminQuery(adminUrl, `CREATE ROLE "${role}" ${attributes}`).catch((err: { code?: string }) => {
    if (!ALREADY_THERE.has(err.code ?? '')) throw err;
  });
}

/**
 * Creates the audit owner and the application role when missing (cluster-wide), and sets the
 * application role's password when one is given. The application role never gets SUPERUSER,
 * CREATEDB, CREATEROLE, REPLICATION or BYPASSRLS, nor membership of the audit owner; an existing
 * role with any of them is refused.
 */
export async function ensureRoles(
  adminUrl: string,
  opts: { appRole?: string; appPassword?: string } = {},
): Promise<void> {
  const app = checkRoleName(opts.appRole ?? APP_ROLE);
  await createRole(adminUrl, AUDIT_ROLE, 'NOLOGIN');
  await createRole(adminUrl, app, 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS');
  if (opts.appPassword !== undefined) {
    const [{ sql }] = (await adminQuery<{ sql: string }>(
      adminUrl,
      `SELECT format('ALTER ROLE %I PASSWORD %L', $1::text, $2::text) AS sql`,
      [app, opts.appPassword],
    )) as [{ sql: string }];
    await adminQuery(adminUrl, sql);
  }
  const problems = await roleProblems(adminUrl, app);
  if (problems.length) throw new Error(`role "${app}" ${problems.join(', ')}; see docs/database.md`);
}

async function roleProblems(adminUrl: string, role: string): Promise<string[]> {
  const [r] = await adminQuery<Record<string, boolean>>(
    adminUrl,
    `SELECT rolsuper AS superuser, rolcreatedb AS createdb, rolcreaterole AS createrole,
            rolreplication AS replication, rolbypassrls AS bypassrls,
            pg_has_role(rolname, $2, 'MEMBER') AS audit_member
       FROM pg_roles WHERE rolname = $1`,
    [role, AUDIT_ROLE],
  );
  if (!r) return ['does not exist'];
  const what: Record<string, string> = {
    superuser: 'is a superuser',
    createdb: 'may create databases',
    createrole: 'may create roles',
    replication: 'may replicate',
    bypassrls: 'bypasses row security',
    audit_member: `is a member of ${AUDIT_ROLE} (it could alter the audit log)`,
  };
  return Object.keys(what)
    .filter((k) => r[k])
    .map((k) => what[k]!);
}

/**
 * Grants in the current database, run as its owner after the migrations (each start; idempotent):
 * - the application role may SELECT, INSERT, UPDATE and DELETE every table and use every sequence
 *   (also the tables of later migrations, by default privileges), but not create objects, TRUNCATE, or
 *   write `schema_migrations`;
 * - the audit log's table (and any other `audit_*` table) and its `audit_*` functions (the chain and
 *   append-only triggers') belong to AUDIT_ROLE; the application role may only SELECT and INSERT it — the chain trigger runs as the
 *   inserting role and needs nothing more. It cannot ALTER the table, disable its triggers, replace
 *   their functions, UPDATE, DELETE or TRUNCATE.
 */
export async function grantApplicationRole(db: Queryable, appRole: string): Promise<void> {
  const app = `"${checkRoleName(appRole)}"`;
  const audit = `"${AUDIT_ROLE}"`;
  await db.exec(`
    DO $grants$
    DECLARE
      t regclass;
      f regprocedure;
    BEGIN
      REVOKE CREATE ON SCHEMA public FROM PUBLIC;
      REVOKE CREATE ON SCHEMA public FROM ${app};
      GRANT USAGE ON SCHEMA public TO ${app};
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${app};
      REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM ${app};
      GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${app};
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app};
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${app};
      IF to_regclass('public.schema_migrations') IS NOT NULL THEN
        REVOKE ALL ON public.schema_migrations FROM ${app};
        GRANT SELECT ON public.schema_migrations TO ${app};
      END IF;
      -- The audit log: audit_log and any other audit_* table a later migration adds.
      FOR t IN
        SELECT c.oid::regclass FROM pg_class c
         WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND c.relname LIKE 'audit\\_%'
      LOOP
        IF (SELECT relowner FROM pg_class WHERE oid = t) <> '${AUDIT_ROLE}'::regrole THEN
          EXECUTE format('ALTER TABLE %s OWNER TO ${audit}', t);
        END IF;
        EXECUTE format('REVOKE ALL ON %s FROM PUBLIC, ${app}', t);
        EXECUTE format('GRANT SELECT, INSERT ON %s TO ${app}', t);
      END LOOP;
      FOR f IN
        SELECT p.oid::regprocedure FROM pg_proc p
         WHERE p.pronamespace = 'public'::regnamespace AND p.proname LIKE 'audit\\_%'
           AND p.proowner <> '${AUDIT_ROLE}'::regrole
      LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO ${audit}', f);
      END LOOP;
    END
    $grants$`);
}

/**
 * What the serving connection's role could do that an application role must not (empty when none):
 * be a superuser, bypass row security, or own (or be able to become the owner of) the audit log.
 */
export async function servingRoleProblems(db: Queryable): Promise<string[]> {
  const [r] = await db.query<{ role: string; superuser: boolean; bypassrls: boolean; audit: boolean | null }>(
    `SELECT current_user AS role, rolsuper AS superuser, rolbypassrls AS bypassrls,
            (SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class
              WHERE oid = to_regclass('public.audit_log')) AS audit
       FROM pg_roles WHERE rolname = current_user`,
  );
  if (!r) return [];
  const problems: string[] = [];
  if (r.superuser) problems.push(`role "${r.role}" is a superuser`);
  if (r.bypassrls && !r.superuser) problems.push(`role "${r.role}" bypasses row security`);
  if (r.audit && !r.superuser) problems.push(`role "${r.role}" can alter the audit log (it owns it)`);
  return problems;
}

/** The role a connection logs in as. */
export async function currentRole(db: Queryable): Promise<string> {
  const [r] = await db.query<{ role: string }>('SELECT current_user AS role');
  return r!.role;
}
