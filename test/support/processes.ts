/**
 * The real processes the registry's end-to-end tests run, each started as production starts it (its
 * main.ts under tsx, settings from the environment, port 0): the schema registry, a gateway replica,
 * the permits partner subgraph (test/fixtures/permits) and the registry's CLI as a partner's CI runs
 * it. Every process started here is killed by `stopProcesses` (call it in `afterAll`).
 */
import { execFile, fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../../schema/registry';

export const TSX = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');

export interface Running {
  proc: ChildProcess;
  /** Everything it wrote, stdout and stderr. */
  output(): string;
  /** Resolves with the exit code (null after a signal) once it is gone. */
  exited: Promise<number | null>;
}

const started: ChildProcess[] = [];

/** Forks `file` (relative to the repository) under tsx, with the test's environment minus `drop` prefixes. */
function start(file: string, env: Record<string, string>, drop: readonly string[]): Running {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !drop.some((prefix) => k.startsWith(prefix))),
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
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { proc, output: () => out, exited };
}

/** Resolves with the URL the process sends (`{ type: 'listening', url }`); rejects if it exits first. */
function listening(running: Running, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    running.proc.on('message', (m: { type?: string; url?: string }) => {
      if (m?.type === 'listening' && m.url) resolve(m.url);
    });
    void running.exited.then((code) =>
      reject(new Error(`${what} exited with ${code}:\n${running.output()}`)),
    );
  });
}

/** Kills (SIGKILL) every process these helpers started that still runs. */
export async function stopProcesses(): Promise<void> {
  const alive = started.filter((p) => p.exitCode === null && p.signalCode === null);
  await Promise.all(alive.map((p) => new Promise((resolve) => (p.once('exit', resolve), p.kill('SIGKILL')))));
}

/** registry/main.ts with `env` (REGISTRY_*); resolves once it logs "registry listening" (at info: keep REGISTRY_LOG_LEVEL at info or lower). */
export async function startRegistryProcess(env: Record<string, string>): Promise<Running & { url: string }> {
  const running = start('registry/main.ts', { REGISTRY_PORT: '0', ...env }, ['REGISTRY_']);
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

export interface GatewayProcess extends Running {
  url: string;
  /** The supergraph part of its /ready answer. */
  ready(): Promise<{ hash: string; reloads: number; refusals: number }>;
}

/** gateway/main.ts with `env` (GATEWAY_*, SUPERGRAPH_*; info logs); resolves once it listens. */
export async function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  const running = start(
    'gateway/main.ts',
    { GATEWAY_PORT: '0', LOG_LEVEL: 'info', GATEWAY_RATE_LIMIT_PER_IP: '0', ...env },
    ['GATEWAY_', 'SUPERGRAPH_'],
  );
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

/**
 * The permits partner subgraph (test/fixtures/permits/main.ts) on a database of its own: `owner` to
 * migrate and seed it, `app` to serve. It verifies the gateway's caller tokens with `gatewayPublicKey`.
 */
export async function startPermitsProcess(opts: {
  database: { url: string; appUrl: string };
  gatewayPublicKey: string;
}): Promise<Running & { url: string }> {
  const running = start(
    'test/fixtures/permits/main.ts',
    {
      GOVGRAPH_REGISTRY: 'test/fixtures/registry.json',
      PERMITS_PORT: '0',
      PERMITS_DATABASE_URL: opts.database.appUrl,
      PERMITS_MIGRATION_DATABASE_URL: opts.database.url,
      PERMITS_GATEWAY_PUBLIC_KEY: opts.gatewayPublicKey,
      PERMITS_LOG_LEVEL: 'warn',
    },
    ['PERMITS_', 'GOVGRAPH_'],
  );
  return { ...running, url: await listening(running, 'permits') };
}

/**
 * `tsx <cli> args` in `cwd` with only PATH and `env` (a partner's CI knows nothing of this repository):
 * exit code, stdout and stderr.
 */
export function runCli(
  cli: string,
  args: readonly string[],
  opts: { cwd: string; env: Record<string, string> },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [TSX, cli, ...args],
      { cwd: opts.cwd, env: { PATH: process.env.PATH, ...opts.env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}
