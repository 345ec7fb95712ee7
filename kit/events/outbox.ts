/**
 * The domain-event outbox (migration 001_event_outbox): `emitEvent` writes an event in the caller's
 * transaction — the mutation's own — so it exists exactly when the change was committed, and is
 * gone with it when the change rolls back. The relay (relay.ts) reads what is due from here.
 *
 * A subgraph that emits events mounts `eventOutboxModule` in its `databaseModules` (after the
 * reference catalogue, whose agency tree an event's `agencyPath` is read from), so its own migrations
 * create the table in its own database.
 */
import path from 'node:path';
import type { Queryable } from '../runtime/db';
import type { DatabaseModule } from '../runtime/migrate';

export const eventOutboxModule: DatabaseModule = {
  namespace: 'events',
  migrationsDir: path.join(__dirname, 'migrations'),
};

/** An event as a mutation emits it; docs/events.md lists the types and their `data`. */
export interface NewEvent {
  /** PascalCase, past tense: `DossierStatusChanged`. */
  type: string;
  /** The entity it is about, as the supergraph knows it: `{ typename: 'Dossier', key: { code } }`. */
  entity: { typename: string; key: Record<string, string> };
  /** The agency the record belongs to (its row rules); null when none. */
  agencyCode: string | null;
  /** The citizens (CCCD) the record is about, whose own records they are; default none. */
  citizenIds?: readonly string[];
  /** What changed, in the entity's own terms (JSON). */
  data: Record<string, unknown>;
}

/**
 * Writes `event` in `tx`, with the agency's path up the catalogue's tree (the agency first, then its
 * parent, …); resolves to the event's id. One round trip.
 */
export async function emitEvent(tx: Queryable, event: NewEvent): Promise<string> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO event_outbox (type, entity_typename, entity_key, agency_code, agency_path, citizen_ids, data)
     SELECT $1, $2, $3::jsonb, $4::text,
       (WITH RECURSIVE up(code, parent, depth) AS (
          SELECT code, parent_code, 0 FROM agencies WHERE code = $4::text
          UNION ALL
          SELECT a.code, a.parent_code, up.depth + 1 FROM up JOIN agencies a ON a.code = up.parent WHERE up.depth < 20
        ) SELECT coalesce(array_agg(code ORDER BY depth), '{}') FROM up),
       $5::text[], $6::jsonb
     RETURNING id`,
    [
      event.type,
      event.entity.typename,
      JSON.stringify(event.entity.key),
      event.agencyCode,
      [...new Set(event.citizenIds ?? [])],
      JSON.stringify(event.data),
    ],
  );
  return row!.id;
}

/** An event as the relay publishes it: the envelope of docs/events.md, less its `source`. */
export interface OutboxEvent {
  seq: number;
  id: string;
  type: string;
  entity: { typename: string; key: Record<string, string> };
  agencyCode: string | null;
  agencyPath: string[];
  citizenIds: string[];
  data: Record<string, unknown>;
  recordedAt: string;
  attempts: number;
}

/** The columns that make an OutboxEvent (kit/testing reads the same ones, with the delivery state). */
export const OUTBOX_EVENT_COLUMNS = `seq::int AS seq, id::text AS id, type,
  json_build_object('typename', entity_typename, 'key', entity_key) AS entity,
  agency_code AS "agencyCode", agency_path AS "agencyPath", citizen_ids AS "citizenIds", data,
  recorded_at AS "recordedAt", attempts`;

/** A row read with OUTBOX_EVENT_COLUMNS (and perhaps more), its `recordedAt` as ISO 8601. */
export const withIsoRecordedAt = <R extends { recordedAt: Date | string }>(
  r: R,
): Omit<R, 'recordedAt'> & { recordedAt: string } => ({
  ...r,
  recordedAt: r.recordedAt instanceof Date ? r.recordedAt.toISOString() : String(r.recordedAt),
});

/**
 * Claims up to `limit` due events, oldest first, locked for the caller's transaction (SKIP LOCKED:
 * relays of several processes on one database share the work, none publishing an event another one
 * holds).
 */
export async function claimDueEvents(tx: Queryable, limit: number): Promise<OutboxEvent[]> {
  const rows = await tx.query<Omit<OutboxEvent, 'recordedAt'> & { recordedAt: Date | string }>(
    `SELECT ${OUTBOX_EVENT_COLUMNS} FROM event_outbox
     WHERE delivered_at IS NULL AND next_attempt_at <= now()
     ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  return rows.map(withIsoRecordedAt);
}

/** Marks events delivered, with the stream entry id each got. */
export async function markDelivered(
  tx: Queryable,
  delivered: readonly { seq: number; streamId: string }[],
): Promise<void> {
  if (!delivered.length) return;
  await tx.query(
    `UPDATE event_outbox o SET delivered_at = now(), stream_id = d.stream_id, attempts = o.attempts + 1, last_error = NULL
     FROM unnest($1::bigint[], $2::text[]) AS d(seq, stream_id) WHERE o.seq = d.seq`,
    [delivered.map((d) => d.seq), delivered.map((d) => d.streamId)],
  );
}

/** One failed attempt for each of `seqs`: tried again after `delayMs`. Events are never given up on. */
export async function markFailed(
  tx: Queryable,
  seqs: readonly number[],
  error: string,
  delayMs: number,
): Promise<void> {
  await tx.query(
    `UPDATE event_outbox SET attempts = attempts + 1, last_error = $2,
       next_attempt_at = now() + make_interval(secs => $3::double precision / 1000)
     WHERE seq = ANY($1::bigint[])`,
    [seqs, error.slice(0, 500), delayMs],
  );
}

/** Delivered events recorded before `days` ago are removed (the stream has them). Resolves to how many. */
export async function pruneDelivered(tx: Queryable, days: number): Promise<number> {
  const [gone] = await tx.query<{ n: number }>(
    `WITH gone AS (DELETE FROM event_outbox WHERE delivered_at < now() - make_interval(days => $1) RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [days],
  );
  return gone!.n;
}
