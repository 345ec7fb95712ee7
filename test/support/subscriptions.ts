/**
 * Helpers of the subscription suites: envelopes of domain events XADDed to a Redis Stream as the
 * subgraphs' relays add them (docs/events.md), graphql-ws clients (graphql-ws `createClient` over
 * `ws`) that record what they receive, and a bare WebSocket speaking graphql-transport-ws to see the
 * close codes.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';
import type Redis from 'ioredis';
import WebSocket from 'ws';

export const REDIS = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

export interface StatusEvent {
  code: string;
  agencyPath: string[];
  citizenIds: string[];
  from: string | null;
  to: string;
}

/** A DossierStatusChanged envelope as kit/events' relay publishes it. */
export function statusEnvelope(e: StatusEvent): Record<string, unknown> {
  const at = new Date().toISOString();
  return {
    id: randomUUID(),
    type: 'DossierStatusChanged',
    source: 'dossiers',
    sequence: 1,
    recordedAt: at,
    entity: { typename: 'Dossier', key: { code: e.code } },
    agencyCode: e.agencyPath[0] ?? null,
    agencyPath: e.agencyPath,
    citizenIds: e.citizenIds,
    data: { code: e.code, from: e.from, to: e.to, at },
  };
}

/** XADDs an envelope with the relay's fields; resolves to its stream id. */
export async function publish(
  redis: Redis,
  stream: string,
  envelope: Record<string, unknown>,
): Promise<string> {
  const id = await redis.xadd(
    stream,
    '*',
    'id',
    String(envelope.id),
    'type',
    String(envelope.type),
    'source',
    String(envelope.source),
    'event',
    JSON.stringify(envelope),
  );
  return id!;
}

export interface Subscriber {
  readonly client: Client;
  readonly received: any[];
  readonly errors: unknown[];
  /** Resolves once `received` holds at least `n` results. */
  until(n: number, timeoutMs?: number): Promise<void>;
  dispose(): Promise<void>;
}

/** A graphql-ws client subscribed to `query` with `authorization` at connection_init. */
export function subscriber(
  wsUrl: string,
  authorization: string | undefined,
  payload: { query: string; variables?: Record<string, unknown>; extensions?: Record<string, unknown> },
): Subscriber {
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: authorization ? { authorization } : {},
    retryAttempts: 0,
    lazy: false,
  });
  const received: any[] = [];
  const errors: unknown[] = [];
  const waiters: (() => void)[] = [];
  client.subscribe(payload, {
    next: (value) => {
      received.push(value);
      for (const w of waiters.splice(0)) w();
    },
    error: (error) => {
      errors.push(error);
      for (const w of waiters.splice(0)) w();
    },
    complete: () => undefined,
  });
  return {
    client,
    received,
    errors,
    until(n, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (received.length >= n) return resolve();
          if (errors.length) return reject(new Error(`subscription failed: ${JSON.stringify(errors)}`));
          if (Date.now() > deadline) return reject(new Error(`${received.length} of ${n} results in time`));
          waiters.push(check);
          setTimeout(check, 100).unref();
        };
        check();
      });
    },
    dispose: () => client.dispose() as Promise<void>,
  };
}

/**
 * A bare graphql-transport-ws connection: sends `connection_init` with `payload` and resolves with
 * the messages received and how the server closed it (or `open` if it has not within `waitMs`).
 */
export function rawConnection(
  wsUrl: string,
  payload: Record<string, unknown>,
  waitMs = 5_000,
): Promise<{ messages: any[]; close: { code: number; reason: string } | 'open' }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    const messages: any[] = [];
    const timer = setTimeout(() => {
      socket.terminate();
      resolve({ messages, close: 'open' });
    }, waitMs);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload })));
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    socket.on('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ messages, close: { code, reason: String(reason) } });
    });
    socket.on('error', reject);
  });
}
