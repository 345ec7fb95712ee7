/** The delivery rows the consumer records and the sender claims and settles (delivery/). */
import type { Queryable } from '../../../kit';
import type { DeliveryRow } from './rows';
import { DELIVERY_COLUMNS } from './webhooks';

/** An event read from the stream, ready to match: its envelope's facts and its exact JSON text. */
export interface IncomingEvent {
  id: string;
  type: string;
  /** The scope a partner needs for this type (eventTypes.ts). */
  scope: string;
  agencyPath: string[];
  recordedAt: string;
  body: string;
}

/**
 * One statement for a batch: a delivery per (event, enabled webhook) whose types include the event's,
 * whose registering token held the type's scope, and whose partner agency is on the event's agency
 * path (the event's agency is in the partner's subtree: the partner row rule, kit/runtime/access.ts).
 * Idempotent by event id: an event read again inserts nothing (UNIQUE (event_id, webhook_id)).
 */
export async function recordDeliveries(db: Queryable, events: readonly IncomingEvent[]): Promise<number> {
  if (!events.length) return 0;
  const rows = await db.query<{ id: string }>(
    `INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, body, event_recorded_at)
     SELECT w.id, e.id, e.type, e.body, e.recorded_at
     FROM jsonb_to_recordset($1::jsonb) AS e(id uuid, type text, scope text, "agencyPath" text[], recorded_at timestamptz, body text)
     JOIN webhooks w ON w.disabled_at IS NULL AND e.type = ANY(w.event_types) AND e.scope = ANY(w.scopes)
                    AND w.partner_agency = ANY(e."agencyPath")
     ON CONFLICT (event_id, webhook_id) DO NOTHING
     RETURNING id`,
    [
      JSON.stringify(
        events.map((e) => ({
          id: e.id,
          type: e.type,
          scope: e.scope,
          agencyPath: e.agencyPath,
          recorded_at: e.recordedAt,
          body: e.body,
        })),
      ),
    ],
  );
  return rows.length;
}

export interface ClaimedDelivery extends DeliveryRow {
  url: string;
}

/**
 * Claims up to `limit` due deliveries of enabled webhooks for `leaseMs`: their next attempt is pushed
 * past the lease, so another sender (or this one after a crash) takes them only once it has lapsed.
 */
export const claimDue = (db: Queryable, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> =>
  db.query<ClaimedDelivery>(
    `WITH due AS (
       SELECT x.id FROM webhook_deliveries x JOIN webhooks w ON w.id = x.webhook_id AND w.disabled_at IS NULL
       WHERE x.status = 'PENDING' AND x.next_attempt_at <= now()
       ORDER BY x.next_attempt_at LIMIT $1 FOR UPDATE OF x SKIP LOCKED)
     UPDATE webhook_deliveries d SET next_attempt_at = now() + make_interval(secs => $2::float8 / 1000)
     FROM due, webhooks w WHERE d.id = due.id AND w.id = d.webhook_id
     RETURNING ${DELIVERY_COLUMNS}, w.url`,
    [limit, leaseMs],
  );

export async function markDelivered(db: Queryable, id: string, statusCode: number): Promise<void> {
  await db.query(
    `UPDATE webhook_deliveries SET status = 'DELIVERED', attempts = attempts + 1, last_attempt_at = now(),
       delivered_at = now(), last_status_code = $2, last_error = NULL WHERE id = $1`,
    [id, statusCode],
  );
}

/** A failed attempt: due again after `delayMs`, or DEAD once `maxAttempts` were made. */
export async function markFailed(
  db: Queryable,
  id: string,
  f: { statusCode: number | null; error: string; delayMs: number; maxAttempts: number },
): Promise<'PENDING' | 'DEAD'> {
  const [row] = await db.query<{ status: 'PENDING' | 'DEAD' }>(
    `UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = now(), last_status_code = $2,
       last_error = left($3, 500),
       status = CASE WHEN attempts + 1 >= $5 THEN 'DEAD' ELSE 'PENDING' END,
       next_attempt_at = now() + make_interval(secs => $4::float8 / 1000)
     WHERE id = $1 RETURNING status`,
    [id, f.statusCode, f.error, f.delayMs, f.maxAttempts],
  );
  return row?.status ?? 'DEAD';
}

export async function publishSigningKey(db: Queryable, keyId: string, publicKeyPem: string): Promise<void> {
  await db.query(
    `INSERT INTO webhook_signing_keys (key_id, public_key) VALUES ($1, $2)
     ON CONFLICT (key_id) DO UPDATE SET last_used_at = now()`,
    [keyId, publicKeyPem],
  );
}
