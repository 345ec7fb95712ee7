/**
 * Real processes for registry tests, each started as production starts it (its main.ts under tsx,
 * settings from the environment, port 0): the registry (`registry/main.ts`), a gateway replica
 * (`gateway/main.ts`), the permits partner subgraph (`test/fixtures/permits`), each with only the
 * settings given (none of the test's own GATEWAY_* / REGISTRY_* / PERMITS_*), their output kept for
 * assertions; and the schema CLI as a partner's CI runs it. Kill them with `killStarted()` in `afterAll`.
 */
import { execFile, fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../../schema/registry';

export interface Started {
  proc: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const started: ChildProcess[] = [];

const DROPPED = ['GATEWAY_', 'REGISTRY_', 'SUPERGRAPH_', 'PERMITS_', 'GOVGRAPH_REGISTRY'];

function spawn(file: string, env: Record<string, string>): Started {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !DROPPED.some((prefix) => k.startsWith(prefix))),
  );
  const proc = fork(path.join(ROOT, file), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  started.push(proc);
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, output: () => out, exited };
}

/** The registry process; resolves with its URL once it logs "registry listening" (keep REGISTRY_LOG_LEVEL at info). */
export async function startRegistryProcess(env: Record<string, string>): Promise<Started & { url: string }> {
  const running = spawn('registry/main.ts', env);
  for (;;) {
    const line = running
      .output()
      .split('\n')
      .find((l) => l.includes('"registry listening"'));
    if (line) return { ...running, url: (JSON.parse(line) as { url: string }).url };
    const code = await Promise.race([running.exited, new Promise((r) => setTimeout(() => r('wait'), 100))]);
    if (code !== 'wait') throw new Error(`registry exited with ${code}:\n${running.output()}`);
  }
}

export interface GatewayProcess extends Started {
  url: string;
  /** The supergraph part of its /ready answer. */
  ready(): Promise<{ hash: string; reloads: number; refusals: number }>;
}

/** A gateway process; resolves once it listens, rejects with its output if it exits. */
export async function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  const running = spawn('gateway/main.ts', { GATEWAY_PORT: '0', LOG_LEVEL: 'info', ...env });
  const url = await listening(running, 'gateway');
  return {
    ...running,
    url,
    async ready() {
      const response = await fetch(new URL('/ready', url));
      return ((await response.json()) as { supergraph: Awaited<ReturnType<GatewayProcess['ready']>> })
        .supergraph;
    },
  };
}

/** Resolves with the URL the process sends (`{ type: 'listening', url }`); rejects if it exits first. */
function listening(running: Started, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    running.proc.on('message', (m: { type?: string; url?: string }) => {
      if (m?.type === 'listening' && m.url) resolve(m.url);
    });
    void running.exited.then((code) =>
      reject(new Error(`${what} exited with ${code}:\n${running.output()}`)),
    );
  });
}

/**
 * The permits partner subgraph (test/fixtures/permits/main.ts) on a database of its own: `url` (the
 * owner) migrates and seeds it, `appUrl` serves. It verifies caller tokens with `gatewayPublicKey`.
 */
export async function startPermitsProcess(opts: {
  database: { url: string; appUrl: string };
  gatewayPublicKey: string;
}): Promise<Started & { url: string }> {
  const running = spawn('test/fixtures/permits/main.ts', {
    GOVGRAPH_REGISTRY: 'test/fixtures/registry.json',
    PERMITS_PORT: '0',
    PERMITS_DATABASE_URL: opts.database.appUrl,
    PERMITS_MIGRATION_DATABASE_URL: opts.database.url,
    PERMITS_GATEWAY_PUBLIC_KEY: opts.gatewayPublicKey,
    PERMITS_LOG_LEVEL: 'warn',
  });
  return { ...running, url: await listening(running, 'permits') };
}

/**
 * `node <cli> args` in `cwd` with only PATH and `env`, as a partner's CI runs the bundled schema CLI
 * (it knows nothing of this repository): exit code, stdout and stderr.
 */
export function runCli(
  cli: string,
  args: readonly string[],
  opts: { cwd: string; env: Record<string, string> },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { cwd: opts.cwd, env: { PATH: process.env.PATH, ...opts.env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

export function killStarted(): void {
  for (const proc of started) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
}

/** Polls `probe` until `ok` (`withinMs`, 20 s by default). */
export async function until<T>(
  what: string,
  probe: () => Promise<T>,
  ok: (value: T) => boolean,
  withinMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
