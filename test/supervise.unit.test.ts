/**
 * The restart policy of `npm start` (scripts/start/supervise.ts) with stand-in processes: backoff that
 * doubles up to its cap, giving up after too many crashes within the window (and not before: a crash
 * outside it starts the count again), the first start's failure reported instead of retried, the same
 * URL handed to a restart, a restart that never gets ready, and stop() during a backoff.
 */
import { EventEmitter } from 'node:events';
import { supervise } from '../scripts/start/supervise';
import type { Child, RestartPolicy } from '../scripts/start/supervise';

class FakeChild extends EventEmitter {
  static pids = 1000;
  pid = FakeChild.pids++;
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  signals: string[] = [];
  constructor(readonly previousUrl: string | undefined) {
    super();
  }
  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    this.signals.push(signal);
    setImmediate(() => this.exit(null, signal));
    return true;
  }
  listen(url: string): void {
    this.emit('message', { type: 'listening', url });
  }
  exit(code: number | null, signal: NodeJS.Signals | null = null): void {
    if (this.exitCode !== null || this.signalCode !== null) return;
    this.exitCode = code;
    this.signalCode = signal;
    this.emit('exit', code, signal);
  }
}

const policy: RestartPolicy = { initialDelayMs: 20, maxDelayMs: 50, maxCrashes: 4, windowMs: 60_000 };
const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function harness(opts: { autoListen?: boolean; readyTimeoutMs?: number; now?: () => number } = {}) {
  const children: FakeChild[] = [];
  const lines: string[] = [];
  let gaveUp = 0;
  const sup = supervise({
    name: 'land',
    policy,
    readyTimeoutMs: opts.readyTimeoutMs ?? 5000,
    stopTimeoutMs: 200,
    log: (l) => lines.push(l),
    onGiveUp: () => gaveUp++,
    now: opts.now,
    spawn: (previousUrl) => {
      const c = new FakeChild(previousUrl);
      children.push(c);
      if (opts.autoListen !== false && children.length > 1)
        setImmediate(() => c.listen(previousUrl ?? 'http://127.0.0.1:1/graphql'));
      return c as unknown as Child;
    },
  });
  return { sup, children, lines, gaveUp: () => gaveUp };
}

/** Waits until `n` processes were started. */
async function started(children: FakeChild[], n: number): Promise<void> {
  for (let i = 0; i < 200 && children.length < n; i++) await tick(5);
  expect(children.length).toBe(n);
}

test('a crash after the first start is restarted on the same URL, with a delay doubling to its cap; at maxCrashes within the window it gives up, loudly', async () => {
  const h = harness();
  h.children[0]!.listen('http://127.0.0.1:4101/graphql');
  expect(await h.sup.ready).toBe('http://127.0.0.1:4101/graphql');
  expect(h.sup.state).toBe('running');
  for (let crash = 1; crash <= 3; crash++) {
    h.children[crash - 1]!.exit(null, 'SIGKILL');
    expect(h.sup.state).toBe('waiting to restart');
    await started(h.children, crash + 1);
    await tick(5);
    expect(h.sup.state).toBe('running');
  }
  expect(h.children.slice(1).map((c) => c.previousUrl)).toEqual(
    Array(3).fill('http://127.0.0.1:4101/graphql'),
  );
  h.children[3]!.exit(1);
  expect(h.sup.state).toBe('given up');
  await tick(100);
  expect(h.children).toHaveLength(4); // not started again
  expect(h.gaveUp()).toBe(1);
  expect(h.lines).toEqual([
    'land exited (signal SIGKILL); restarting it in 20 ms (crash 1 of 4 allowed within 60 s)',
    'land is back at http://127.0.0.1:4101/graphql (after 1 crash)',
    'land exited (signal SIGKILL); restarting it in 40 ms (crash 2 of 4 allowed within 60 s)',
    'land is back at http://127.0.0.1:4101/graphql (after 2 crashes)',
    'land exited (signal SIGKILL); restarting it in 50 ms (crash 3 of 4 allowed within 60 s)',
    'land is back at http://127.0.0.1:4101/graphql (after 3 crashes)',
    'land exited (exit code 1); it crashed 4 times within 60 s: NOT restarting it again. Fix the cause and restart npm start.',
  ]);
});

test('crashes older than the window no longer count: the backoff and the limit start again', async () => {
  let clock = 0;
  const h = harness({ now: () => clock });
  h.children[0]!.listen('http://127.0.0.1:4102/graphql');
  await h.sup.ready;
  h.children[0]!.exit(null, 'SIGKILL');
  await started(h.children, 2);
  clock += 10_000;
  h.children[1]!.exit(null, 'SIGKILL');
  await started(h.children, 3);
  clock += 61_000; // both crashes are now out of the window
  h.children[2]!.exit(null, 'SIGKILL');
  await started(h.children, 4);
  expect(h.lines.filter((l) => l.includes('restarting'))).toEqual([
    'land exited (signal SIGKILL); restarting it in 20 ms (crash 1 of 4 allowed within 60 s)',
    'land exited (signal SIGKILL); restarting it in 40 ms (crash 2 of 4 allowed within 60 s)',
    'land exited (signal SIGKILL); restarting it in 20 ms (crash 1 of 4 allowed within 60 s)',
  ]);
  expect(h.sup.crashes).toBe(3);
  await h.sup.stop();
});

test('a first start that fails is reported, not retried', async () => {
  const h = harness();
  h.children[0]!.exit(1);
  await expect(h.sup.ready).rejects.toThrow('land exited before it was ready (exit code 1)');
  await tick(60);
  expect(h.children).toHaveLength(1);
  expect(h.sup.state).toBe('given up');
});

test('a restart that does not get ready within the ready timeout is killed and counts as a crash', async () => {
  const h = harness({ autoListen: false, readyTimeoutMs: 80 });
  h.children[0]!.listen('http://127.0.0.1:4103/graphql');
  await h.sup.ready;
  h.children[0]!.exit(null, 'SIGKILL');
  await started(h.children, 2);
  await tick(150);
  expect(h.children[1]!.signals).toEqual(['SIGKILL']);
  expect(h.lines.slice(0, 3)).toEqual([
    'land exited (signal SIGKILL); restarting it in 20 ms (crash 1 of 4 allowed within 60 s)',
    'land was not ready within 80 ms; stopping it',
    'land exited (signal SIGKILL); restarting it in 40 ms (crash 2 of 4 allowed within 60 s)',
  ]);
  await h.sup.stop();
});

test('stop() ends the child with SIGTERM, and during a backoff cancels the restart', async () => {
  const h = harness();
  h.children[0]!.listen('http://127.0.0.1:4104/graphql');
  await h.sup.ready;
  h.children[0]!.exit(null, 'SIGKILL');
  expect(h.sup.state).toBe('waiting to restart');
  await h.sup.stop();
  await tick(60);
  expect(h.children).toHaveLength(1);
  expect(h.sup.state).toBe('stopped');

  const running = harness();
  running.children[0]!.listen('http://127.0.0.1:4105/graphql');
  await running.sup.ready;
  await running.sup.stop();
  expect(running.children[0]!.signals).toEqual(['SIGTERM']);
  await tick(60);
  expect(running.children).toHaveLength(1); // its exit was not taken for a crash
  expect(running.lines).toEqual([]);
});
