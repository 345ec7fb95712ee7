/**
 * The relay's wake-up call: a connection of its own that LISTENs on the channel the outbox's trigger
 * notifies at each COMMIT that wrote events (migration 002_event_outbox_notify), so an event is
 * published at once instead of at the next poll. A lost connection is opened again after a second;
 * meanwhile the relay's polling alone finds the events.
 */
import { Client } from 'pg';

export const OUTBOX_CHANNEL = 'govgraph_event_outbox';
const RECONNECT_MS = 1_000;

export interface OutboxListener {
  close(): Promise<void>;
}

export function listenForEvents(
  url: string,
  onEvents: () => void,
  onError: (err: Error) => void,
): OutboxListener {
  let closed = false;
  let client: Client | null = null;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    if (closed) return;
    const c = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    client = c;
    let lost = false;
    const retry = (err: Error) => {
      if (lost || closed) return;
      lost = true;
      onError(err);
      void c.end().catch(() => undefined);
      timer = setTimeout(() => void connect(), RECONNECT_MS);
    };
    c.on('error', retry);
    c.on('end', () => retry(new Error('the listening connection ended')));
    c.on('notification', (n) => {
      if (n.channel === OUTBOX_CHANNEL) onEvents();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${OUTBOX_CHANNEL}`);
      onEvents(); // anything committed while it was not listening
    } catch (err) {
      retry(err as Error);
    }
  };
  void connect();

  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      await client?.end().catch(() => undefined);
    },
  };
}
