/**
 * The webhooks subgraph's own settings, `WEBHOOKS_…` beside the kit's (kit/runtime/config.ts; listed
 * in docs/webhooks.md "Operators"). Declared in subgraph.ts so that start-up validates them and a
 * misspelt name fails; read here by main.ts for the delivery worker.
 */
import { env, envPrefix, readEnv } from '../../../common/env';
import type { Env } from '../../../common/env';

export const WEBHOOK_SETTINGS = {
  REDIS_URL: env.redisUrl().optional(),
  STREAM: env.text().default('govgraph:events'),
  GROUP: env.text().default('webhooks'),
  SIGNING_KEY: env.text().optional(),
  MAX_ATTEMPTS: env.integer(1, 100).default(8),
  BACKOFF_BASE_MS: env.integer(1, 3_600_000).default(2_000),
  BACKOFF_MAX_MS: env.integer(1, 86_400_000).default(3_600_000),
  TIMEOUT_MS: env.integer(100, 120_000).default(10_000),
  CONCURRENCY: env.integer(1, 256).default(8),
  POLL_MS: env.integer(10, 600_000).default(500),
};

export interface DeliverySettings {
  readonly redisUrl: string;
  readonly stream: string;
  readonly group: string;
  /** PEM (PKCS#8) Ed25519 private key; undefined = a fresh one per start (refused in production). */
  readonly signingKey: string | undefined;
  readonly maxAttempts: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly timeoutMs: number;
  readonly concurrency: number;
  readonly pollMs: number;
}

/** The delivery worker's settings; null when `WEBHOOKS_REDIS_URL` is not set (no consumer). */
export function deliverySettings(source: Env, name = 'webhooks'): DeliverySettings | null {
  const p = envPrefix(name);
  const shape = Object.fromEntries(Object.entries(WEBHOOK_SETTINGS).map(([k, v]) => [`${p}${k}`, v]));
  const s = readEnv(source, shape) as Record<string, unknown>;
  const redisUrl = s[`${p}REDIS_URL`] as string | undefined;
  if (!redisUrl) return null;
  return {
    redisUrl,
    stream: s[`${p}STREAM`] as string,
    group: s[`${p}GROUP`] as string,
    signingKey: s[`${p}SIGNING_KEY`] as string | undefined,
    maxAttempts: s[`${p}MAX_ATTEMPTS`] as number,
    backoffBaseMs: s[`${p}BACKOFF_BASE_MS`] as number,
    backoffMaxMs: s[`${p}BACKOFF_MAX_MS`] as number,
    timeoutMs: s[`${p}TIMEOUT_MS`] as number,
    concurrency: s[`${p}CONCURRENCY`] as number,
    pollMs: s[`${p}POLL_MS`] as number,
  };
}
