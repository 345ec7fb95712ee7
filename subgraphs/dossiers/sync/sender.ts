/**
 * The portal sync sender: takes due outbox rows (sync/outbox.ts), builds each payload
 * (sync/payload.ts) and POSTs it to `<url>/<kind>` with the adapter's token and an idempotency key.
 * A row is marked sent only on an acknowledgement: HTTP 2xx with a JSON body whose `error_code` is 0.
 * Anything else — refused connection, timeout, 5xx, 4xx, a malformed answer — is a failed attempt,
 * retried with exponential backoff and full jitter until `maxAttempts`, then the row is dead (the
 * dead letter) and holds the dossier's later rows until an official re-sends. Delivery is at least
 * once: a crash after the portal acknowledged and before the row was marked sends it again with the
 * same `Idempotency-Key`, which the receiver uses to drop the repeat.
 */
import type { Logger } from 'pino';
import { fullJitter, pollingLoop } from '../../../kit';
import type { Database } from '../../../kit';
import { claimDue, markFailed, markSent, sourcesOf } from './outbox';
import type { OutboxRow } from './outbox';
import { buildPayload } from './payload';

export interface PortalSyncOptions {
  /** The adapter's base URL; a kind is POSTed to `<url>/<kind>`. */
  url: string;
  /** The session token the adapter issued, sent as `Authorization: Bearer …`. */
  token: string | undefined;
  /** One request's bound. */
  timeoutMs: number;
  /** Rows taken per round (different dossiers, sent concurrently). */
  batch: number;
  /** Attempts before a row goes to the dead letter. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Pause between rounds when nothing was due. */
  idleMs: number;
}

export const DEFAULT_SYNC_OPTIONS: Omit<PortalSyncOptions, 'url' | 'token'> = {
  timeoutMs: 10_000,
  batch: 20,
  maxAttempts: 8,
  baseDelayMs: 1_000,
  maxDelayMs: 300_000,
  idleMs: 1_000,
};

/** Full jitter: a uniform delay up to min(max, base·2^attempt). */
export const backoff = (attempt: number, o: Pick<PortalSyncOptions, 'baseDelayMs' | 'maxDelayMs'>): number =>
  fullJitter(attempt, o.baseDelayMs, o.maxDelayMs);

async function deliver(row: OutboxRow, body: unknown, o: PortalSyncOptions): Promise<string | null> {
  let res: Response;
  try {
    res = await fetch(`${o.url.replace(/\/$/, '')}/${row.kind}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': `govgraph-portal-sync-${row.id}`,
        ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(o.timeoutMs),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return e.name === 'TimeoutError'
      ? `no answer within ${o.timeoutMs} ms`
      : `unreachable (${e.cause?.code ?? e.name})`;
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) return `HTTP ${res.status}`;
  try {
    const ack = JSON.parse(text) as { error_code?: unknown };
    if (ack.error_code === 0 || ack.error_code === '0') return null;
    return `refused: error_code ${JSON.stringify(ack.error_code ?? null)}`;
  } catch {
    return 'malformed answer (not JSON)';
  }
}

export interface PortalSyncSender {
  /** Runs rounds until stopped, pausing `idleMs` when nothing was due. */
  start(): void;
  /** One round: sends what is due; resolves to the number of rows acknowledged. */
  runOnce(): Promise<number>;
  /** Ends the loop after the round in flight (its rows are committed or rolled back, never half). */
  stop(): Promise<void>;
}

export function createPortalSync(db: Database, o: PortalSyncOptions, log?: Logger): PortalSyncSender {
  async function runOnce(): Promise<number> {
    return db.transaction(async (tx) => {
      const rows = await claimDue(tx, o.batch);
      if (!rows.length) return 0;
      const sources = await sourcesOf(tx, rows);
      const outcomes = await Promise.all(
        rows.map(async (row) => {
          const source = sources.get(row.id);
          if (!source) return { row, error: 'the dossier or its step is gone' };
          return { row, error: await deliver(row, { data: [buildPayload(row.kind, source)] }, o) };
        }),
      );
      let sent = 0;
      for (const { row, error } of outcomes) {
        if (error === null) {
          await markSent(tx, row.id);
          sent++;
          continue;
        }
        const dead = row.attempts + 1 >= o.maxAttempts;
        await markFailed(tx, row.id, error, backoff(row.attempts, o), dead);
        log?.warn(
          { outboxId: row.id, kind: row.kind, attempt: row.attempts + 1, dead, error },
          'portal sync failed',
        );
      }
      return sent;
    });
  }
  const loop = pollingLoop(
    async () => (await runOnce()) > 0,
    o.idleMs,
    (err) => log?.error({ err: err.message }, 'portal sync round failed'),
  );
  return { runOnce, start: loop.start, stop: loop.stop };
}
