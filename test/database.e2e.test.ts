/**
 * The embedded database as `npm start` lays it out (issue 14, findings 6 and 7), with real processes:
 * one embedded PostgreSQL server and the budgets subgraph's own process (its main.ts), serving as the
 * application role and migrated and seeded as the superuser.
 * - Nobody gets in without the password, another OS user included, and the passwords' file is theirs
 *   to read only.
 * - The application role can append to the audit log but not alter it, disable its triggers, or
 *   update, delete or truncate it.
 * - A `kill -9` of the database server in the middle of a mutation leaves the subgraph alive; the
 *   request gets SERVICE_UNAVAILABLE, and once the server is back on the same data and port the
 *   subgraph answers again, with every committed write there.
 * - A cluster made before passwords (trust authentication) is upgraded in place on its next start.
 */
import { execFileSync, fork, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import {
  CALLER_HEADER,
  generateGatewayKeys,
  importGatewayPrivateKey,
  signCallerToken,
} from '../common/identity';
import { adminQuery, openDatabase } from '../kit/runtime/db';
import { startEmbeddedPostgres } from '../kit/embedded-postgres';
import type { EmbeddedPostgres } from '../kit/embedded-postgres';
import { APP_ROLE, AUDIT_ROLE } from '../kit/runtime/roles';
import { callers } from '../kit/testing';
import { ROOT } from '../schema/registry';

const LAP_THACH = '000.00.46.H62'; // its officials record its budget lines
const DB = 'govgraph_budgets';
const dir = mkdtempSync(path.join(tmpdir(), 'govgraph-db-'));
const dataDir = path.join(dir, 'postgres');
const keys = generateGatewayKeys();
let server: EmbeddedPostgres;
let subgraph: ChildProcess;
let subgraphUrl: string;
let stderr = '';

/** The budgets subgraph's own process, as npm start runs it (scripts/start.ts). */
function startSubgraph(): Promise<string> {
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('BUDGETS_')),
  );
  subgraph = fork(path.join(ROOT, 'subgraphs/budgets/main.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...env,
      BUDGETS_DATABASE_URL: server.appUrl(DB),
      BUDGETS_MIGRATION_DATABASE_URL: server.url(DB),
      BUDGETS_PORT: '0',
      BUDGETS_GATEWAY_PUBLIC_KEY: keys.publicKey,
      BUDGETS_SEED_SCALE: '0.05',
      BUDGETS_LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  subgraph.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    subgraph.on('message', (m: { type?: string; url?: string }) => {
      if (m.type === 'listening' && m.url) resolve(m.url);
    });
    subgraph.once('exit', (code) => reject(new Error(`budgets exited (${code}): ${stderr}`)));
  });
}

async function gql(query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const token = await signCallerToken(
    callers.official(LAP_THACH),
    await importGatewayPrivateKey(keys.privateKey),
    { audience: 'budgets' },
  );
  const res = await fetch(subgraphUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [CALLER_HEADER]: token },
    body: JSON.stringify({ query, variables }),
  });
  return res.json();
}

const EXECUTE = `mutation($i: RecordBudgetExecutionInput!) { recordBudgetExecution(input: $i) { id executed } }`;
const LINE = `query($id: ID!) { budgetLine(id: $id) { id executed } }`;
let lineId: string;

beforeAll(async () => {
  server = await startEmbeddedPostgres({ dataDir });
  await server.ensureDatabase(DB);
  subgraphUrl = await startSubgraph();
  const r = await gql(
    `{ budgetLines(filter: { agencyCode: "${LAP_THACH}", fiscalYear: 2024, direction: CHI }, first: 1) { nodes { id } } }`,
  );
  lineId = r.data.budgetLines.nodes[0].id;
}, 120_000);

async function stopSubgraph(): Promise<void> {
  if (!subgraph || subgraph.exitCode !== null || subgraph.signalCode !== null) return;
  const exited = new Promise((r) => subgraph.once('exit', r));
  subgraph.kill('SIGTERM');
  await exited;
}

afterAll(async () => {
  await stopSubgraph();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Connects as `user` with `password` ('' = none), as the OS user `uid` (a node process of theirs):
 * `CONNECTED`, or `REFUSED <code> <message>`.
 */
function attempt(uid: number | undefined, user: string, password = ''): string {
  const script = `
    const { Client } = require(${JSON.stringify(require.resolve('pg'))});
    const c = new Client({ host: '127.0.0.1', port: ${server.port}, user: ${JSON.stringify(user)},
      database: 'postgres', password: ${JSON.stringify(password)}, connectionTimeoutMillis: 5000 });
    c.on('error', () => {});
    c.connect().then(
      () => { console.log('CONNECTED'); process.exit(0); },
      (e) => { console.log('REFUSED ' + (e.code || '-') + ' ' + e.message); process.exit(0); });`;
  const r = spawnSync(process.execPath, ['-e', script], { uid, gid: uid, encoding: 'utf8', timeout: 15_000 });
  return r.stdout.trim() || r.stderr.trim();
}

test('a connection without the password is refused, from another OS user too; the passwords are readable by their owner only', () => {
  const asRoot = process.getuid?.() === 0;
  const nobody = asRoot ? Number(execFileSync('id', ['-u', 'nobody']).toString()) : undefined;
  for (const user of ['postgres', APP_ROLE]) {
    // Another OS user (when the tests run as root, as CI does), and the owner itself: the server asks
    // for a password (SCRAM) and refuses a wrong one.
    for (const uid of [nobody, undefined]) {
      expect(attempt(uid, user)).toBe(
        'REFUSED - SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string',
      );
      expect(attempt(uid, user, 'postgres')).toBe(
        `REFUSED 28P01 password authentication failed for user "${user}"`,
      );
    }
  }
  const hba = readFileSync(path.join(dataDir, 'pg_hba.conf'), 'utf8');
  expect(hba.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([
    'host all all 127.0.0.1/32 scram-sha-256',
    'host all all ::1/128 scram-sha-256',
  ]);
  const secret = statSync(server.secretFile);
  expect({ file: server.secretFile, mode: secret.mode & 0o777, uid: secret.uid }).toEqual({
    file: `${dataDir}.secret`,
    mode: 0o600,
    uid: process.getuid!(),
  });
  if (nobody !== undefined) {
    const read = spawnSync('cat', [server.secretFile], { uid: nobody, gid: nobody, encoding: 'utf8' });
    expect(read.stderr).toMatch(/Permission denied/);
  }
});

test('the subgraph serves as a plain application role: it appends to the audit log but cannot alter it, disable its triggers, update, delete or truncate it', async () => {
  const [role] = await adminQuery(
    server.url(DB),
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
  expect((await gql(LINE, { id: lineId })).data.budgetLine.id).toBe(lineId);
  const served = await adminQuery(
    server.url(DB),
    `SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [DB],
  );
  expect(served).toEqual([{ usename: APP_ROLE }]);
  const [owner] = await adminQuery(
    server.url(DB),
    `SELECT relowner::regrole::text AS owner FROM pg_class WHERE oid = 'audit_log'::regclass`,
  );
  expect(owner).toEqual({ owner: AUDIT_ROLE });

  const app = new Client({ connectionString: server.appUrl(DB) });
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

/** Holds the row lock of the budget line as the superuser until `release`; errors after a crash are ignored. */
async function holdLineLock(): Promise<{ release: () => void }> {
  const admin = await openDatabase({ url: server.url(DB), poolSize: 1 });
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  void admin
    .transaction(async (tx) => {
      await tx.query('SELECT id FROM budget_lines WHERE id = $1 FOR UPDATE', [lineId]);
      locked();
      await released;
    })
    .catch(() => undefined)
    .finally(() => admin.close().catch(() => undefined));
  await isLocked;
  return { release };
}

async function waitForAppLockWait(): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const rows = await adminQuery(
      server.url(DB),
      `SELECT 1 FROM pg_stat_activity WHERE usename = $1 AND wait_event_type = 'Lock'`,
      [APP_ROLE],
    );
    if (rows.length) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the mutation never waited for the lock');
}

/** Starts the server again on the same data and port (its crashed backends may take a moment to go). */
async function restartServer(port: number): Promise<EmbeddedPostgres> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startEmbeddedPostgres({ dataDir, port });
    } catch (err) {
      if (attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

test('kill -9 of the database server mid-mutation: the subgraph stays up, the request gets SERVICE_UNAVAILABLE, and it answers again once the server is back', async () => {
  const committed = await gql(EXECUTE, { i: { lineId, amount: '1000', date: '2024-06-03' } });
  expect(committed.errors).toBeUndefined();
  const executedAfterCommit = committed.data.recordBudgetExecution.executed;

  const lock = await holdLineLock();
  const inFlight = gql(EXECUTE, { i: { lineId, amount: '5000', date: '2024-06-04' } });
  await waitForAppLockWait(); // the mutation's transaction is open, waiting on the line
  const port = server.port;
  process.kill(server.pid, 'SIGKILL');
  const failed = await inFlight;
  lock.release();
  expect(failed.data).toBeNull();
  expect(failed.errors.map((e: any) => [e.extensions.code, e.message])).toEqual([
    ['SERVICE_UNAVAILABLE', 'The database is unavailable; nothing was written. Retry in a moment.'],
  ]);
  // The process is alive and still answers: health, and a clean error while the database is down.
  expect(subgraph.exitCode).toBeNull();
  expect((await fetch(subgraphUrl.replace(/\/graphql$/, '/health'))).status).toBe(200);
  const whileDown = await gql(LINE, { id: lineId });
  expect(whileDown.errors.map((e: any) => e.extensions.code)).toEqual(['SERVICE_UNAVAILABLE']);
  expect((await fetch(subgraphUrl.replace(/\/graphql$/, '/ready'))).status).toBe(503);

  await server.stop(); // the crashed server's guard
  server = await restartServer(port);
  // No restart of the subgraph: its pool connects again. The committed write survived, the cut one is not there.
  const after = await gql(LINE, { id: lineId });
  expect(after).toEqual({ data: { budgetLine: { id: lineId, executed: executedAfterCommit } } });
  const again = await gql(EXECUTE, { i: { lineId, amount: '7', date: '2024-06-05' } });
  expect(again.data.recordBudgetExecution.executed).toBe(String(BigInt(executedAfterCommit) + 7n));
  expect(subgraph.exitCode).toBeNull();
}, 60_000);

test('a cluster made with trust authentication is upgraded in place: passwords required, data kept', async () => {
  await stopSubgraph();
  const port = server.port;
  await server.stop();
  // What a developer's data/ folder from before looks like: trust for everyone, no secret.
  writeFileSync(path.join(dataDir, 'pg_hba.conf'), 'host all all 127.0.0.1/32 trust\n');
  rmSync(`${dataDir}.secret`);
  server = await startEmbeddedPostgres({ dataDir, port });
  expect(attempt(undefined, 'postgres')).toBe(
    'REFUSED - SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string',
  );
  expect(attempt(undefined, 'postgres', 'postgres')).toBe(
    'REFUSED 28P01 password authentication failed for user "postgres"',
  );
  expect(statSync(server.secretFile).mode & 0o777).toBe(0o600);
  const rows = await adminQuery(
    server.appUrl(DB),
    'SELECT count(*)::int AS n FROM budget_lines WHERE id = $1',
    [lineId],
  );
  expect(rows).toEqual([{ n: 1 }]);
}, 60_000);
