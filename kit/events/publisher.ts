/**
 * Publishing events on a Redis Stream: one `XADD` per event, all of a batch in one MULTI/EXEC (the
 * batch is added whole or not at all), each entry trimmed to about `maxLen` entries (`MAXLEN ~`). An
 * entry's fields are `id` (the event's stable id), `type`, `source` (the subgraph) and `event` (the
 * whole envelope as JSON, docs/events.md).
 *
 * Commands wait for a connection being (re)opened but never longer than `commandTimeoutMs`: with
 * Redis down a batch fails in bounded time and the relay tries again later, while ioredis keeps
 * reconnecting in the background.
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
  const redis = new Redis(o.url, {
    commandTimeout: o.commandTimeoutMs ?? 2_000,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 1,
    // Reconnect for ever, at most every 2 s: the outbox keeps the events meanwhile.
    retryStrategy: (times) => Math.min(times * 100, 2_000),
  });
  redis.on('error', () => undefined); // each failed batch is recorded on its events and logged by the relay
  const trim = o.maxLen > 0 ? (['MAXLEN', '~', String(o.maxLen)] as const) : [];
  return {
    async publish(events) {
      if (!events.length) return [];
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
