/**
 * `npm run bench:subscriptions`: what subscriptions cost on the gateway (docs/subscriptions.md), with
 * every subgraph in this process on a throw-away embedded PostgreSQL and a real Redis
 * (BENCH_REDIS_URL, default redis://127.0.0.1:6379):
 *
 * 1. memory: the process's heap + external memory (after a full GC) before and after
 *    BENCH_IDLE (1000) idle subscriptions — 10 per connection, each connection another citizen —
 *    opened by graphql-ws clients in a child process (so the clients' memory is not counted);
 * 2. latency: BENCH_EVENTS (200) status changes of one dossier XADDed one after another, each timed
 *    from the XADD to its arrival at a graphql-ws client of the applicant (in this process), with the
 *    idle subscriptions still open: p50, p99, max;
 * 3. commit → client: BENCH_MUTATIONS (100) `advanceDossierStatus` of that dossier by an official,
 *    one after another, through the dossiers outbox and the events relay (kit/events, polling every
 *    10 ms here; `npm start`'s relays are woken at COMMIT by LISTEN/NOTIFY), each timed from the
 *    mutation's response (the commit is before it) to the applicant's client.
 */
import { fork } from 'node:child_process';
import { redisStreamPublisher } from '../kit/events/publisher';
import { createEventRelay, DEFAULT_RELAY_OPTIONS } from '../kit/events/relay';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import globalSetup from '../test/global-setup';
import globalTeardown from '../test/global-teardown';
import { PUBLIC_PEM, token } from '../test/support/security';
import { startFederatedStack } from '../test/support/subgraphs';
import { publish, statusEnvelope } from '../test/support/subscriptions';

const IDLE = Number(process.env.BENCH_IDLE ?? 1000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200);
const MUTATIONS = Number(process.env.BENCH_MUTATIONS ?? 100);
const PER_CONNECTION = 10;
const REDIS = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SUBSCRIPTION = `subscription { dossierStatusChanged {
  id status dossier { code procedure { name } agency { name } } } }`;

/** Child mode: open the idle subscriptions, report, then hold them until killed. */
async function idleClients(): Promise<void> {
  const { url, tokens } = JSON.parse(process.env.BENCH_CHILD!) as { url: string; tokens: string[] };
  let acked = 0;
  for (const t of tokens) {
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${t}` },
      retryAttempts: 0,
      lazy: false,
      on: { connected: () => void acked++ },
    });
    for (let i = 0; i < PER_CONNECTION; i++)
      client.subscribe(
        { query: SUBSCRIPTION },
        { next: () => undefined, error: () => undefined, complete: () => undefined },
      );
  }
  while (acked < tokens.length) await new Promise((r) => setTimeout(r, 50));
  process.send!({ connected: acked });
}

const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
function memory(): { heap: number; external: number; rss: number } {
  for (let i = 0; i < 3; i++) (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, external: m.external + m.arrayBuffers, rss: m.rss };
}
const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main(): Promise<void> {
  if (!(globalThis as { gc?: unknown }).gc)
    throw new Error('run with node --expose-gc (npm run bench:subscriptions)');
  await globalSetup();
  const stream = `govgraph:bench:subscriptions:${randomUUID()}`;
  const redis = new Redis(REDIS);
  const stack = await startFederatedStack({
    scale: 0.02,
    gatewayEnv: {
      GATEWAY_JWT_PUBLIC_KEY: PUBLIC_PEM,
      GATEWAY_JWT_ISSUER: 'https://idp.test',
      GATEWAY_SUBSCRIPTIONS_REDIS_URL: REDIS,
      GATEWAY_SUBSCRIPTIONS_STREAM: stream,
      GATEWAY_SUBSCRIPTIONS_MAX_CONNECTIONS_PER_IP: '100000',
      GATEWAY_RATE_LIMIT_PER_IP: '0',
    },
  });
  const wsUrl = stack.url.replace(/^http/, 'ws');
  const agency = '000.00.21.H26';
  const citizen = '001190123456';
  const official = await token({ role: 'official', agency, sub: 'bench-official' });
  const received = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${official}` },
    body: JSON.stringify({
      query: 'mutation($i: ReceiveDossierInput!) { receiveDossier(input: $i) { code } }',
      variables: {
        i: {
          agencyCode: agency,
          procedureCode: '1.000656',
          channel: 'TRUC_TIEP',
          summary: 'Đăng ký khai sinh',
          applicant: { kind: 'CONG_DAN', name: 'Nguyễn Văn An', idNumber: citizen },
          receivedAt: '2025-03-10T09:00:00+07:00',
        },
      },
    }),
  }).then((r) => r.json() as Promise<any>);
  const code = received.data.receiveDossier.code as string;

  // The latency client, live before anything is measured (one warm-up event).
  const arrivals = new Map<string, number>();
  let onArrival: (() => void) | undefined;
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: {
      authorization: `Bearer ${await token({ role: 'citizen', citizen_id: citizen, sub: 'bench-citizen' })}`,
    },
    retryAttempts: 0,
  });
  client.subscribe(
    { query: SUBSCRIPTION },
    {
      next: (r: any) => {
        arrivals.set(r.data.dossierStatusChanged.id, performance.now());
        onArrival?.();
      },
      error: (e) => console.error('subscription failed', e),
      complete: () => undefined,
    },
  );
  const event = () =>
    statusEnvelope({
      code,
      agencyPath: [agency],
      citizenIds: [citizen],
      from: 'DUOC_TIEP_NHAN',
      to: 'DANG_XU_LY',
    });
  while (arrivals.size === 0) {
    await publish(redis, stream, event());
    await new Promise((r) => setTimeout(r, 200));
  }

  const before = memory();
  const tokens = await Promise.all(
    Array.from({ length: Math.ceil(IDLE / PER_CONNECTION) }, (_, i) =>
      token({ role: 'citizen', citizen_id: String(100000000000 + i), sub: `bench-idle-${i}` }),
    ),
  );
  const child = fork(__filename, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_CHILD: JSON.stringify({ url: wsUrl, tokens }) },
  });
  await new Promise<void>((resolve) => child.once('message', () => resolve()));
  await new Promise((r) => setTimeout(r, 2_000)); // the last subscribes checked and registered
  const after = memory();

  const latencies: number[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const e = event();
    const arrived = new Promise<void>(
      (resolve) => (onArrival = () => arrivals.has(String(e.id)) && resolve()),
    );
    const start = performance.now();
    await publish(redis, stream, e);
    await arrived;
    latencies.push(arrivals.get(String(e.id))! - start);
  }
  latencies.sort((a, b) => a - b);

  // Commit → client: the dossiers subgraph's relay publishes what its mutations commit.
  const publisher = redisStreamPublisher({ url: REDIS, stream, maxLen: 0 });
  const relay = createEventRelay(stack.subgraphs.get('dossiers')!.db, publisher, {
    ...DEFAULT_RELAY_OPTIONS,
    source: 'dossiers',
    pollMs: 10,
  });
  while ((await relay.runOnce()) > 0); // the receipt, before timing
  await new Promise((r) => setTimeout(r, 500));
  relay.start();
  const commits: number[] = [];
  for (let i = 0; i < MUTATIONS; i++) {
    const status = i % 2 === 0 ? 'DANG_XU_LY' : 'YEU_CAU_BO_SUNG_GIAY_TO';
    const before = arrivals.size;
    const arrived = new Promise<void>((resolve) => (onArrival = () => arrivals.size > before && resolve()));
    const answer = (await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${official}` },
      body: JSON.stringify({
        query: 'mutation($i: AdvanceDossierStatusInput!) { advanceDossierStatus(input: $i) { status } }',
        variables: { i: { code, status } },
      }),
    }).then((r) => r.json())) as { errors?: unknown };
    const committed = performance.now();
    if (answer.errors) throw new Error(`mutation failed: ${JSON.stringify(answer.errors)}`);
    await arrived;
    commits.push(performance.now() - committed);
  }
  commits.sort((a, b) => a - b);
  await relay.stop();
  await publisher.close();

  const subs = Math.ceil(IDLE / PER_CONNECTION) * PER_CONNECTION;
  console.log(`idle subscriptions: ${subs} on ${tokens.length} connections`);
  console.log(
    `  heap ${mib(before.heap)} → ${mib(after.heap)} MiB, external ${mib(before.external)} → ${mib(after.external)} MiB, rss ${mib(before.rss)} → ${mib(after.rss)} MiB`,
  );
  console.log(
    `  per subscription: ${((after.heap + after.external - before.heap - before.external) / subs / 1024).toFixed(1)} KiB (heap + external)`,
  );
  console.log(
    `latency XADD → client, ${EVENTS} events one after another: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
  );

  console.log(
    `latency commit (mutation answered) → client, ${MUTATIONS} mutations through the outbox and relay: p50 ${percentile(commits, 50).toFixed(1)} ms, p99 ${percentile(commits, 99).toFixed(1)} ms, max ${commits.at(-1)!.toFixed(1)} ms`,
  );

  child.kill();
  await client.dispose();
  await stack.close();
  await redis.del(stream);
  redis.disconnect();
  await globalTeardown();
}

if (process.env.BENCH_CHILD) void idleClients();
else
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
