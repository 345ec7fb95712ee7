/**
 * Runs the processes `npm start` runs (scripts/start.ts) on free ports with a given data directory,
 * and resolves once the stack prints its URLs.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { ROOT } from '../../schema/registry';

export { signDevToken } from '../../scripts/devKeys';

export interface Stack {
  gateway: string;
  graphiql: string;
  /** PID of the `npm start` process (scripts/start.ts). */
  pid: number;
  output(): string;
  /** Ctrl-C (SIGINT); resolves to the exit code. */
  stop(): Promise<number | null>;
  /** `kill -9` of the `npm start` process alone; resolves when it is gone. */
  kill9(): Promise<void>;
}

export function startStack(dataDir: string, env: Record<string, string> = {}): Promise<Stack> {
  const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      GOVGRAPH_EPHEMERAL_PORTS: '1',
      GOVGRAPH_DATA_DIR: dataDir,
      GOVGRAPH_SEED_SCALE: '0.05',
      GOVGRAPH_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const gone = (): boolean => proc.exitCode !== null || proc.signalCode !== null;
  const signal = (sig: NodeJS.Signals): Promise<number | null> =>
    new Promise((resolve) => {
      if (gone()) return resolve(proc.exitCode);
      proc.removeAllListeners('exit');
      proc.once('exit', (code) => resolve(code));
      proc.kill(sig);
    });
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const gw = /Gateway:\s+(\S+)/.exec(out);
      const gi = /GraphiQL:\s+(\S+)/.exec(out);
      if (out.includes('govgraph is up') && gw && gi)
        resolve({
          gateway: gw[1]!,
          graphiql: gi[1]!,
          pid: proc.pid!,
          output: () => out,
          stop: () => signal('SIGINT'),
          kill9: async () => void (await signal('SIGKILL')),
        });
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${out}`)));
  });
}
