/**
 * The sender: claims due deliveries (a lease, so that several processes share them), POSTs each
 * envelope signed with Ed25519, and settles it: DELIVERED on a 2xx answer; otherwise another attempt
 * after an exponential backoff with jitter, and DEAD (the dead letter) after the maximum attempts.
 * Redirects are not followed (a 3xx is a failure).
 */
import type { Database } from '../../../kit';
import { pollingLoop } from '../../../kit';
import type { PollingLoop } from '../../../kit';
import type { Logger } from 'pino';
import { claimDue, markDelivered, markFailed } from '../db/deliveries';
import type { ClaimedDelivery } from '../db/deliveries';
import { signDelivery } from './signing';
import type { SigningKey } from './signing';

export interface SenderOptions {
  key: SigningKey;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  timeoutMs: number;
  /** Deliveries POSTed at once (one round's claim). */
  concurrency: number;
  pollMs: number;
}

/**
 * The pause after the n-th failed attempt (n ≥ 1): half of min(max, base·2^(n−1)) plus a uniform
 * random part of the other half ("equal jitter": it grows with n, and receivers coming back are not
 * hit by every sender at once).
 */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(cap / 2 + Math.random() * (cap / 2));
}

export const SIGNATURE_HEADERS = {
  signature: 'govgraph-signature',
  timestamp: 'govgraph-timestamp',
  eventId: 'govgraph-event-id',
  keyId: 'govgraph-key-id',
  deliveryId: 'govgraph-delivery-id',
  eventType: 'govgraph-event-type',
} as const;

export function createSender(db: Database, o: SenderOptions, log: Logger): PollingLoop {
  const send = async (d: ClaimedDelivery): Promise<void> => {
    const timestamp = Math.floor(Date.now() / 1000);
    let statusCode: number | null = null;
    let error: string;
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(o.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'govgraph-webhooks/1',
          [SIGNATURE_HEADERS.signature]: signDelivery(o.key, timestamp, d.body),
          [SIGNATURE_HEADERS.timestamp]: String(timestamp),
          [SIGNATURE_HEADERS.eventId]: d.eventId,
          [SIGNATURE_HEADERS.keyId]: o.key.keyId,
          [SIGNATURE_HEADERS.deliveryId]: d.id,
          [SIGNATURE_HEADERS.eventType]: d.eventType,
        },
        body: d.body,
      });
      statusCode = res.status;
      await res.body?.cancel().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) {
        await markDelivered(db, d.id, res.status);
        return;
      }
      error = `HTTP ${res.status}`;
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      error = e.name === 'TimeoutError' ? `no answer within ${o.timeoutMs} ms` : (e.cause?.code ?? e.message);
    }
    const attempt = d.attempts + 1;
    const status = await markFailed(db, d.id, {
      statusCode,
      error,
      delayMs: backoffMs(attempt, o.backoffBaseMs, o.backoffMaxMs),
      maxAttempts: o.maxAttempts,
    });
    if (status === 'DEAD')
      log.warn(
        { delivery: d.id, eventId: d.eventId, webhook: d.webhookId, attempts: attempt, error },
        'webhook delivery dead-lettered',
      );
  };

  return pollingLoop(
    async () => {
      // The lease outlasts every attempt of the round, so no other sender takes a delivery in flight.
      const claimed = await claimDue(db, o.concurrency, o.timeoutMs + 5_000);
      await Promise.all(
        claimed.map((d) =>
          send(d).catch((err: Error) =>
            log.error({ err: err.message, delivery: d.id }, 'webhook delivery: settling failed'),
          ),
        ),
      );
      return claimed.length === o.concurrency;
    },
    o.pollMs,
    (err) => log.warn({ err: err.message }, 'webhooks: a sender round failed'),
  );
}
