/**
 * Real processes for registry tests: the registry (`registry/main.ts`) and a gateway (`gateway/main.ts`)
 * forked with tsx and only the settings given (no GATEWAY_* / REGISTRY_* of the test's environment),
 * their output kept for assertions. Kill them with `killStarted()` in `afterAll`.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../../schema/registry';

export interface Started {
  proc: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const started: ChildProcess[] = [];

function spawn(file: string, env: Record<string, string>): Started {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('GATEWAY_') && !k.startsWith('REGISTRY_')),
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

/** The registry process; resolves with its URL once it listens. */
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

/** A gateway process; resolves with its URL once it listens, rejects with its output if it exits. */
export function startGatewayProcess(env: Record<string, string>): Promise<Started & { url: string }> {
  const running = spawn('gateway/main.ts', { GATEWAY_PORT: '0', LOG_LEVEL: 'info', ...env });
  return new Promise((resolve, reject) => {
    running.proc.on('message', (m: { type?: string; url?: string }) => {
      if (m?.type === 'listening' && m.url) resolve({ ...running, url: m.url });
    });
    void running.exited.then((code) =>
      reject(new Error(`gateway exited with ${code}:\n${running.output()}`)),
    );
  });
}

export function killStarted(): void {
  for (const proc of started) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
}

/** Polls `probe` until `ok` (20 s at most). */
export async function until<T>(what: string, probe: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
