/**
 * Starts the portal sync sender in the dossiers process when `PORTAL_SYNC_URL` is set (off by
 * default: a district without the national portal's adapter sends nothing, and the outbox keeps
 * every step until one is configured). Settings: docs/configuration.md "Dossiers: national portal sync".
 */
import { z } from 'zod';
import { createLogger, openDatabase } from '../../../kit';
import { createPortalSync, DEFAULT_SYNC_OPTIONS } from './sender';
import type { PortalSyncOptions, PortalSyncSender } from './sender';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const SETTINGS = z.object({
  PORTAL_SYNC_URL: z.url({ protocol: /^https?$/ }).optional(),
  PORTAL_SYNC_TOKEN: z.string().min(1).optional(),
  PORTAL_SYNC_TIMEOUT_MS: int(100, 600_000).default(DEFAULT_SYNC_OPTIONS.timeoutMs),
  PORTAL_SYNC_BATCH: int(1, 500).default(DEFAULT_SYNC_OPTIONS.batch),
  PORTAL_SYNC_MAX_ATTEMPTS: int(1, 100).default(DEFAULT_SYNC_OPTIONS.maxAttempts),
  PORTAL_SYNC_BASE_DELAY_MS: int(1, 3_600_000).default(DEFAULT_SYNC_OPTIONS.baseDelayMs),
  PORTAL_SYNC_MAX_DELAY_MS: int(1, 86_400_000).default(DEFAULT_SYNC_OPTIONS.maxDelayMs),
  PORTAL_SYNC_IDLE_MS: int(10, 600_000).default(DEFAULT_SYNC_OPTIONS.idleMs),
});

/** The sender's options from the environment; null when `PORTAL_SYNC_URL` is not set. */
export function portalSyncOptions(env: NodeJS.ProcessEnv): PortalSyncOptions | null {
  const parsed = SETTINGS.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${String(issue.path[0])}: ${issue.message}`);
  }
  const s = parsed.data;
  if (!s.PORTAL_SYNC_URL) return null;
  return {
    url: s.PORTAL_SYNC_URL,
    token: s.PORTAL_SYNC_TOKEN,
    timeoutMs: s.PORTAL_SYNC_TIMEOUT_MS,
    batch: s.PORTAL_SYNC_BATCH,
    maxAttempts: s.PORTAL_SYNC_MAX_ATTEMPTS,
    baseDelayMs: s.PORTAL_SYNC_BASE_DELAY_MS,
    maxDelayMs: s.PORTAL_SYNC_MAX_DELAY_MS,
    idleMs: s.PORTAL_SYNC_IDLE_MS,
  };
}

/** Opens a small pool of its own on the dossiers database and runs the sender until SIGTERM/SIGINT. */
export async function startPortalSyncFromEnv(env: NodeJS.ProcessEnv): Promise<PortalSyncSender | null> {
  const options = portalSyncOptions(env);
  if (!options || !env.DOSSIERS_DATABASE_URL) return null;
  const log = createLogger('dossiers-portal-sync', env.DOSSIERS_LOG_LEVEL ?? 'info');
  // A round holds its transaction while it sends; the request pool's transaction timeout is not for it.
  const db = await openDatabase({ url: env.DOSSIERS_DATABASE_URL, poolSize: 2 });
  const sender = createPortalSync(db, options, log);
  sender.start();
  log.info({ url: options.url }, 'portal sync started');
  const stop = () => void sender.stop().then(() => db.close());
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return sender;
}
