/**
 * Publishing events on a Redis Stream: one `XADD` per event, all of a batch in one MULTI/EXEC (the
 * batch is added whole or not at all), each entry trimmed to about `maxLen` entries (`MAXLEN ~`). An
 * entry's fields are `id` (the event's stable id), `type`, `source` (the subgraph) and `event` (the
 * whole envelope as JSON, docs/events.md).
 *
 * A batch is only ever sent on a connection that is up. With Redis down it fails at once ("Redis is
 * not connected") and the relay tries it again later from the outbox, while ioredis keeps
 * reconnecting in the background. ioredis queues nothing for later: no offline queue, and no resending
 * of commands that were in flight when a connection dropped. Either would send a batch the relay
 * had already counted as failed once Redis came back, and the relay would then publish it a second
 * time (seen once in CI). Only the first connection, at start-up, is waited for, at most
 * `commandTimeoutMs`, so that a relay's first round does not fail just for starting first. An answer
 * that does not come within `commandTimeoutMs` fails the batch too; Redis may still have added it,
 * which is the at-least-once case receivers de-duplicate (docs/events.md).
 */
import Redis from 'ioredis';
import type { EventEnvelope } from '../../common/events';

export interface EventPublisher {
  /** Adds the events in order; resolves to their stream entry ids, or rejects and adds none. */
  publish(events: readonly EventEnvelope[]): Promise<string[]>;
  close(): Promise<void>;
}

export interface RedisStreamOptions {
  url: string;
  stream: string;
  /** Approximate bound of the stream's length; 0 = not trimmed. */
  maxLen: number;
  commandTimeoutMs?: number;
}

export function redisStreamPublisher(o: RedisStreamOptions): EventPublisher {
  const timeoutMs = o.commandTimeoutMs ?? 2_000;
  const redis = new Redis(o.url, {
    commandTimeout: timeoutMs,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    // Reconnect for ever, at most every 2 s: the outbox keeps the events meanwhile.
    retryStrategy: (times) => Math.min(times * 100, 2_000),
  });
  redis.on('error', () => undefined); // each failed batch is recorded on its events and logged by the relay
  // The first connection: awaited by a batch, once, at most timeoutMs; null once settled.
  let firstConnection: Promise<void> | null = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    timer.unref();
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  }).then(() => {
    firstConnection = null;
  });
  async function connected(): Promise<void> {
    if (redis.status !== 'ready' && firstConnection) await firstConnection;
    if (redis.status !== 'ready') throw new Error(`Redis is not connected (${redis.status})`);
  }
  const trim = o.maxLen > 0 ? (['MAXLEN', '~', String(o.maxLen)] as const) : [];
  return {
    async publish(events) {
      if (!events.length) return [];
      await connected();
      const multi = redis.multi();
      for (const e of events)
        multi.xadd(
          o.stream,
          ...trim,
          '*',
          'id',
          e.id,
          'type',
          e.type,
          'source',
          e.source,
          'event',
          JSON.stringify(e),
        );
      const results = await multi.exec();
      if (!results) throw new Error('the transaction was discarded');
      return results.map(([err, id]) => {
        if (err) throw err;
        return String(id);
      });
    },
    async close() {
      redis.disconnect();
    },
  };
}
