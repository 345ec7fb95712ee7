/**
 * Authentication of the embedded PostgreSQL server (kit/embedded-postgres/server.ts): the passwords' secret
 * file beside the cluster (0600, the owner's), initdb with SCRAM-SHA-256, and the in-place upgrade of a
 * cluster made with trust authentication (the superuser's password set in single-user mode, before the
 * server listens; `pg_hba.conf` rewritten).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The embedded server's superuser (also its OS user when started as root). */
export const SUPERUSER = 'postgres';

export type OsUser = { uid: number; gid: number } | undefined;

/** The passwords of one embedded server. */
export interface Secret {
  superuser: string;
  app: string;
}

const newPassword = (): string => randomBytes(24).toString('base64url');

/**
 * The secret file: read (after checking that it is ours and making it 0600), or created with fresh
 * passwords. `created` says the passwords are new, so an existing cluster must be told them.
 */
export function loadSecret(file: string, create = true): { secret: Secret; created: boolean } {
  if (existsSync(file) || !create) {
    if (!existsSync(file)) throw new Error(`${file} is missing: it holds the embedded server's passwords`);
    const st = statSync(file);
    if (typeof process.getuid === 'function' && st.uid !== process.getuid())
      throw new Error(`${file} belongs to another user (uid ${st.uid}); it holds the database passwords`);
    if ((st.mode & 0o077) !== 0) chmodSync(file, 0o600);
    const secret = JSON.parse(readFileSync(file, 'utf8')) as Partial<Secret>;
    if (typeof secret.superuser !== 'string' || typeof secret.app !== 'string')
      throw new Error(`${file} is not a govgraph database secret; delete it to make a new one`);
    return { secret: secret as Secret, created: false };
  }
  const secret: Secret = { superuser: newPassword(), app: newPassword() };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(secret, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return { secret, created: true };
}

/** A file only the server's OS user can read, for the duration of `fn` (initdb's --pwfile). */
function withPrivateFile<T>(content: string, user: OsUser, fn: (file: string) => T): T {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'govgraph-pw-'));
  const file = path.join(dir, 'pw');
  try {
    writeFileSync(file, content, { mode: 0o600 });
    if (user) {
      chownSync(dir, user.uid, user.gid);
      chownSync(file, user.uid, user.gid);
    }
    return fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runTool(what: string, file: string, args: string[], user: OsUser, input?: string): void {
  try {
    execFileSync(file, args, {
      ...user,
      input,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
  } catch (err) {
    const detail = String((err as { stderr?: Buffer }).stderr ?? '')
      .trim()
      .split('\n')[0];
    throw new Error(`${what}: ${detail || (err as Error).message}`);
  }
}

export function initdb(bin: string, dataDir: string, user: OsUser, password: string): void {
  withPrivateFile(`${password}\n`, user, (pwfile) =>
    runTool(
      `initdb failed in ${dataDir}`,
      path.join(bin, 'initdb'),
      [
        `--pgdata=${dataDir}`,
        '--auth=scram-sha-256',
        `--pwfile=${pwfile}`,
        `--username=${SUPERUSER}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      user,
    ),
  );
}

/** Loopback TCP only (the server has no Unix socket), every connection with a password. */
const PG_HBA = `# Written by govgraph (kit/embedded-postgres/server.ts) on every start: edits are overwritten.
# Loopback TCP only, every role with its password (SCRAM-SHA-256); passwords in the secret file.
host all all 127.0.0.1/32 scram-sha-256
host all all ::1/128 scram-sha-256
`;

/**
 * Makes an existing cluster ask for passwords: the superuser's password is set in single-user mode
 * (no server listening, so no moment without authentication), then `pg_hba.conf` is rewritten.
 * Does nothing for a cluster already set up with this secret.
 */
export function requirePasswords(
  bin: string,
  dataDir: string,
  user: OsUser,
  secret: Secret,
  newSecret: boolean,
): void {
  const hbaFile = path.join(dataDir, 'pg_hba.conf');
  const current = existsSync(hbaFile) ? readFileSync(hbaFile, 'utf8') : '';
  if (current === PG_HBA && !newSecret) return;
  const literal = `'${secret.superuser.replace(/'/g, "''")}'`;
  runTool(
    `could not set the superuser's password in ${dataDir}`,
    path.join(bin, 'postgres'),
    ['--single', '-D', dataDir, '-c', 'password_encryption=scram-sha-256', 'postgres'],
    user,
    `ALTER ROLE ${SUPERUSER} PASSWORD ${literal}\n`,
  );
  writeFileSync(hbaFile, PG_HBA, { mode: 0o600 });
  if (user) chownSync(hbaFile, user.uid, user.gid);
}
