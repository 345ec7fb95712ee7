/**
 * Subscriptions' protocol edges (docs/subscriptions.md): 4403 for a bad token at connection_init and
 * when the token expires, SUBSCRIPTIONS_NOT_SUPPORTED over HTTP, the per-connection and per-caller
 * limits, validation and depth errors as graphql-ws `error` messages, the same delivery over SSE
 * (graphql-sse's client) with 401 for a bad token, and 1001 on graceful shutdown.
 */
import { createClient as createSseClient } from 'graphql-sse';
import WebSocket from 'ws';
import { now, token } from './support/security';
import { publish, rawConnection, subscriber } from './support/subscriptions';
import {
  as,
  bearer,
  CITIZEN_A,
  CITIZEN_B,
  eventOf,
  gql,
  SUBSCRIPTION,
  useSubscriptionStack,
} from './support/subscriptionStack';

const S = useSubscriptionStack({
  GATEWAY_SUBSCRIPTIONS_MAX_PER_CONNECTION: '2',
  GATEWAY_SUBSCRIPTIONS_MAX_CONNECTIONS_PER_CALLER: '3',
});

test('a bad token at connection_init is refused with 4403; a token that expires closes the connection with 4403', async () => {
  const bad = await rawConnection(S.wsUrl, { authorization: 'Bearer not.a.token' });
  expect(bad.close).toEqual({ code: 4403, reason: 'Forbidden' });
  expect(bad.messages).toEqual([]);

  const expiring = await rawConnection(
    S.wsUrl,
    { authorization: await bearer(as.citizen(CITIZEN_A, now() + 2)) },
    10_000,
  );
  expect(expiring.messages.map((m) => m.type)).toEqual(['connection_ack']);
  expect(expiring.close).toEqual({ code: 4403, reason: 'Forbidden: the token expired' });
});

test('subscriptions are refused over HTTP, and past the per-connection limit', async () => {
  const http = await gql(S, SUBSCRIPTION, {}, { role: 'analyst', sub: 'analyst-1' });
  expect(http.errors[0].extensions.code).toBe('SUBSCRIPTIONS_NOT_SUPPORTED');
  expect(http.data ?? null).toBeNull();

  const analyst = await bearer(token({ role: 'analyst', sub: 'analyst-2' }));
  const s = subscriber(S.wsUrl, analyst, { query: SUBSCRIPTION });
  S.open.push(s);
  const errors: any[] = [];
  const sink = {
    next: () => undefined,
    error: (e: unknown) => void errors.push(e),
    complete: () => undefined,
  };
  s.client.subscribe({ query: SUBSCRIPTION }, sink);
  s.client.subscribe({ query: SUBSCRIPTION }, sink);
  for (let i = 0; i < 50 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
  expect(errors[0]?.[0]?.extensions?.code).toBe('RATE_LIMITED');
});

test('a subscription that fails validation or the depth limit is an error message, not a stream', async () => {
  const analyst = await bearer(token({ role: 'analyst', sub: 'analyst-3' }));
  const invalid = subscriber(S.wsUrl, analyst, { query: 'subscription { dossierStatusChanged { nope } }' });
  const deep = subscriber(S.wsUrl, analyst, {
    query: `subscription { dossierStatusChanged { dossier { parcel { dossiers { nodes { parcel { dossiers { nodes { parcel { dossiers { nodes { code } } } } } } } } } } } }`,
  });
  S.open.push(invalid, deep);
  await expect(invalid.until(1, 5_000)).rejects.toThrow(
    /Cannot query field \\"nope\\".*GRAPHQL_VALIDATION_FAILED/,
  );
  await expect(deep.until(1, 5_000)).rejects.toThrow(/Query depth 12/);
});

test('a caller past its connections is closed with 4429', async () => {
  const auth = await bearer(token({ role: 'analyst', sub: 'analyst-many' }));
  const connections = await Promise.all(
    [1, 2, 3, 4].map(() => rawConnection(S.wsUrl, { authorization: auth }, 1_500)),
  );
  const closes = connections.map((c) => c.close);
  expect(closes.filter((c) => c === 'open')).toHaveLength(3);
  expect(closes.filter((c) => c !== 'open')).toEqual([
    { code: 4429, reason: 'Too many connections for this caller' },
  ]);
});

test('over SSE (graphql-sse): the applicant receives the change, another citizen nothing; a bad token is 401', async () => {
  const received: Record<string, any[]> = { a: [], b: [] };
  const errors: unknown[] = [];
  const unsubscribes: (() => void)[] = [];
  const clients = await Promise.all(
    (
      [
        ['a', CITIZEN_A],
        ['b', CITIZEN_B],
      ] as const
    ).map(async ([name, id]) => {
      const client = createSseClient({
        url: `${S.stack.url}/stream`,
        headers: { authorization: await bearer(as.citizen(id)) },
        retryAttempts: 0,
      });
      const unsubscribe = client.subscribe(
        { query: SUBSCRIPTION },
        {
          next: (r) => void received[name]!.push(r),
          error: (e) => void errors.push(e),
          complete: () => undefined,
        },
      );
      unsubscribes.push(unsubscribe);
      return client;
    }),
  );
  try {
    // Live once each has had an event of its own dossier.
    for (let i = 0; i < 100 && (received.a!.length === 0 || received.b!.length === 0); i++) {
      await publish(S.redis, S.STREAM, eventOf(S.dossierA, 'A'));
      await publish(S.redis, S.STREAM, eventOf(S.dossierB, 'B'));
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(errors).toEqual([]);
    received.a!.length = 0;
    received.b!.length = 0;
    const event = eventOf(S.dossierA, 'A', { to: 'DA_TRA_KET_QUA', from: 'DA_XU_LY_XONG' });
    await publish(S.redis, S.STREAM, event);
    const fence = eventOf(S.dossierB, 'B');
    await publish(S.redis, S.STREAM, fence);
    for (let i = 0; i < 100 && (received.a!.length === 0 || received.b!.length === 0); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(received.a!.map((r) => r.data.dossierStatusChanged)).toEqual([
      expect.objectContaining({
        id: event.id,
        status: 'DA_TRA_KET_QUA',
        dossier: expect.objectContaining({ code: S.dossierA }),
      }),
    ]);
    expect(received.a![0].data.dossierStatusChanged.dossier.agency.name).toMatch(/Bắc Từ Liêm/);
    expect(received.b!.map((r) => r.data.dossierStatusChanged.id)).toEqual([fence.id]);
  } finally {
    for (const u of unsubscribes) u();
    for (const c of clients) c.dispose();
  }

  const refused = await fetch(`${S.stack.url}/stream`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      authorization: 'Bearer not.a.token',
    },
    body: JSON.stringify({ query: SUBSCRIPTION }),
  });
  expect(refused.status).toBe(401);
  const body = (await refused.json()) as { errors: { extensions: { code: string } }[] };
  expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
});

test('graceful shutdown closes connections with 1001 (going away)', async () => {
  const socket = new WebSocket(S.wsUrl, 'graphql-transport-ws');
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve) => {
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    socket.on('message', (data) => JSON.parse(String(data)).type === 'connection_ack' && resolve());
  });
  await S.stack.gateway.stop();
  expect(await closed).toBe(1001);
});
