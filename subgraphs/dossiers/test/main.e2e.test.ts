/**
 * The dossiers process (its main.ts) on a fresh database with the national portal sync configured:
 * the serving process forks a `--seed-only` child of the same main.ts to seed, and only the serving
 * process runs the portal sync sender, started once the subgraph listens. The child once started a
 * sender too, and both started before the migrations: their first round failed on a missing table.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createTestDatabase } from '../../../kit/testing';
import type { TestDatabase } from '../../../kit/testing';
import { ROOT } from '../../../schema/registry';

jest.setTimeout(120_000);

let db: TestDatabase;
let receiver: Server;
let receiverUrl: string;

beforeAll(async () => {
  db = await createTestDatabase();
  // The portal's adapter; nothing is due on a fresh seed, so it only has to be there.
  receiver = createServer((_req, res) => res.writeHead(200).end('{"error_code":0}'));
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => receiver?.close(resolve));
  await db?.close();
});

interface LogLine {
  msg: string;
}

test('a fresh start seeds in a child process, and only the serving process starts the portal sync sender', async () => {
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(DOSSIERS_|PORTAL_SYNC_)/.test(k)),
  );
  const p = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'subgraphs/dossiers/main.ts')], {
    cwd: ROOT,
    env: {
      ...env,
      DOSSIERS_DATABASE_URL: db.url,
      DOSSIERS_PORT: '0',
      DOSSIERS_SEED_SCALE: '0.02',
      DOSSIERS_LOG_LEVEL: 'info',
      PORTAL_SYNC_URL: receiverUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  let stderr = '';
  p.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  let out = '';
  const listening = new Promise<void>((resolve, reject) => {
    p.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const complete = out.split('\n');
      out = complete.pop()!;
      for (const line of complete) {
        if (!line.startsWith('{')) continue;
        const parsed = JSON.parse(line) as LogLine;
        lines.push(parsed);
        if (parsed.msg === 'portal sync started') resolve();
      }
    });
    p.once('exit', (code) =>
      reject(new Error(`dossiers exited (${code}) before its sender started: ${stderr}`)),
    );
  });
  await listening;
  const exited = new Promise<number | null>((resolve) => p.once('exit', resolve));
  p.kill('SIGTERM');
  expect(await exited).toBe(0);

  // The logs of both processes share the standard output (the child's is inherited); lines carry no
  // pid (the logger's base is the service name), so each process is told by what it logs.
  const count = (msg: string): number => lines.filter((l) => l.msg === msg).length;
  expect(count('seeded')).toBe(1); // the --seed-only child
  expect(count('subgraph listening')).toBe(1); // the serving process
  // One sender, the serving process's, started after it listens: nothing failed on the way.
  expect(count('portal sync started')).toBe(1);
  const order = lines.map((l) => l.msg);
  expect(order.indexOf('portal sync started')).toBeGreaterThan(order.indexOf('subgraph listening'));
  expect(lines.filter((l) => /failed/.test(l.msg))).toEqual([]);
  expect(stderr).toBe('');
});
