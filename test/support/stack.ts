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
  /** Resolves with the exit code once `npm start` has exited, however. */
  exited: Promise<number | null>;
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
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const signal = (sig: NodeJS.Signals): Promise<number | null> => {
    proc.off('exit', failedToStart);
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(sig);
    return exited;
  };
  const failedToStart = (code: number | null): void =>
    reject(new Error(`npm start exited with ${code}:\n${out}`));
  let reject!: (err: Error) => void;
  return new Promise((resolve, rejectStart) => {
    reject = rejectStart;
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
          exited,
        });
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', failedToStart);
  });
}
