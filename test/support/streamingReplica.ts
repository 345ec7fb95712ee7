/**
 * A real streaming replica of the services tier's PostgreSQL server (Debian's PostgreSQL 15, port 5432):
 * `pg_basebackup -R` into a temporary folder, started as a hot standby on a free port, owned and run
 * by the `postgres` OS user as the server is. The server must accept replication connections from
 * 127.0.0.1 (`.ci/run` adds `host replication all 127.0.0.1/32 trust` to its pg_hba.conf).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adminQuery } from '../../kit/runtime/db';
import { freePort } from '../../common/freePort';

const BIN = process.env.TEST_PG_BIN || '/usr/lib/postgresql/15/bin';

export interface StreamingReplica {
  readonly port: number;
  /** `url` with its host and port replaced by the replica's (same user, same database). */
  urlFor(url: string): string;
  /** Stops and starts WAL replay (`pg_wal_replay_pause()` / `_resume()`), as a lagging replica would. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  stop(): Promise<void>;
}

const asPostgres = (command: string, args: string[]) =>
  process.getuid?.() === 0
    ? (['runuser', ['-u', 'postgres', '--', command, ...args]] as const)
    : ([command, args] as const);

export async function startStreamingReplica(primaryUrl: string): Promise<StreamingReplica> {
  const primary = new URL(primaryUrl);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'govgraph-replica-'));
  const data = path.join(dir, 'data');
  if (process.getuid?.() === 0) chownSync(dir, postgresIds().uid, postgresIds().gid);
  const [bb, bbArgs] = asPostgres(path.join(BIN, 'pg_basebackup'), [
    '-h',
    primary.hostname,
    '-p',
    primary.port || '5432',
    '-U',
    decodeURIComponent(primary.username) || 'postgres',
    '-D',
    data,
    '-R',
    '-X',
    'stream',
    '-c',
    'fast',
  ]);
  const backup = spawnSync(bb, bbArgs, { encoding: 'utf8', timeout: 120_000 });
  if (backup.status !== 0)
    throw new Error(
      `pg_basebackup failed (${backup.status}): ${backup.stderr.trim()}` +
        (/pg_hba/.test(backup.stderr)
          ? ' — the server must allow replication from 127.0.0.1 (see .ci/run)'
          : ''),
    );
  const port = await freePort();
  // A hot standby refuses to start with fewer of these than its primary has.
  const minimums = await adminQuery(
    primaryUrl,
    `SELECT name, setting FROM pg_settings WHERE name IN ('max_connections', 'max_worker_processes',
       'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction')`,
  );
  const hotStandbyMinimums = minimums.map((m) => `${String(m.name)} = ${String(m.setting)}\n`).join('');
  // The Debian cluster keeps its configuration outside the data folder: the copy gets its own.
  const own = (file: string, text: string) => {
    writeFileSync(path.join(data, file), text);
    if (process.getuid?.() === 0) chownSync(path.join(data, file), postgresIds().uid, postgresIds().gid);
  };
  own(
    'postgresql.conf',
    `port = ${port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${dir}'\nhot_standby = on\n${hotStandbyMinimums}`,
  );
  own('pg_hba.conf', 'local all all trust\nhost all all 127.0.0.1/32 trust\n');
  own('pg_ident.conf', '');
  const [pg, pgArgs] = asPostgres(path.join(BIN, 'postgres'), ['-D', data]);
  const proc: ChildProcess = spawn(pg, pgArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr!.on('data', (chunk: Buffer) => void (log += chunk.toString()));
  const url = (u: string): string => {
    const copy = new URL(u);
    copy.hostname = '127.0.0.1';
    copy.port = String(port);
    return copy.toString();
  };
  const admin = url(primaryUrl);
  for (let i = 0; ; i++) {
    try {
      await adminQuery(admin, 'SELECT 1');
      break;
    } catch (err) {
      if (proc.exitCode !== null || i > 150)
        throw new Error(`the replica did not start: ${(err as Error).message}\n${log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    port,
    urlFor: url,
    pauseReplay: async () => void (await adminQuery(admin, 'SELECT pg_wal_replay_pause()')),
    resumeReplay: async () => void (await adminQuery(admin, 'SELECT pg_wal_replay_resume()')),
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        // Fast shutdown, sent to the postmaster itself (runuser does not pass signals on).
        const pid = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
        process.kill(pid, 'SIGINT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let ids: { uid: number; gid: number } | undefined;
function postgresIds(): { uid: number; gid: number } {
  if (!ids) {
    const id = (flag: string) =>
      Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    ids = { uid: id('-u'), gid: id('-g') };
  }
  return ids;
}
