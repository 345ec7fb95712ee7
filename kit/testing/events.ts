/**
 * The domain events a test's mutations wrote (kit/events): the outbox's rows since `afterSeq`, in the
 * shape the relay reads them (kit/events/outbox.ts, the same columns), with their delivery state.
 */
import { OUTBOX_EVENT_COLUMNS, withIsoRecordedAt } from '../events/outbox';
import type { OutboxEvent } from '../events/outbox';
import type { Queryable } from '../runtime/db';

export interface OutboxRecord extends OutboxEvent {
  delivered: boolean;
  streamId: string | null;
}

export const outboxEvents = async (db: Queryable, afterSeq = 0): Promise<OutboxRecord[]> =>
  (
    await db.query<Omit<OutboxRecord, 'recordedAt'> & { recordedAt: Date | string }>(
      `SELECT ${OUTBOX_EVENT_COLUMNS}, delivered_at IS NOT NULL AS delivered, stream_id AS "streamId"
       FROM event_outbox WHERE seq > $1 ORDER BY seq`,
      [afterSeq],
    )
  ).map(withIsoRecordedAt);

/** The outbox's last sequence number so far (0 when empty): what a test's later events come after. */
export const lastOutboxSeq = async (db: Queryable): Promise<number> =>
  (await db.query<{ n: number }>(`SELECT coalesce(max(seq), 0)::int AS n FROM event_outbox`))[0]!.n;
