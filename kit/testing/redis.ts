/**
 * A Redis server of a test's own (the `redis-server` binary, on a free port, nothing persisted), for
 * tests that take Redis down and bring it back: `stop()` kills it, `start()` starts it again on the
 * same port. Tests that only need a Redis use the shared one (`TEST_REDIS_URL`, default
 * 127.0.0.1:6379).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

export interface OwnRedis {
  readonly port: number;
  readonly url: string;
  start(): Promise<void>;
  /** SIGKILL: the server is gone at once, as in a crash. */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function ownRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let proc: ChildProcess | null = null;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      const p = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      proc = p;
      await new Promise<void>((resolve, reject) => {
        let out = '';
        p.stdout!.on('data', (c: Buffer) => {
          out += c.toString();
          if (/Ready to accept connections/i.test(out)) resolve();
        });
        p.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out}`)));
      });
    },
    async stop() {
      const p = proc;
      proc = null;
      if (!p || p.exitCode !== null) return;
      const gone = new Promise((r) => p.once('exit', r));
      p.kill('SIGKILL');
      await gone;
    },
  };
}
