/**
 * The domain events a test's mutations wrote (kit/events): the outbox's rows since `afterSeq`, in the
 * shape a receiver gets them (docs/events.md), with their delivery state.
 */
import type { Queryable } from '../runtime/db';

export interface OutboxRecord {
  seq: number;
  id: string;
  type: string;
  entity: { typename: string; key: Record<string, string> };
  agencyCode: string | null;
  agencyPath: string[];
  citizenIds: string[];
  data: Record<string, unknown>;
  attempts: number;
  delivered: boolean;
  streamId: string | null;
}

export const outboxEvents = (db: Queryable, afterSeq = 0): Promise<OutboxRecord[]> =>
  db.query<OutboxRecord>(
    `SELECT seq::int AS seq, id::text AS id, type,
            json_build_object('typename', entity_typename, 'key', entity_key) AS entity,
            agency_code AS "agencyCode", agency_path AS "agencyPath", citizen_ids AS "citizenIds", data,
            attempts, delivered_at IS NOT NULL AS delivered, stream_id AS "streamId"
     FROM event_outbox WHERE seq > $1 ORDER BY seq`,
    [afterSeq],
  );

/** The outbox's last sequence number so far (0 when empty): what a test's later events come after. */
export const lastOutboxSeq = async (db: Queryable): Promise<number> =>
  (await db.query<{ n: number }>(`SELECT coalesce(max(seq), 0)::int AS n FROM event_outbox`))[0]!.n;
