/**
 * A slow consumer (docs/subscriptions.md, "Limits"): a graphql-ws client that stops reading its
 * socket while events keep coming is closed with 1013 (Try Again Later), and what the gateway kept
 * for it is bounded — most of the flood is never sent. A raw `ws` client whose TCP socket is paused
 * (never a socket paused forever: a deadline, and `terminate` in `finally`); each event's result is
 * inflated (an 8 KiB event id) so a few hundred events fill the loopback buffers.
 */
import Redis from 'ioredis';
import WebSocket from 'ws';
import { token } from './support/security';
import { publish, REDIS } from './support/subscriptions';
import { eventOf, useSubscriptionStack } from './support/subscriptionStack';

const S = useSubscriptionStack({
  GATEWAY_SUBSCRIPTIONS_MAX_BUFFERED_BYTES: '65536',
  GATEWAY_SUBSCRIPTIONS_MAX_QUEUED: '20',
});

const FLOOD = 2500;
const PAD = 'x'.repeat(8192);

test('a consumer that stops reading is closed with 1013 and most of the flood is never sent to it', async () => {
  const ws = new WebSocket(S.wsUrl, 'graphql-transport-ws');
  const flood = new Redis(REDIS);
  let nexts = 0;
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  try {
    const first = new Promise<void>((resolve, reject) => {
      ws.on('message', (data) => {
        const m = JSON.parse(String(data)) as { type: string };
        if (m.type === 'connection_ack')
          ws.send(
            JSON.stringify({
              id: '1',
              type: 'subscribe',
              payload: {
                query: `subscription($c: ID) { dossierStatusChanged(code: $c) { id status } }`,
                variables: { c: S.dossierA },
              },
            }),
          );
        if (m.type === 'next' && ++nexts === 1) resolve();
        if (m.type === 'error') reject(new Error(String(data)));
      });
    });
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(
      JSON.stringify({
        type: 'connection_init',
        payload: { authorization: `Bearer ${await token({ role: 'analyst', sub: 'analyst-slow' })}` },
      }),
    );
    // Live: events until the first arrives, read as usual.
    for (let i = 0; i < 100 && nexts === 0; i++) {
      await publish(S.redis, S.STREAM, eventOf(S.dossierA, 'A'));
      await Promise.race([first, new Promise((r) => setTimeout(r, 200))]);
    }
    expect(nexts).toBe(1);
    await new Promise((r) => setTimeout(r, 500));
    const before = nexts;

    // The consumer stops reading; the flood comes.
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    for (let sent = 0; sent < FLOOD; sent += 100) {
      const batch = flood.pipeline();
      for (let i = 0; i < 100; i++) {
        const e = eventOf(S.dossierA, 'A');
        e.id = `${PAD}-${sent + i}`;
        batch.xadd(
          S.STREAM,
          '*',
          'id',
          String(e.id),
          'type',
          'DossierStatusChanged',
          'source',
          'dossiers',
          'event',
          JSON.stringify(e),
        );
      }
      await batch.exec();
    }
    // Time for the gateway to run what it reads and find the consumer slow.
    await new Promise((r) => setTimeout(r, 8000));
    (ws as unknown as { _socket: { resume(): void } })._socket.resume();
    let deadline: NodeJS.Timeout | undefined;
    const close = await Promise.race([
      closed,
      new Promise<'timeout'>((r) => (deadline = setTimeout(() => r('timeout'), 20_000))),
    ]).finally(() => clearTimeout(deadline));
    expect(close).toEqual({ code: 1013, reason: 'Slow consumer' });
    const got = nexts - before;
    if (process.env.SLOW_CONSUMER_REPORT) process.stdout.write(`slow consumer: ${got} of ${FLOOD} sent\n`);
    // What reached the client is what the kernel's buffers and the bounded queue held, not the flood.
    expect(got).toBeLessThan(FLOOD / 2);
  } finally {
    ws.terminate();
    flood.disconnect();
  }
}, 60_000);
