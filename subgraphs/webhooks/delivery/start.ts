/**
 * The delivery worker of the webhooks process (main.ts starts it beside the subgraph): the stream
 * consumer and the sender, on a small pool of their own. Off — no consumer, nothing needs Redis —
 * when `WEBHOOKS_REDIS_URL` is not set. Without `WEBHOOKS_SIGNING_KEY` a fresh key signs until the
 * process ends (refused in production: receivers keep the published key).
 */
import type { Database } from '../../../kit';
import type { Logger } from 'pino';
import { publishSigningKey } from '../db/deliveries';
import { startStreamConsumer } from './consumer';
import { createSender } from './sender';
import type { DeliverySettings } from './settings';
import { generateSigningKey, signingKeyFromPem } from './signing';
import type { SigningKey } from './signing';

export interface DeliveryWorker {
  readonly key: SigningKey;
  /** Runs the sender's next round now (tests; the consumer does it after recording deliveries). */
  wake(): void;
  stop(): Promise<void>;
}

export function signingKeyFor(s: DeliverySettings, production: boolean, log: Logger): SigningKey {
  if (s.signingKey) {
    try {
      return signingKeyFromPem(s.signingKey);
    } catch (err) {
      throw new Error(`WEBHOOKS_SIGNING_KEY: ${(err as Error).message}`);
    }
  }
  if (production)
    throw new Error('WEBHOOKS_SIGNING_KEY: required in production when WEBHOOKS_REDIS_URL is set');
  log.warn(
    'WEBHOOKS_SIGNING_KEY is not set: deliveries are signed with a key generated for this process only',
  );
  return generateSigningKey();
}

export async function startDeliveryWorker(
  db: Database,
  s: DeliverySettings,
  log: Logger,
  opts: { production: boolean; blockMs?: number; retryMs?: number },
): Promise<DeliveryWorker> {
  const key = signingKeyFor(s, opts.production, log);
  // Published before the first delivery is signed with it: receivers find it in the graph. Under
  // `npm start` the subgraph may still be migrating its database: tried again for a while.
  for (let tries = 1; ; tries++) {
    try {
      await publishSigningKey(db, key.keyId, key.publicKeyPem);
      break;
    } catch (err) {
      if (tries >= 60) throw err;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
  const sender = createSender(
    db,
    {
      key,
      maxAttempts: s.maxAttempts,
      backoffBaseMs: s.backoffBaseMs,
      backoffMaxMs: s.backoffMaxMs,
      timeoutMs: s.timeoutMs,
      concurrency: s.concurrency,
      pollMs: s.pollMs,
    },
    log.child({ component: 'webhook-sender' }),
  );
  sender.start();
  const consumer = startStreamConsumer(
    db,
    {
      redisUrl: s.redisUrl,
      stream: s.stream,
      group: s.group,
      batch: 100,
      blockMs: opts.blockMs ?? 2_000,
      retryMs: opts.retryMs ?? 1_000,
    },
    log.child({ component: 'webhook-consumer' }),
    sender.wake,
  );
  log.info({ stream: s.stream, group: s.group, keyId: key.keyId }, 'webhook delivery started');
  return {
    key,
    wake: sender.wake,
    async stop() {
      await consumer.stop();
      await sender.stop();
    },
  };
}
