/**
 * Subscriptions (docs/subscriptions.md): clients subscribe over WebSocket (graphql-transport-ws) on
 * the GraphQL path (ws.ts) or over SSE (graphql-sse) at `<path>/stream` (sse.ts); the subgraphs' domain events, read from the Redis Stream their relays publish to
 * (one reader per gateway process, stream.ts), are each run through the gateway as the receiver
 * (delivery.ts, the core's operations.ts) and sent. Off unless GATEWAY_SUBSCRIPTIONS_REDIS_URL is set.
 */
import { env } from '../../../common/env';
import { defineFeature } from '../../feature';
import { sessions } from './sessions';
import { sseServer } from './sse';
import { redisEventStream } from './stream';
import { wsServer } from './ws';

const redisUrl = () =>
  env.text().refine((v) => /^rediss?:\/\/\S+$/.test(v), { message: 'must be a redis:// or rediss:// URL' });

export const subscriptions = defineFeature({
  name: 'subscriptions',
  env: {
    /** The Redis holding the event stream; unset = no subscriptions (a WebSocket upgrade is refused). */
    GATEWAY_SUBSCRIPTIONS_REDIS_URL: redisUrl().optional(),
    /** The stream the subgraphs' relays XADD to (their `<NAME>_EVENTS_STREAM`). */
    GATEWAY_SUBSCRIPTIONS_STREAM: env.text().default('govgraph:events'),
    /** Subscriptions at once on one connection. */
    GATEWAY_SUBSCRIPTIONS_MAX_PER_CONNECTION: env.integer(1, 10_000).default(20),
    /** Connections at once of one caller (by subject; anonymous callers by IP). */
    GATEWAY_SUBSCRIPTIONS_MAX_CONNECTIONS_PER_CALLER: env.integer(1, 100_000).default(10),
    /** Connections at once from one client IP. */
    GATEWAY_SUBSCRIPTIONS_MAX_CONNECTIONS_PER_IP: env.integer(1, 1_000_000).default(200),
    /** Bytes a connection's socket may hold unsent before the consumer is called slow and closed (1013). */
    GATEWAY_SUBSCRIPTIONS_MAX_BUFFERED_BYTES: env.integer(1024, 1 << 30).default(1 << 20),
    /** Results of one subscription waiting for its socket before the consumer is called slow (1013). */
    GATEWAY_SUBSCRIPTIONS_MAX_QUEUED: env.integer(1, 100_000).default(100),
    /** Entries replayed at most when a subscription resumes (`extensions.lastEventId`). */
    GATEWAY_SUBSCRIPTIONS_REPLAY_MAX: env.integer(0, 100_000).default(1000),
    /** How long a connection may wait before its `connection_init`, ms (then 4408). */
    GATEWAY_SUBSCRIPTIONS_INIT_TIMEOUT: env.integer(100, 600_000).default(10_000),
    /** WebSocket ping interval, ms (0 = none). */
    GATEWAY_SUBSCRIPTIONS_KEEPALIVE: env.integer(0, 600_000).default(30_000),
  },
  create(s, host) {
    const url = s.GATEWAY_SUBSCRIPTIONS_REDIS_URL;
    const operations = host.operations;
    if (!url || !operations) return {};
    const stream = redisEventStream({ url, stream: s.GATEWAY_SUBSCRIPTIONS_STREAM, logger: host.logger });
    const limits = {
      maxPerConnection: s.GATEWAY_SUBSCRIPTIONS_MAX_PER_CONNECTION,
      maxConnectionsPerCaller: s.GATEWAY_SUBSCRIPTIONS_MAX_CONNECTIONS_PER_CALLER,
      maxConnectionsPerIp: s.GATEWAY_SUBSCRIPTIONS_MAX_CONNECTIONS_PER_IP,
      maxBufferedBytes: s.GATEWAY_SUBSCRIPTIONS_MAX_BUFFERED_BYTES,
      maxQueued: s.GATEWAY_SUBSCRIPTIONS_MAX_QUEUED,
      replayMax: s.GATEWAY_SUBSCRIPTIONS_REPLAY_MAX,
      maxPayloadBytes: host.config.bodyLimit,
      initTimeoutMs: s.GATEWAY_SUBSCRIPTIONS_INIT_TIMEOUT,
      keepAliveMs: s.GATEWAY_SUBSCRIPTIONS_KEEPALIVE,
    };
    const shared = sessions({ path: host.graphqlPath, operations, stream, limits, logger: host.logger });
    const ws = wsServer({ path: host.graphqlPath, sessions: shared, limits, logger: host.logger });
    const sse = sseServer({ path: host.graphqlPath, sessions: shared });
    return {
      routes(app) {
        app.server.on('upgrade', (request, socket, head) => {
          if (!ws.upgrade(request, socket, head)) socket.destroy();
        });
        // graphql-sse at <path>/stream.
        sse.register(app);
        // Before the HTTP server waits for its connections: WebSocket clients are told to go away
        // (1001), SSE streams complete.
        app.addHook('preClose', async () => {
          sse.close();
          await ws.close();
          await stream.close();
        });
      },
    };
  },
});
