/** Child processes of the gateway benchmarks: pinned to a CPU, read line by line, always stopped. */
import { spawn } from 'node:child_process';
export { freePort } from '../../common/freePort';

export interface Started {
  readonly pid: number;
  /** Resolves with the first stdout line matching `pattern` (rejects if the process exits first). */
  line(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves with all of stdout once the process exits with status 0. */
  output(): Promise<string>;
  exited(): boolean;
  stop(): Promise<void>;
}

/** `taskset -c <cpus> …`: the command pinned to a CPU list (`0`, `0,1`). */
export function pinned(cpus: string, command: string[]): string[] {
  return ['taskset', '-c', cpus, ...command];
}

export function startProcess(command: string[], extraEnv: Record<string, string | undefined>): Started {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(extraEnv)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  for (const k of Object.keys(env)) if (k.startsWith('BENCH_')) delete env[k];
  const child = spawn(command[0]!, command.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let done = false;
  const waiters: (() => void)[] = [];
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
    for (const w of waiters) w();
  });
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      done = true;
      for (const w of waiters) w();
      resolve(code);
    }),
  );
  return {
    pid: child.pid!,
    line: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          for (const l of out.split('\n')) {
            const m = pattern.exec(l);
            if (m) return resolve(m);
          }
          if (done)
            reject(new Error(`${command.join(' ')} exited: ${err.trim().split('\n').slice(-3).join(' | ')}`));
        };
        waiters.push(check);
        check();
      }),
    output: async () => {
      const code = await exit;
      if (code !== 0) throw new Error(`${command.join(' ')} exited with ${code}: ${err.trim()}`);
      return out;
    },
    exited: () => done,
    async stop() {
      if (done) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Polls until the gateway answers `{ __typename }` (at most 60 s). */
export async function waitForGraphql(url: string, proc: Started): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (proc.exited()) await proc.line(/^\0never/);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ __typename }"}',
      });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up within 60 s`);
}
