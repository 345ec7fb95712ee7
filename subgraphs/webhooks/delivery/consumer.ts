/**
 * The stream consumer: reads `govgraph:events` (docs/events.md) in the consumer group `webhooks`
 * (XREADGROUP), records a delivery row per (event, matching webhook) in one statement per batch, and
 * acknowledges the entries only after that statement committed. A crash in between leaves them
 * pending: they are read again at the next start (its own pending entries first) and record nothing
 * new (idempotent by event id).
 */
import { hostname } from 'node:os';
import Redis from 'ioredis';
import type { Database } from '../../../kit';
import type { Logger } from 'pino';
import { recordDeliveries } from '../db/deliveries';
import type { IncomingEvent } from '../db/deliveries';
import { scopeOf } from '../eventTypes';

export interface ConsumerOptions {
  redisUrl: string;
  stream: string;
  group: string;
  /** Entries per read. */
  batch: number;
  /** How long one read blocks waiting for entries, ms (also bounds how long stop() waits). */
  blockMs: number;
  /** Pause after a failure (Redis or the database unreachable), ms. */
  retryMs: number;
}

export interface StreamConsumer {
  stop(): Promise<void>;
}

type Entries = [string, string[]][];

/** The envelope's facts from a stream entry; null for an entry that is not an event a webhook can receive. */
export function parseEntry(fields: string[]): IncomingEvent | null {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
  if (!f.event) return null;
  let e: { id?: unknown; type?: unknown; agencyPath?: unknown; recordedAt?: unknown };
  try {
    e = JSON.parse(f.event) as typeof e;
  } catch {
    return null;
  }
  const scope = typeof e.type === 'string' ? scopeOf(e.type) : null;
  if (
    !scope ||
    typeof e.id !== 'string' ||
    !/^[0-9a-f-]{36}$/i.test(e.id) ||
    typeof e.recordedAt !== 'string' ||
    Number.isNaN(Date.parse(e.recordedAt)) ||
    !Array.isArray(e.agencyPath) ||
    !e.agencyPath.every((a) => typeof a === 'string')
  )
    return null;
  const citizenIds = (e as { citizenIds?: unknown }).citizenIds;
  return {
    id: e.id,
    type: e.type as string,
    scope,
    agencyPath: e.agencyPath as string[],
    recordedAt: e.recordedAt,
    // Partners never see personal data unmasked (kit/runtime/access.ts `maySeePersonal`): the citizens'
    // ID numbers are masked as the graph masks them for a partner (DIGITS: the last 3), the rest as sent.
    body:
      Array.isArray(citizenIds) && citizenIds.length
        ? JSON.stringify({ ...e, citizenIds: citizenIds.map(maskDigits) })
        : f.event,
  };
}

/** `026090000123` → `*********123` (the `DIGITS` mask of kit/runtime/personal-data). */
export const maskDigits = (v: unknown): string => {
  const s = String(v);
  return s.length > 3 ? `${'*'.repeat(s.length - 3)}${s.slice(-3)}` : '*'.repeat(s.length);
};

export function startStreamConsumer(
  db: Database,
  o: ConsumerOptions,
  log: Logger,
  onRecorded: () => void,
): StreamConsumer {
  const redis = new Redis(o.redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
  });
  redis.on('error', () => undefined); // reported by the loop's failures
  const consumer = `${hostname()}-${process.pid}`;
  let stopped = false;
  let wakeSleep: (() => void) | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      wakeSleep = () => {
        clearTimeout(t);
        resolve();
      };
    });

  const handle = async (entries: Entries): Promise<void> => {
    const events: IncomingEvent[] = [];
    for (const [entryId, fields] of entries) {
      const e = parseEntry(fields);
      if (e) events.push(e);
      else
        log.warn(
          { entryId },
          'webhooks: a stream entry that is no deliverable event, acknowledged and skipped',
        );
    }
    const recorded = await recordDeliveries(db, events);
    await redis.xack(o.stream, o.group, ...entries.map(([id]) => id));
    if (recorded) onRecorded();
  };

  const read = async (from: '0' | '>'): Promise<Entries> => {
    const res = (await redis.call(
      'XREADGROUP',
      'GROUP',
      o.group,
      consumer,
      'COUNT',
      o.batch,
      ...(from === '>' ? ['BLOCK', o.blockMs] : []),
      'STREAMS',
      o.stream,
      from,
    )) as [string, Entries][] | null;
    return res?.[0]?.[1] ?? [];
  };

  const loop = (async () => {
    while (!stopped) {
      try {
        if (redis.status === 'wait' || redis.status === 'end') await redis.connect();
        await redis.xgroup('CREATE', o.stream, o.group, '$', 'MKSTREAM').catch((err: Error) => {
          if (!/BUSYGROUP/.test(err.message)) throw err;
        });
        // Its own entries read before a crash or a failure and not acknowledged, first.
        for (let pending = await read('0'); pending.length && !stopped; pending = await read('0'))
          await handle(pending);
        while (!stopped) {
          const entries = await read('>');
          if (entries.length) await handle(entries);
        }
      } catch (err) {
        if (stopped) break;
        log.warn({ err: (err as Error).message }, 'webhooks: reading the event stream failed; retrying');
        await sleep(o.retryMs);
      }
    }
  })();

  return {
    async stop() {
      stopped = true;
      wakeSleep?.();
      await loop;
      redis.disconnect();
    },
  };
}
