/**
 * Runs the processes `npm start` runs (scripts/start.ts) on free ports with a given data directory,
 * and resolves once the stack prints its URLs.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { ROOT } from '../../schema/registry';

export interface Stack {
  gateway: string;
  graphiql: string;
  output(): string;
  /** Ctrl-C (SIGINT); resolves to the exit code. */
  stop(): Promise<number | null>;
}

export function startStack(dataDir: string, env: Record<string, string> = {}): Promise<Stack> {
  const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      GOVGRAPH_EPHEMERAL_PORTS: '1',
      GOVGRAPH_DATA_DIR: dataDir,
      SEED_SCALE: '0.05',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const stop = (): Promise<number | null> =>
    new Promise((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve(proc.exitCode);
      proc.removeAllListeners('exit');
      proc.once('exit', (code) => resolve(code));
      proc.kill('SIGINT');
    });
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const gw = /Gateway:\s+(\S+)/.exec(out);
      const gi = /GraphiQL:\s+(\S+)/.exec(out);
      if (out.includes('govgraph is up') && gw && gi)
        resolve({ gateway: gw[1]!, graphiql: gi[1]!, output: () => out, stop });
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${out}`)));
  });
}
