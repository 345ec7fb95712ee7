/** Reads and writes of the `webhooks` table and of the delivery rows a partner acts on. */
import type { Queryable } from '../../../kit';
import type { DeliveryCountsRow, DeliveryRow, SigningKeyRow, WebhookRow } from './rows';

export const WEBHOOK_COLUMNS = `w.id, w.partner_agency AS "partnerAgency", w.scopes, w.url,
  w.event_types AS "eventTypes", w.description, w.created_at AS "createdAt", w.disabled_at AS "disabledAt"`;

export const DELIVERY_COLUMNS = `d.id, d.webhook_id AS "webhookId", d.event_id AS "eventId", d.event_type AS "eventType",
  d.body, d.event_recorded_at AS "eventRecordedAt", d.status, d.attempts, d.next_attempt_at AS "nextAttemptAt",
  d.last_attempt_at AS "lastAttemptAt", d.last_status_code AS "lastStatusCode", d.last_error AS "lastError",
  d.delivered_at AS "deliveredAt", d.replays`;

export async function insertWebhook(
  db: Queryable,
  w: {
    partnerAgency: string;
    scopes: readonly string[];
    url: string;
    eventTypes: readonly string[];
    description: string | null;
    createdBy: string | null;
  },
): Promise<WebhookRow> {
  const [row] = await db.query<WebhookRow>(
    `INSERT INTO webhooks AS w (partner_agency, scopes, url, event_types, description, created_by)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${WEBHOOK_COLUMNS}`,
    [w.partnerAgency, w.scopes, w.url, w.eventTypes, w.description, w.createdBy],
  );
  return row!;
}

/** The partner's webhooks, newest first. */
export const webhooksOf = (
  db: Queryable,
  partnerAgency: string,
  includeDisabled: boolean,
): Promise<WebhookRow[]> =>
  db.query<WebhookRow>(
    `SELECT ${WEBHOOK_COLUMNS} FROM webhooks w
     WHERE w.partner_agency = $1 AND ($2 OR w.disabled_at IS NULL) ORDER BY w.created_at DESC, w.id`,
    [partnerAgency, includeDisabled],
  );

/** One of the partner's webhooks (null for another partner's: it is not told that one exists). */
export async function webhookOf(
  db: Queryable,
  partnerAgency: string,
  id: string,
  lock = false,
): Promise<WebhookRow | null> {
  const [row] = await db.query<WebhookRow>(
    `SELECT ${WEBHOOK_COLUMNS} FROM webhooks w WHERE w.id = $1 AND w.partner_agency = $2${lock ? ' FOR UPDATE' : ''}`,
    [id, partnerAgency],
  );
  return row ?? null;
}

export async function disableWebhook(db: Queryable, id: string): Promise<WebhookRow> {
  const [row] = await db.query<WebhookRow>(
    `UPDATE webhooks w SET disabled_at = coalesce(disabled_at, now()) WHERE w.id = $1 RETURNING ${WEBHOOK_COLUMNS}`,
    [id],
  );
  return row!;
}

/** Sets the webhook's deliveries in `statuses` (of events recorded in [from, to)) back to PENDING, due now. */
export async function requeueDeliveries(
  db: Queryable,
  webhookId: string,
  statuses: readonly string[],
  from: Date | null,
  to: Date | null,
): Promise<number> {
  const rows = await db.query<{ id: string }>(
    `UPDATE webhook_deliveries SET status = 'PENDING', attempts = 0, next_attempt_at = now(), replays = replays + 1
     WHERE webhook_id = $1 AND status = ANY($2::text[])
       AND ($3::timestamptz IS NULL OR event_recorded_at >= $3) AND ($4::timestamptz IS NULL OR event_recorded_at < $4)
     RETURNING id`,
    [webhookId, statuses, from, to],
  );
  return rows.length;
}

/** Deliveries of many webhooks, newest event first, at most `first` each, optionally of one status: one query. */
export const deliveriesOf = (
  db: Queryable,
  webhookIds: readonly string[],
  q: { status: string | null; first: number },
): Promise<DeliveryRow[]> =>
  db.query<DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM unnest($1::uuid[]) AS k(id)
     CROSS JOIN LATERAL (
       SELECT * FROM webhook_deliveries x
       WHERE x.webhook_id = k.id AND ($2::text IS NULL OR x.status = $2)
       ORDER BY x.event_recorded_at DESC, x.id LIMIT $3
     ) d`,
    [webhookIds, q.status, q.first],
  );

export const deliveryCounts = (db: Queryable, webhookIds: readonly string[]): Promise<DeliveryCountsRow[]> =>
  db.query<DeliveryCountsRow>(
    `SELECT k.id AS "webhookId",
            count(d.id) FILTER (WHERE d.status = 'PENDING')::int AS pending,
            count(d.id) FILTER (WHERE d.status = 'DELIVERED')::int AS delivered,
            count(d.id) FILTER (WHERE d.status = 'DEAD')::int AS dead
     FROM unnest($1::uuid[]) AS k(id) LEFT JOIN webhook_deliveries d ON d.webhook_id = k.id
     GROUP BY k.id`,
    [webhookIds],
  );

export const signingKeys = (db: Queryable): Promise<SigningKeyRow[]> =>
  db.query<SigningKeyRow>(
    `SELECT key_id AS "keyId", public_key AS "publicKeyPem", created_at AS "createdAt", last_used_at AS "lastUsedAt"
     FROM webhook_signing_keys ORDER BY last_used_at DESC`,
  );
