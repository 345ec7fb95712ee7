/**
 * `npm start`'s supervision of one child process (a subgraph or the gateway), as an orchestrator would:
 * - the first start must report `listening` (an IPC message with its URL) within the ready timeout, or
 *   `ready` rejects and `npm start` stops everything (a bad setting must not loop);
 * - after that, a child that exits on its own is started again after a delay that doubles with each
 *   crash within the window (`initialDelayMs`, 2×, 4×, … up to `maxDelayMs`), on the same port;
 * - `maxCrashes` crashes within `windowMs` and it is given up on: one loud line, and `onGiveUp`;
 * - `stop()` ends it (SIGTERM, SIGKILL after `stopTimeoutMs`) and cancels a pending restart.
 * Everything it does is said on one line each through `log`. The process is made by `spawn`, so the
 * policy is tested without real processes (test/supervise.unit.test.ts), and with `npm start`'s own
 * processes by test/start-supervision.e2e.test.ts.
 */
import type { ChildProcess } from 'node:child_process';

export interface RestartPolicy {
  /** Delay before the first restart, ms; doubled for each further crash within the window. */
  initialDelayMs: number;
  /** The delay's cap, ms. */
  maxDelayMs: number;
  /** This many crashes within `windowMs` and the child is not started again. */
  maxCrashes: number;
  windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  maxCrashes: 5,
  windowMs: 60_000,
};

/** What `supervise` needs of a child process (a ChildProcess has it all). */
export type Child = Pick<ChildProcess, 'pid' | 'exitCode' | 'signalCode' | 'kill' | 'on' | 'once'>;

export interface SuperviseOptions {
  name: string;
  /** Starts the process; `previousUrl` (on a restart) is where it listened, so it takes that port again. */
  spawn: (previousUrl: string | undefined) => Child;
  policy?: RestartPolicy;
  /** A start (first or restart) must report `listening` within this long, ms. */
  readyTimeoutMs: number;
  stopTimeoutMs?: number;
  log: (line: string) => void;
  /** Called once the child has been given up on. */
  onGiveUp?: () => void;
  now?: () => number;
}

export type SupervisedState = 'starting' | 'running' | 'waiting to restart' | 'given up' | 'stopped';

export interface Supervised {
  readonly name: string;
  /** The URL of the first start; rejects when the first start fails. */
  readonly ready: Promise<string>;
  readonly state: SupervisedState;
  /** Crashes so far (all time). */
  readonly crashes: number;
  /** The child now running, if any. */
  readonly child: Child | undefined;
  stop(): Promise<void>;
}

const describeExit = (code: number | null, signal: NodeJS.Signals | null): string =>
  signal ? `signal ${signal}` : `exit code ${code}`;

const seconds = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`);

export function supervise(opts: SuperviseOptions): Supervised {
  const policy = opts.policy ?? DEFAULT_RESTART_POLICY;
  const now = opts.now ?? Date.now;
  const stopTimeoutMs = opts.stopTimeoutMs ?? 15_000;
  let state: SupervisedState = 'starting';
  let child: Child | undefined;
  let url: string | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let total = 0;
  let recent: number[] = []; // crash times within the window
  let resolveReady!: (url: string) => void;
  let rejectReady!: (err: Error) => void;
  const ready = new Promise<string>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  ready.catch(() => undefined); // the caller handles it; no unhandled rejection if it does not wait

  function start(): void {
    const proc = opts.spawn(url);
    child = proc;
    state = 'starting';
    const first = url === undefined;
    const timer = setTimeout(() => {
      opts.log(`${opts.name} was not ready within ${seconds(opts.readyTimeoutMs)}; stopping it`);
      proc.kill('SIGKILL');
    }, opts.readyTimeoutMs);
    proc.on('message', (m: { type?: string; url?: string }) => {
      if (m?.type !== 'listening' || !m.url || proc !== child) return;
      clearTimeout(timer);
      state = 'running';
      if (first) {
        url = m.url;
        resolveReady(m.url);
      } else opts.log(`${opts.name} is back at ${m.url} (after ${total} crash${total === 1 ? '' : 'es'})`);
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (proc !== child) return;
      child = undefined;
      if (state === 'stopped') return;
      const how = describeExit(code, signal);
      if (first && state === 'starting') {
        state = 'given up';
        rejectReady(new Error(`${opts.name} exited before it was ready (${how})`));
        return;
      }
      crashed(how);
    });
  }

  function crashed(how: string): void {
    total++;
    const t = now();
    recent = [...recent.filter((at) => t - at < policy.windowMs), t];
    if (recent.length >= policy.maxCrashes) {
      state = 'given up';
      opts.log(
        `${opts.name} exited (${how}); it crashed ${recent.length} times within ${seconds(policy.windowMs)}: ` +
          'NOT restarting it again. Fix the cause and restart npm start.',
      );
      opts.onGiveUp?.();
      return;
    }
    const delay = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (recent.length - 1));
    state = 'waiting to restart';
    opts.log(
      `${opts.name} exited (${how}); restarting it in ${seconds(delay)} ` +
        `(crash ${recent.length} of ${policy.maxCrashes} allowed within ${seconds(policy.windowMs)})`,
    );
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      if (state === 'waiting to restart') start();
    }, delay);
  }

  start();
  return {
    name: opts.name,
    ready,
    get state() {
      return state;
    },
    get crashes() {
      return total;
    },
    get child() {
      return child;
    },
    stop() {
      const wasStarting = state === 'starting' && url === undefined;
      state = 'stopped';
      clearTimeout(restartTimer);
      if (wasStarting) rejectReady(new Error(`${opts.name} was stopped before it was ready`));
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const kill = setTimeout(() => proc.kill('SIGKILL'), stopTimeoutMs);
        proc.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        proc.kill('SIGTERM');
      });
    },
  };
}
