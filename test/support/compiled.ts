/**
 * The compiled build for end-to-end tests: `scripts/build.ts --outdir` into a temporary folder (beside a
 * link to node_modules, as a deployment has it), and its processes started with plain `node`: no
 * TypeScript loader in argv, execArgv or NODE_OPTIONS.
 */
import { fork, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../../schema/registry';

export interface CompiledBuild {
  dir: string;
  /** What the build printed (`built …: N modules, M assets in … s`). */
  output: string;
  remove(): void;
}

export function buildCompiled(): CompiledBuild {
  const dir = mkdtempSync(path.join(tmpdir(), 'govgraph-dist-'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const out = path.join(dir, 'dist');
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--outdir', out], {
    cwd: ROOT,
    env: plainNodeEnv(),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`build failed (${run.status}): ${run.stderr}${run.stdout}`);
  return { dir: out, output: run.stdout.trim(), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** This environment without jest's NODE_OPTIONS: the child runs as `node file.js` would. */
export function plainNodeEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.NODE_OPTIONS;
  return env;
}

export interface CompiledProcess {
  proc: ChildProcess;
  /** The URL the process reported listening on. */
  url: string;
  output(): string;
  /** SIGTERM; resolves to the exit code. */
  stop(): Promise<number | null>;
}

/** Forks `file` with plain node and resolves when it reports `{ type: 'listening', url }`. */
export function startCompiled(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 45_000,
): Promise<CompiledProcess> {
  const proc = fork(file, args, { cwd: ROOT, env, execArgv: [], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const stop = (): Promise<number | null> =>
    new Promise((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve(proc.exitCode);
      proc.removeAllListeners('exit');
      proc.once('exit', (code) => resolve(code));
      proc.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(
        new Error(`${path.basename(path.dirname(file))} did not listen within ${timeoutMs} ms:\n${out}`),
      );
    }, timeoutMs);
    proc.on('message', (m: { type?: string; url?: string }) => {
      if (m?.type !== 'listening' || !m.url) return;
      clearTimeout(timer);
      resolve({ proc, url: m.url, output: () => out, stop });
    });
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited (${signal ?? code}) before listening:\n${out}`));
    });
  });
}
