/**
 * The domain-event relay (kit/events) against real Redis servers: the shared one (TEST_REDIS_URL,
 * default 127.0.0.1:6379) and, to take Redis down and bring it back, one of the test's own.
 * - Events written in a transaction are published to the stream in order, each once, and marked
 *   delivered with their entry id; a consumer group reads them with XREADGROUP.
 * - With Redis down nothing is lost: each round records a failed attempt and the events wait in the
 *   outbox; once Redis is back the running relay delivers them.
 * - With Redis down a batch fails at once and is queued nowhere: Redis coming back never receives a
 *   batch the relay already counted as failed (which the relay would then publish a second time).
 * - At least once: a batch published and then not marked (a crash between XADD and COMMIT) is
 *   published again under the same ids, and a consumer de-duplicating by id sees each event once.
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { emitEvent, eventOutboxModule } from '../events';
import { redisStreamPublisher } from '../events/publisher';
import type { EventEnvelope } from '../../common/events';
import type { EventPublisher } from '../events/publisher';
import { listenForEvents } from '../events/listen';
import { createEventRelay, DEFAULT_RELAY_OPTIONS } from '../events/relay';
import type { RelayOptions } from '../events/relay';
import { referenceCatalogue } from '../reference';
import { migrate } from '../runtime/migrate';
import type { TestDatabase } from '../testing';
import { createTestDatabase, outboxEvents, ownRedis, TEST_REDIS_URL } from '../testing';
import type { OwnRedis } from '../testing';

const HANOI = '000.00.00.H26';
const BTL = '000.00.21.H26';
let db: TestDatabase;
let shared: Redis;
let own: OwnRedis;
const streams: string[] = [];
const toClose: { close(): Promise<void> }[] = [];

const OPTIONS: RelayOptions = {
  ...DEFAULT_RELAY_OPTIONS,
  source: 'testgraph',
  batch: 10,
  pollMs: 20,
  baseDelayMs: 10,
  maxDelayMs: 50,
};

beforeAll(async () => {
  db = await createTestDatabase();
  await migrate(db, [referenceCatalogue, eventOutboxModule]);
  await db.transaction((tx) => referenceCatalogue.seed(tx));
  shared = new Redis(TEST_REDIS_URL);
  own = await ownRedis();
  await own.start();
}, 120_000);

afterAll(async () => {
  for (const c of toClose) await c.close();
  if (streams.length) await shared.del(...streams);
  shared.disconnect();
  await own?.stop();
  await db?.close();
});

function publisherOn(url: string): { publisher: EventPublisher; stream: string } {
  const stream = `govgraph:test:events:${randomUUID()}`;
  streams.push(stream);
  const publisher = redisStreamPublisher({ url, stream, maxLen: 1000, commandTimeoutMs: 500 });
  toClose.push(publisher);
  return { publisher, stream };
}

/** Writes `n` events in one transaction, as a mutation would; resolves to their ids. */
const emit = (n: number, tag: string): Promise<string[]> =>
  db.transaction(async (tx) => {
    const ids: string[] = [];
    for (let i = 1; i <= n; i++)
      ids.push(
        await emitEvent(tx, {
          type: 'ThingHappened',
          entity: { typename: 'Thing', key: { id: `${tag}-${i}` } },
          agencyCode: BTL,
          citizenIds: ['001085012345'],
          data: { tag, n: i },
        }),
      );
    return ids;
  });

const undelivered = async () =>
  (
    await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM event_outbox WHERE delivered_at IS NULL`)
  )[0]!.n;

/**
 * A consumer as docs/events.md describes it: a group read with XREADGROUP, each entry acknowledged,
 * an event applied only the first time its id is seen (SET NX on the id).
 */
async function consume(redis: Redis, stream: string, group: string): Promise<EventEnvelope[]> {
  await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM').catch((err: Error) => {
    if (!/BUSYGROUP/.test(err.message)) throw err;
  });
  const applied: EventEnvelope[] = [];
  for (;;) {
    const res = (await redis.xreadgroup('GROUP', group, 'c1', 'COUNT', 100, 'STREAMS', stream, '>')) as
      | [string, [string, string[]][]][]
      | null;
    const entries = res?.[0]?.[1] ?? [];
    if (!entries.length) return applied;
    for (const [entryId, fields] of entries) {
      const f = Object.fromEntries(fields.flatMap((v, i) => (i % 2 ? [] : [[v, fields[i + 1]!]])));
      const first = await redis.set(`${stream}:seen:${group}:${f.id}`, '1', 'EX', 3600, 'NX');
      if (first === 'OK') applied.push(JSON.parse(f.event!) as EventEnvelope);
      await redis.xack(stream, group, entryId);
    }
  }
}

test('events are published in order, once, with their envelope, and marked delivered', async () => {
  const { publisher, stream } = publisherOn(TEST_REDIS_URL);
  const ids = await emit(3, 'a');
  const relay = createEventRelay(db, publisher, OPTIONS);
  expect(await relay.runOnce()).toBe(3);
  expect(await relay.runOnce()).toBe(0);

  const entries = await shared.xrange(stream, '-', '+');
  expect(entries.map(([, f]) => [f[0], f[1], f[2], f[3], f[4], f[5]])).toEqual(
    ids.map((id) => ['id', id, 'type', 'ThingHappened', 'source', 'testgraph']),
  );
  const events = await consume(shared, stream, 'readers');
  expect(events.map((e) => e.id)).toEqual(ids);
  expect(events[0]).toEqual({
    id: ids[0],
    type: 'ThingHappened',
    source: 'testgraph',
    sequence: expect.any(Number),
    recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    entity: { typename: 'Thing', key: { id: 'a-1' } },
    agencyCode: BTL,
    agencyPath: [BTL, HANOI],
    citizenIds: ['001085012345'],
    data: { tag: 'a', n: 1 },
  });
  const rows = await outboxEvents(db);
  const mine = rows.filter((r) => ids.includes(r.id));
  expect(mine.map((r) => [r.delivered, r.streamId, r.attempts])).toEqual(
    entries.map(([entryId]) => [true, entryId, 1]),
  );
});

test('with Redis down events wait in the outbox, attempts recorded; the running relay delivers them once it is back', async () => {
  const { publisher, stream } = publisherOn(own.url);
  const relay = createEventRelay(db, publisher, OPTIONS);
  await own.stop();
  const ids = await emit(2, 'b');
  expect(await relay.runOnce()).toBe(0);
  const waiting = (await outboxEvents(db)).filter((r) => ids.includes(r.id));
  expect(waiting.map((r) => [r.delivered, r.attempts])).toEqual([
    [false, 1],
    [false, 1],
  ]);
  const [failed] = await db.query<{ lastError: string }>(
    `SELECT last_error AS "lastError" FROM event_outbox WHERE id = $1`,
    [ids[0]],
  );
  // Refused at once on a connection that is down, not queued until the command timed out.
  expect(failed!.lastError).toMatch(/^Redis is not connected/);

  relay.start(); // keeps failing while Redis is down…
  await new Promise((r) => setTimeout(r, 300));
  expect(await undelivered()).toBe(2);
  await own.start(); // …and delivers once it is back.
  for (let i = 0; i < 200 && (await undelivered()) > 0; i++) await new Promise((r) => setTimeout(r, 50));
  await relay.stop();
  expect(await undelivered()).toBe(0);
  const redis = new Redis(own.url);
  try {
    // At least once (docs/events.md): a batch whose answer came later than the command timeout (a
    // busy machine) failed for the relay but may have been added, and is published again under the
    // same ids. What a consumer that de-duplicates by id reads is each event once, in order. (A batch
    // queued while Redis was down and sent as it came back did this once in CI: nothing is queued now,
    // the test below.)
    const seen = (await redis.xrange(stream, '-', '+')).map(([, f]) => f[1]!);
    expect([...new Set(seen)]).toEqual(ids);
    expect(seen.length % ids.length).toBe(0);
  } finally {
    redis.disconnect();
  }
}, 30_000);

const envelope = (id: string): EventEnvelope => ({
  id,
  type: 'ThingHappened',
  source: 'testgraph',
  sequence: 1,
  recordedAt: new Date().toISOString(),
  entity: { typename: 'Thing', key: { id } },
  agencyCode: BTL,
  agencyPath: [BTL, HANOI],
  citizenIds: [],
  data: {},
});

test('with Redis down a batch fails at once and is queued nowhere: Redis back, it is not added late', async () => {
  const { publisher, stream } = publisherOn(own.url); // the test before leaves `own` running
  await publisher.publish([envelope('before')]); // connected (gone with the restart: no persistence)
  await own.stop();
  await new Promise((r) => setTimeout(r, 200)); // the publisher has seen its connection close
  await expect(publisher.publish([envelope('refused')])).rejects.toThrow(/^Redis is not connected/);
  await own.start();
  // The publisher reconnects by itself; the first batch it takes again is the next one.
  let back = false;
  for (let i = 0; i < 100 && !back; i++)
    back = await publisher.publish([envelope('after')]).then(
      () => true,
      () => new Promise<boolean>((r) => setTimeout(() => r(false), 50)),
    );
  expect(back).toBe(true);
  await new Promise((r) => setTimeout(r, 300)); // time for anything queued to arrive late
  const redis = new Redis(own.url);
  try {
    expect((await redis.xrange(stream, '-', '+')).map(([, f]) => f[1])).toEqual(['after']);
  } finally {
    redis.disconnect();
  }
}, 30_000);

test('a batch published but not marked (a crash between XADD and COMMIT) goes again under the same ids; de-duplication by id sees each once', async () => {
  const { publisher, stream } = publisherOn(TEST_REDIS_URL);
  let crashes = 1;
  const crashingAfterPublish: EventPublisher = {
    async publish(events) {
      const entryIds = await publisher.publish(events);
      if (crashes-- > 0) throw new Error('crashed after XADD, before COMMIT');
      return entryIds;
    },
    close: publisher.close,
  };
  const ids = await emit(2, 'c');
  const relay = createEventRelay(db, crashingAfterPublish, { ...OPTIONS, baseDelayMs: 1, maxDelayMs: 1 });
  expect(await relay.runOnce()).toBe(0);
  await new Promise((r) => setTimeout(r, 5));
  expect(await relay.runOnce()).toBe(2);
  const raw = await shared.xrange(stream, '-', '+');
  expect(raw.map(([, f]) => f[1])).toEqual([...ids, ...ids]); // at least once: twice here
  expect((await consume(shared, stream, 'dedupe')).map((e) => e.id)).toEqual(ids);
});

test('a COMMIT that wrote events wakes the relay through LISTEN/NOTIFY: published with a poll that would not come for a minute', async () => {
  const { publisher, stream } = publisherOn(TEST_REDIS_URL);
  const relay = createEventRelay(db, publisher, { ...OPTIONS, pollMs: 60_000 });
  relay.start();
  await new Promise((r) => setTimeout(r, 100)); // its first round has run and found nothing: it sleeps
  const listener = listenForEvents(db.url, relay.wake, () => undefined);
  try {
    await new Promise((r) => setTimeout(r, 300)); // listening (its own first wake-up found nothing)
    const ids = await emit(1, 'd');
    for (let i = 0; i < 100 && (await shared.xlen(stream)) === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect((await shared.xrange(stream, '-', '+')).map(([, f]) => f[1])).toEqual(ids);
  } finally {
    await listener.close();
    await relay.stop();
  }
});
