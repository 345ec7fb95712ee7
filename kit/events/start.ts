/**
 * The relay in a subgraph process (kit/runtime/run.ts starts it once the subgraph listens): on when
 * the subgraph has an outbox (it mounts `eventOutboxModule`) and `<NAME>_EVENTS_REDIS_URL` is set.
 * With no Redis configured the relay stays off and the outbox keeps every event, to be delivered once
 * one is (docs/events.md).
 */
import { envPrefix } from '../../common/env';
import type { SubgraphConfig } from '../runtime/config';
import { openDatabase } from '../runtime/db';
import type { DatabaseModule } from '../runtime/migrate';
import type { Logger } from '../runtime/logger';
import { listenForEvents } from './listen';
import { eventOutboxModule } from './outbox';
import { redisStreamPublisher } from './publisher';
import { createEventRelay, DEFAULT_RELAY_OPTIONS } from './relay';

export const hasEventOutbox = (modules: readonly DatabaseModule[]): boolean =>
  modules.includes(eventOutboxModule);

export interface RunningRelay {
  /** Ends the rounds (the one in flight completes), then closes its pool and its Redis connection. */
  stop(): Promise<void>;
}

export async function startEventRelay(
  config: SubgraphConfig,
  modules: readonly DatabaseModule[],
  logger: Logger,
): Promise<RunningRelay | null> {
  const outbox = hasEventOutbox(modules);
  if (!config.events) {
    if (outbox)
      logger.info(
        `${envPrefix(config.name)}EVENTS_REDIS_URL is not set: domain events are kept in the outbox, not published`,
      );
    return null;
  }
  if (!outbox) {
    logger.warn(
      `${envPrefix(config.name)}EVENTS_REDIS_URL is set, but ${config.name} emits no domain events`,
    );
    return null;
  }
  const e = config.events;
  // Its own small pool, without the request timeouts: a round holds its transaction while it publishes.
  const db = await openDatabase({ url: config.databaseUrl, poolSize: 2 });
  const publisher = redisStreamPublisher({ url: e.redisUrl, stream: e.stream, maxLen: e.streamMaxLen });
  const relay = createEventRelay(
    db,
    publisher,
    {
      ...DEFAULT_RELAY_OPTIONS,
      source: config.name,
      batch: e.batch,
      pollMs: e.pollMs,
      maxDelayMs: e.retryMaxMs,
      baseDelayMs: Math.min(DEFAULT_RELAY_OPTIONS.baseDelayMs, e.retryMaxMs),
      retentionDays: e.retentionDays,
    },
    logger.child({ component: 'event-relay' }),
  );
  relay.start();
  // Woken at each COMMIT that wrote events; the poll is the fallback.
  const listener = listenForEvents(config.databaseUrl, relay.wake, (err) =>
    logger.warn({ err: err.message }, 'event relay: not listening for commits, polling only'),
  );
  logger.info({ stream: e.stream }, 'event relay started');
  return {
    async stop() {
      await listener.close();
      await relay.stop();
      await publisher.close();
      await db.close();
    },
  };
}
