/**
 * `npm run bench:events`: the domain-event relay (kit/events, docs/events.md quotes it) against real
 * servers — a throw-away database on the PostgreSQL server at TEST_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres) and the Redis at TEST_REDIS_URL (default
 * redis://127.0.0.1:6379), on a stream of its own, deleted after.
 * 1. Throughput: BENCH_EVENTS (5000) events written, then drained by the relay with batches of 1,
 *    100 and 500: events/s published and marked.
 * 2. Latency from an event's transaction (its INSERT and COMMIT) to the stream: the relay running as in a subgraph process (woken by
 *    LISTEN/NOTIFY, polling every 200 ms), one event committed every 20 ms (BENCH_LATENCY_EVENTS,
 *    300), a reader blocked on XREAD: p50/p99/max; and without LISTEN, polling every 200 and 20 ms.
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { emitEvent, eventOutboxModule, referenceCatalogue } from '../kit';
import type { Database } from '../kit';
import { redisStreamPublisher } from '../kit/events/publisher';
import { listenForEvents } from '../kit/events/listen';
import { createEventRelay, DEFAULT_RELAY_OPTIONS } from '../kit/events/relay';
import { migrate } from '../kit/runtime/migrate';
import { createTestDatabase, TEST_REDIS_URL } from '../kit/testing';
import type { TestDatabase } from '../kit/testing';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 5000);
const LATENCY_EVENTS = Number(process.env.BENCH_LATENCY_EVENTS ?? 300);
const BTL = '000.00.21.H26';

const event = (i: number) => ({
  type: 'BenchHappened',
  entity: { typename: 'Dossier', key: { code: `bench-${i}` } },
  agencyCode: BTL,
  citizenIds: ['001085012345'],
  data: { n: i, to: 'DANG_XU_LY', at: new Date().toISOString() },
});

async function throughput(db: Database, redis: Redis): Promise<void> {
  for (const batch of [1, 100, 500]) {
    const stream = `govgraph:bench:events:${randomUUID()}`;
    await db.exec('TRUNCATE event_outbox');
    for (let i = 0; i < EVENTS; i += 100)
      await db.transaction(async (tx) => {
        for (let j = i; j < Math.min(EVENTS, i + 100); j++) await emitEvent(tx, event(j));
      });
    const publisher = redisStreamPublisher({ url: TEST_REDIS_URL, stream, maxLen: 0 });
    const relay = createEventRelay(db, publisher, { ...DEFAULT_RELAY_OPTIONS, source: 'bench', batch });
    const started = process.hrtime.bigint();
    let done = 0;
    while (done < EVENTS) done += await relay.runOnce();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const onStream = await redis.xlen(stream);
    console.log(
      `batch ${String(batch).padStart(3)}: ${EVENTS} events in ${seconds.toFixed(2)} s = ${Math.round(EVENTS / seconds)} events/s (stream holds ${onStream})`,
    );
    await publisher.close();
    await redis.del(stream);
  }
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

async function latency(db: TestDatabase, pollMs: number, listen: boolean): Promise<void> {
  const stream = `govgraph:bench:events:${randomUUID()}`;
  await db.exec('TRUNCATE event_outbox');
  const publisher = redisStreamPublisher({ url: TEST_REDIS_URL, stream, maxLen: 0 });
  const relay = createEventRelay(db, publisher, { ...DEFAULT_RELAY_OPTIONS, source: 'bench', pollMs });
  relay.start();
  // As in a subgraph process (kit/events/start.ts): woken at each COMMIT, the poll as the fallback.
  const listener = listen ? listenForEvents(db.url, relay.wake, () => undefined) : null;
  await new Promise((r) => setTimeout(r, 200));
  const reader = new Redis(TEST_REDIS_URL);
  // From the start of the event's transaction (its INSERT and COMMIT included) to the reader seeing it:
  // woken at COMMIT, the relay can publish before the writer has its COMMIT's answer.
  const startedAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  const reading = (async () => {
    let last = '0';
    while (seenAt.size < LATENCY_EVENTS) {
      const res = (await reader.xread('COUNT', 100, 'BLOCK', 2000, 'STREAMS', stream, last)) as
        | [string, [string, string[]][]][]
        | null;
      const now = performance.now();
      for (const [entryId, fields] of res?.[0]?.[1] ?? []) {
        last = entryId;
        seenAt.set(fields[1]!, now);
      }
    }
  })();
  for (let i = 0; i < LATENCY_EVENTS; i++) {
    const t0 = performance.now();
    const id = await db.transaction((tx) => emitEvent(tx, event(i)));
    startedAt.set(id, t0);
    await new Promise((r) => setTimeout(r, 20));
  }
  await reading;
  await listener?.close();
  await relay.stop();
  await publisher.close();
  await reader.del(stream);
  reader.disconnect();
  const sorted = [...seenAt].map(([id, t]) => t - startedAt.get(id)!).sort((a, b) => a - b);
  console.log(
    `poll ${String(pollMs).padStart(3)} ms${listen ? ' + LISTEN' : '         '}: transaction start → stream over ${sorted.length} events: p50 ${pct(sorted, 0.5).toFixed(1)} ms, p99 ${pct(sorted, 0.99).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`,
  );
}

async function main(): Promise<void> {
  const db = await createTestDatabase('server');
  const redis = new Redis(TEST_REDIS_URL);
  try {
    await migrate(db, [referenceCatalogue, eventOutboxModule]);
    await db.transaction((tx) => referenceCatalogue.seed(tx));
    await throughput(db, redis);
    await latency(db, 200, true);
    for (const pollMs of [200, 20]) await latency(db, pollMs, false);
  } finally {
    redis.disconnect();
    await db.close();
  }
}

main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
