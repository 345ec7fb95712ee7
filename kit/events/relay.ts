/**
 * The event relay: in each subgraph process with an outbox, rounds that take the due events (oldest
 * first, a batch at a time, locked so relays of other processes skip them), publish them, and mark
 * them delivered in the same database transaction. A batch that fails to publish stays in the outbox
 * with its attempt recorded and is tried again after a backoff (full jitter, doubling up to
 * `maxDelayMs`), for as long as it takes: an event is never given up on.
 *
 * At least once: a process killed after Redis took a batch and before its transaction committed
 * publishes the batch again, under the same event ids, which is what receivers de-duplicate by.
 */
import type { Logger } from 'pino';
import type { Database } from '../runtime/db';
import { fullJitter, pollingLoop } from '../runtime/loop';
import { claimDueEvents, markDelivered, markFailed, pruneDelivered } from './outbox';
import type { EventPublisher } from './publisher';

export interface RelayOptions {
  /** The subgraph: the `source` of every envelope. */
  source: string;
  /** Events taken per round. */
  batch: number;
  /** Pause after a round that found nothing due, ms. */
  pollMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Delivered events older than this many days are removed from the outbox; 0 = kept for ever. */
  retentionDays: number;
}

export const DEFAULT_RELAY_OPTIONS: Omit<RelayOptions, 'source'> = {
  batch: 100,
  pollMs: 200,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  retentionDays: 30,
};

const PRUNE_EVERY_MS = 3_600_000;

export interface EventRelay {
  /** One round: resolves to the number of events delivered. */
  runOnce(): Promise<number>;
  start(): void;
  /** Ends the rounds after the one in flight. Does not close the database or the publisher. */
  stop(): Promise<void>;
  /** Events were committed: the next round now, not after the poll's pause. */
  wake(): void;
}

export function createEventRelay(
  db: Database,
  publisher: EventPublisher,
  o: RelayOptions,
  log?: Logger,
): EventRelay {
  let prunedAt = 0;
  async function runOnce(): Promise<number> {
    const delivered = await db.transaction(async (tx) => {
      const due = await claimDueEvents(tx, o.batch);
      if (!due.length) return 0;
      let streamIds: string[];
      try {
        streamIds = await publisher.publish(
          due.map((e) => ({
            id: e.id,
            type: e.type,
            source: o.source,
            sequence: e.seq,
            recordedAt: e.recordedAt,
            entity: e.entity,
            agencyCode: e.agencyCode,
            agencyPath: e.agencyPath,
            citizenIds: e.citizenIds,
            data: e.data,
          })),
        );
      } catch (err) {
        const error = (err as Error).message || String(err);
        const attempt = Math.min(...due.map((e) => e.attempts));
        await markFailed(
          tx,
          due.map((e) => e.seq),
          error,
          fullJitter(attempt, o.baseDelayMs, o.maxDelayMs),
        );
        log?.warn({ events: due.length, attempt: attempt + 1, error }, 'events not published, will retry');
        return 0;
      }
      await markDelivered(
        tx,
        due.map((e, i) => ({ seq: e.seq, streamId: streamIds[i]! })),
      );
      return due.length;
    });
    if (o.retentionDays > 0 && Date.now() - prunedAt > PRUNE_EVERY_MS) {
      prunedAt = Date.now();
      const pruned = await pruneDelivered(db, o.retentionDays);
      if (pruned)
        log?.info({ pruned, retentionDays: o.retentionDays }, 'delivered events pruned from the outbox');
    }
    return delivered;
  }
  const loop = pollingLoop(
    async () => (await runOnce()) === o.batch,
    o.pollMs,
    (err) => log?.error({ err: err.message }, 'event relay round failed'),
  );
  return { runOnce, start: loop.start, stop: loop.stop, wake: loop.wake };
}
