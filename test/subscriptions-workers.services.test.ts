/**
 * Fan-out across gateway workers (docs/subscriptions.md, "Scale"): a gateway process started as
 * `npm start` starts it (`gateway/main.ts`, forked) with GATEWAY_WORKERS=2 — a cluster primary and two
 * worker processes on one port, each with its own reader of the event stream — over the subscription
 * suites' subgraphs. Subscribers connected to different workers (told apart by the pid on the log
 * lines of their operations, each named `Fanout<i>`) each receive one event exactly once.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { ROOT } from '../schema/registry';
import { token } from './support/security';
import { publish, subscriber } from './support/subscriptions';
import type { Subscriber } from './support/subscriptions';
import { eventOf, untilLive, useSubscriptionStack } from './support/subscriptionStack';

const S = useSubscriptionStack();
let gateway: ChildProcess | undefined;
let output = '';

afterAll(async () => {
  if (gateway && gateway.exitCode === null && gateway.signalCode === null) {
    const exited = new Promise((r) => gateway!.once('exit', r));
    gateway.kill('SIGTERM');
    const timer = setTimeout(() => gateway!.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
});

function startWorkers(): Promise<string> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GATEWAY_')));
  gateway = fork(path.join(ROOT, 'gateway/main.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...env, ...S.stack.gatewayEnv, GATEWAY_WORKERS: '2', GATEWAY_PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  gateway.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  gateway.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve, reject) => {
    gateway!.on('message', (m: { type?: string; url?: string }) => {
      if (m?.type === 'listening' && m.url) resolve(m.url);
    });
    gateway!.once('exit', (code) => reject(new Error(`gateway exited with ${code}:\n${output}`)));
  });
}

/**
 * The pids that logged each subscriber's operation (`Fanout<i>`): its check at subscribe (at info; its
 * deliveries log at debug).
 */
function pidsByOperation(): Map<string, Set<number>> {
  const pids = new Map<string, Set<number>>();
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { msg?: string; operationName?: string; pid: number };
    if (entry.msg !== 'graphql operation' || !entry.operationName?.startsWith('Fanout')) continue;
    if (!pids.has(entry.operationName)) pids.set(entry.operationName, new Set());
    pids.get(entry.operationName)!.add(entry.pid);
  }
  return pids;
}

test('with two workers, subscribers on either worker each receive an event exactly once', async () => {
  const url = await startWorkers();
  const wsUrl = url.replace(/^http/, 'ws');
  const subscribers: Subscriber[] = [];
  for (let i = 0; i < 6; i++) {
    const authorization = `Bearer ${await token({ role: 'analyst', sub: `analyst-fanout-${i}` })}`;
    const s = subscriber(wsUrl, authorization, {
      query: `subscription Fanout${i}($c: ID) { dossierStatusChanged(code: $c) { id status } }`,
      variables: { c: S.dossierA },
    });
    subscribers.push(s);
    S.open.push(s);
  }
  await untilLive(S, subscribers);
  // Every subscriber's operation was logged by one worker, and both workers have some.
  const pids = pidsByOperation();
  expect([...pids.keys()].sort()).toEqual(subscribers.map((_, i) => `Fanout${i}`).sort());
  for (const set of pids.values()) expect(set.size).toBe(1);
  const workers = new Set([...pids.values()].map((set) => [...set][0]));
  expect(workers.size).toBe(2);
  expect(workers.has(gateway!.pid!)).toBe(false); // the primary runs no deliveries

  for (const s of subscribers) s.received.length = 0;
  const event = eventOf(S.dossierA, 'A', { to: 'DANG_XU_LY' });
  event.id = `fanout-event-${randomUUID()}`;
  await publish(S.redis, S.STREAM, event);
  await new Promise((r) => setTimeout(r, 2000));
  for (const s of subscribers) {
    expect(s.errors).toEqual([]);
    expect(s.received.map((r) => r.data.dossierStatusChanged.id)).toEqual([event.id]);
  }
}, 120_000);
