/**
 * The event bus as the gateway reads it: one reader per gateway process on the Redis Stream the
 * subgraphs' relays XADD to (docs/events.md). Every process (worker, replica) reads every entry, so
 * each delivers to its own connections: fan-out needs no coordination. The reader starts from `$`
 * (entries added from now on) with `XREAD BLOCK` on a connection of its own; a subscriber that
 * resumes after an entry id gets the entries since then with `XRANGE` first (bounded), then the live
 * ones, each entry once (by its stream id, which only grows).
 */
import Redis from 'ioredis';
import { asEventEnvelope } from '../../../common/events';
import type { EventEnvelope } from '../../../common/events';
import type { GatewayLogger } from '../../context';

/** One stream entry: its id in the stream (`1733459000000-0`, the resume cursor) and its envelope. */
export interface StreamEvent {
  readonly streamId: string;
  readonly envelope: EventEnvelope;
}

export interface EventStream {
  /**
   * Calls `listener` for each entry read from now on; returns the unsubscriber. The first listener
   * starts the reader: `started()` resolves once it knows where the stream stands.
   */
  listen(listener: (event: StreamEvent) => void): () => void;
  started(): Promise<void>;
  /** The entries after `afterId` (exclusive), oldest first, at most `max`; rejects on a bad id. */
  since(afterId: string, max: number): Promise<StreamEvent[]>;
  close(): Promise<void>;
}

export interface EventStreamOptions {
  url: string;
  stream: string;
  logger: GatewayLogger;
  /** How long one XREAD blocks, ms. */
  blockMs?: number;
}

const STREAM_ID = /^\d{1,20}-\d{1,20}$/;

export const isStreamId = (id: string): boolean => STREAM_ID.test(id);

/** An entry's fields → a StreamEvent, or undefined when it holds no well-formed envelope. */
export function entryEvent(streamId: string, fields: readonly string[]): StreamEvent | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] !== 'event') continue;
    try {
      const envelope = asEventEnvelope(JSON.parse(fields[i + 1]!));
      return envelope ? { streamId, envelope } : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1_000).unref());

export function redisEventStream(o: EventStreamOptions): EventStream {
  const listeners = new Set<(event: StreamEvent) => void>();
  const options = { connectTimeout: 2_000, maxRetriesPerRequest: null, lazyConnect: true };
  // XREAD BLOCK holds its connection: reads and XRANGE each have one.
  const reader = new Redis(o.url, options);
  const ranges = new Redis(o.url, { ...options, maxRetriesPerRequest: 1, commandTimeout: 2_000 });
  let warned = false;
  for (const redis of [reader, ranges])
    redis.on('error', (err: Error) => {
      if (!warned) o.logger.warn({ err: err.message }, 'subscriptions: the event stream cannot be read');
      warned = true;
    });
  let running = false;
  let stopped = false;
  let last = '$';
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));

  const deliver = (streamId: string, fields: string[]): void => {
    last = streamId;
    const event = entryEvent(streamId, fields);
    if (!event) return void o.logger.warn({ streamId }, 'subscriptions: a stream entry without an envelope');
    // One line per event; each receiver's delivery logs at debug (request logging).
    const { id, type, source } = event.envelope;
    o.logger.info(
      { streamId, eventId: id, type, source, subscriptions: listeners.size },
      'subscriptions: event',
    );
    for (const listener of listeners) listener(event);
  };

  async function loop(): Promise<void> {
    // Start after the newest entry that exists now, so entries added while we connect are not lost.
    while (last === '$' && !stopped) {
      try {
        const newest = (await reader.xrevrange(o.stream, '+', '-', 'COUNT', 1)) as [string, string[]][];
        last = newest[0]?.[0] ?? '0-0';
      } catch {
        await pause();
      }
    }
    markStarted();
    while (!stopped) {
      try {
        const answer = (await reader.xread(
          'COUNT',
          500,
          'BLOCK',
          o.blockMs ?? 5_000,
          'STREAMS',
          o.stream,
          last,
        )) as [string, [string, string[]][]][] | null;
        if (warned) o.logger.info('subscriptions: the event stream is read again');
        warned = false;
        for (const [, entries] of answer ?? []) for (const [id, fields] of entries) deliver(id, fields);
      } catch {
        if (stopped) return;
        await pause();
      }
    }
  }

  return {
    listen(listener) {
      listeners.add(listener);
      if (!running) {
        running = true;
        void loop();
      }
      return () => listeners.delete(listener);
    },
    started: () => started,
    async since(afterId, max) {
      const entries = (await ranges.xrange(o.stream, `(${afterId}`, '+', 'COUNT', max)) as [
        string,
        string[],
      ][];
      return entries.flatMap(([id, fields]) => entryEvent(id, fields) ?? []);
    },
    async close() {
      stopped = true;
      listeners.clear();
      reader.disconnect();
      ranges.disconnect();
    },
  };
}
