/**
 * Federated subscriptions end to end (docs/subscriptions.md): every subgraph over real HTTP on its
 * embedded database, the gateway with graphql-ws on /graphql, events XADDed to a real Redis Stream
 * (127.0.0.1:6379 or TEST_REDIS_URL) as the subgraphs' relays publish them. Receivers are real
 * graphql-ws clients: the applicant citizen and an official of the dossier's agency receive the
 * status change with the fields of other subgraphs resolved; another citizen and another agency's
 * official receive nothing, even when an envelope names them (the subgraph's row rules decide) —
 * with envelopes XADDed here, and with an official's mutation through the dossiers outbox and the
 * events relay (kit/events, run round by round).
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import WebSocket from 'ws';
import { createClient as createSseClient } from 'graphql-sse';
import { redisStreamPublisher } from '../kit/events/publisher';
import { createEventRelay, DEFAULT_RELAY_OPTIONS } from '../kit/events/relay';
import { now, PUBLIC_PEM, token } from './support/security';
import { startFederatedStack } from './support/subgraphs';
import type { FederatedStack } from './support/subgraphs';
import { publish, rawConnection, REDIS, statusEnvelope, subscriber } from './support/subscriptions';
import type { StatusEvent, Subscriber } from './support/subscriptions';

jest.setTimeout(120_000);

const BTL = '000.00.21.H26';
const LAP_THACH = '000.00.46.H62';
const CITIZEN_A = '001190123456';
const CITIZEN_B = '026190654321';
const STREAM = `govgraph:test:subscriptions:${randomUUID()}`;

let stack: FederatedStack;
let redis: Redis;
let wsUrl: string;
let dossierA: string;
let dossierB: string;
const open: Subscriber[] = [];

const as = {
  // A subject of its own per token: the per-caller connection limit counts by subject.
  citizen: (id: string, exp?: number) =>
    token({ role: 'citizen', citizen_id: id, sub: `citizen-${id}-${randomUUID()}` }, { exp }),
  official: (agency: string) => token({ role: 'official', agency, sub: `official@${agency}` }),
};
const bearer = async (t: Promise<string>) => `Bearer ${await t}`;

/** POSTs an operation with a token of the suite's identity provider. */
async function gql(
  query: string,
  variables: Record<string, unknown>,
  claims: Record<string, unknown>,
): Promise<any> {
  const res = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: await bearer(token(claims)) },
    body: JSON.stringify({ query, variables }),
  });
  return res.json();
}

const SUBSCRIPTION = `subscription Watch($code: ID) {
  dossierStatusChanged(code: $code) {
    id status previousStatus
    dossier { code status procedure { name } agency { code name } applicant { idNumber } }
  }
}`;

async function receive(agencyCode: string, applicant: string, procedureCode: string, summary: string) {
  const received = await gql(
    `mutation($i: ReceiveDossierInput!) { receiveDossier(input: $i) { code } }`,
    {
      i: {
        agencyCode,
        procedureCode,
        channel: 'TRUC_TIEP',
        summary,
        applicant: { kind: 'CONG_DAN', name: 'Nguyễn Văn An', idNumber: applicant },
        receivedAt: '2025-03-10T09:00:00+07:00',
      },
    },
    { role: 'official', agency: agencyCode, sub: `official@${agencyCode}` },
  );
  expect(received.errors).toBeUndefined();
  return received.data.receiveDossier.code as string;
}

const eventOf = (code: string, owner: 'A' | 'B', extra: Partial<StatusEvent> = {}) =>
  statusEnvelope({
    code,
    agencyPath: owner === 'A' ? [BTL] : [LAP_THACH],
    citizenIds: owner === 'A' ? [CITIZEN_A] : [CITIZEN_B],
    from: 'DUOC_TIEP_NHAN',
    to: 'DANG_XU_LY',
    ...extra,
  });

/** Publishes A's and B's event until every subscriber got one: each subscription is then live. */
async function untilLive(subscribers: Subscriber[]): Promise<void> {
  for (let i = 0; i < 100 && subscribers.some((s) => s.received.length === 0); i++) {
    await publish(redis, STREAM, eventOf(dossierA, 'A'));
    await publish(redis, STREAM, eventOf(dossierB, 'B'));
    await new Promise((r) => setTimeout(r, 200));
  }
  for (const s of subscribers) {
    expect(s.errors).toEqual([]);
    expect(s.received.length).toBeGreaterThan(0);
  }
  // Warm-up events still on their way arrive before the caller clears what was received.
  await new Promise((r) => setTimeout(r, 500));
}

beforeAll(async () => {
  redis = new Redis(REDIS);
  stack = await startFederatedStack({
    scale: 0.02,
    gatewayEnv: {
      GATEWAY_JWT_PUBLIC_KEY: PUBLIC_PEM,
      GATEWAY_JWT_ISSUER: 'https://idp.test',
      GATEWAY_SUBSCRIPTIONS_REDIS_URL: REDIS,
      GATEWAY_SUBSCRIPTIONS_STREAM: STREAM,
      GATEWAY_SUBSCRIPTIONS_MAX_PER_CONNECTION: '2',
      GATEWAY_SUBSCRIPTIONS_MAX_CONNECTIONS_PER_CALLER: '3',
    },
  });
  wsUrl = stack.url.replace(/^http/, 'ws');
  dossierA = await receive(BTL, CITIZEN_A, '1.000656', 'Đăng ký khai sinh');
  dossierB = await receive(LAP_THACH, CITIZEN_B, '1.000656', 'Đăng ký khai sinh');
}, 300_000);

afterEach(async () => {
  for (const s of open.splice(0)) await s.dispose();
});

afterAll(async () => {
  await stack?.close();
  await redis?.del(STREAM);
  redis?.disconnect();
});

test('the applicant and the agency official receive one status change, resolved across subgraphs; another citizen and another agency receive none', async () => {
  const citizenA = subscriber(wsUrl, await bearer(as.citizen(CITIZEN_A)), { query: SUBSCRIPTION });
  const officialA = subscriber(wsUrl, await bearer(as.official(BTL)), { query: SUBSCRIPTION });
  const citizenB = subscriber(wsUrl, await bearer(as.citizen(CITIZEN_B)), { query: SUBSCRIPTION });
  const officialB = subscriber(wsUrl, await bearer(as.official(LAP_THACH)), { query: SUBSCRIPTION });
  const all = [citizenA, officialA, citizenB, officialB];
  open.push(...all);
  await untilLive(all);
  for (const s of all) s.received.length = 0;

  const event = eventOf(dossierA, 'A', { from: 'DANG_XU_LY', to: 'DA_XU_LY_XONG' });
  await publish(redis, STREAM, event);
  // B's event after A's: each subscription delivers in stream order, so B's receivers getting it
  // means they have been given A's and skipped it.
  const fence = eventOf(dossierB, 'B');
  await publish(redis, STREAM, fence);
  await Promise.all(all.map((s) => s.until(1)));

  for (const s of [citizenA, officialA]) {
    expect(s.received).toHaveLength(1);
    const { data, extensions } = s.received[0];
    expect(data.dossierStatusChanged).toMatchObject({
      id: event.id,
      status: 'DA_XU_LY_XONG',
      previousStatus: 'DANG_XU_LY',
      dossier: { code: dossierA, procedure: { name: expect.any(String) }, agency: { code: BTL } },
    });
    // Agency's name comes from the documents subgraph: the subscription's `rest` ran.
    expect(data.dossierStatusChanged.dossier.agency.name).toMatch(/Bắc Từ Liêm/);
    expect(extensions.eventId).toMatch(/^\d+-\d+$/);
  }
  // The applicant sees their own identity number; the official of the agency too (docs/security.md).
  expect(citizenA.received[0].data.dossierStatusChanged.dossier.applicant.idNumber).toBe(CITIZEN_A);
  for (const s of [citizenB, officialB]) {
    expect(s.received).toHaveLength(1);
    expect(s.received[0].data.dossierStatusChanged.id).toBe(fence.id);
  }
});

test('a mutation by an official, through the outbox and the relay: exactly one event for the applicant and for the agency official, none for the others', async () => {
  // The dossiers subgraph's own relay (kit/events), run round by round on its outbox.
  const publisher = redisStreamPublisher({ url: REDIS, stream: STREAM, maxLen: 0 });
  const relay = createEventRelay(stack.subgraphs.get('dossiers')!.db, publisher, {
    ...DEFAULT_RELAY_OPTIONS,
    source: 'dossiers',
  });
  try {
    while ((await relay.runOnce()) > 0); // the receipts of beforeAll, published before anyone listens
    const citizenA = subscriber(wsUrl, await bearer(as.citizen(CITIZEN_A)), { query: SUBSCRIPTION });
    const officialA = subscriber(wsUrl, await bearer(as.official(BTL)), { query: SUBSCRIPTION });
    const citizenB = subscriber(wsUrl, await bearer(as.citizen(CITIZEN_B)), { query: SUBSCRIPTION });
    const officialB = subscriber(wsUrl, await bearer(as.official(LAP_THACH)), { query: SUBSCRIPTION });
    const all = [citizenA, officialA, citizenB, officialB];
    open.push(...all);
    await untilLive(all);
    for (const s of all) s.received.length = 0;

    const advance = (code: string, agency: string) =>
      gql(
        'mutation($i: AdvanceDossierStatusInput!) { advanceDossierStatus(input: $i) { status } }',
        { i: { code, status: 'DANG_XU_LY', at: '2025-03-11T09:00:00+07:00' } },
        { role: 'official', agency, sub: `official@${agency}` },
      );
    const moved = await advance(dossierA, BTL);
    expect(moved.errors).toBeUndefined();
    expect(await relay.runOnce()).toBe(1);
    // B's change after A's on the stream: B's receivers getting it means they were given A's and skipped it.
    expect((await advance(dossierB, LAP_THACH)).errors).toBeUndefined();
    expect(await relay.runOnce()).toBe(1);
    await Promise.all(all.map((s) => s.until(1)));
    await new Promise((r) => setTimeout(r, 300)); // a duplicate would have arrived by now

    for (const s of [citizenA, officialA]) {
      expect(s.received.map((r) => r.data.dossierStatusChanged)).toEqual([
        expect.objectContaining({
          status: 'DANG_XU_LY',
          previousStatus: 'DUOC_TIEP_NHAN',
          dossier: expect.objectContaining({ code: dossierA, status: 'DANG_XU_LY' }),
        }),
      ]);
    }
    for (const s of [citizenB, officialB])
      expect(s.received.map((r) => r.data.dossierStatusChanged.dossier.code)).toEqual([dossierB]);
  } finally {
    await relay.stop();
    await publisher.close();
  }
});

test('an envelope naming other receivers changes nothing: the subgraph reads the dossier as each receiver', async () => {
  const citizenB = subscriber(wsUrl, await bearer(as.citizen(CITIZEN_B)), { query: SUBSCRIPTION });
  const officialB = subscriber(wsUrl, await bearer(as.official(LAP_THACH)), { query: SUBSCRIPTION });
  open.push(citizenB, officialB);
  await untilLive([citizenB, officialB]);
  for (const s of [citizenB, officialB]) s.received.length = 0;
  // A's dossier, but the envelope claims B's citizen and agency: the pre-filter lets it through.
  await publish(
    redis,
    STREAM,
    eventOf(dossierA, 'A', { agencyPath: [BTL, LAP_THACH], citizenIds: [CITIZEN_A, CITIZEN_B] }),
  );
  const fence = eventOf(dossierB, 'B');
  await publish(redis, STREAM, fence);
  await Promise.all([citizenB.until(1), officialB.until(1)]);
  for (const s of [citizenB, officialB])
    expect(s.received.map((r) => r.data.dossierStatusChanged.id)).toEqual([fence.id]);
});

test('`code` narrows a subscription to one dossier', async () => {
  const analyst = await bearer(token({ role: 'analyst', sub: 'analyst-1' }));
  const one = subscriber(wsUrl, analyst, { query: SUBSCRIPTION, variables: { code: dossierB } });
  open.push(one);
  await untilLive([one]);
  one.received.length = 0;
  await publish(redis, STREAM, eventOf(dossierA, 'A'));
  const b = eventOf(dossierB, 'B');
  await publish(redis, STREAM, b);
  await one.until(1);
  expect(one.received.map((r) => r.data.dossierStatusChanged.dossier.code)).toEqual([dossierB]);
});

test('a client resumes after the last event it received (extensions.lastEventId)', async () => {
  const auth = await bearer(as.citizen(CITIZEN_A));
  const first = subscriber(wsUrl, auth, { query: SUBSCRIPTION });
  open.push(first);
  await untilLive([first]);
  const last = first.received.at(-1).extensions.eventId as string;
  await first.dispose();
  // While it is away: two changes of its dossier.
  const missed = [
    eventOf(dossierA, 'A', { to: 'YEU_CAU_BO_SUNG_GIAY_TO' }),
    eventOf(dossierA, 'A', { to: 'DANG_XU_LY' }),
  ];
  for (const e of missed) await publish(redis, STREAM, e);
  const again = subscriber(wsUrl, auth, { query: SUBSCRIPTION, extensions: { lastEventId: last } });
  open.push(again);
  await again.until(2);
  expect(again.received.slice(0, 2).map((r) => r.data.dossierStatusChanged.id)).toEqual(
    missed.map((e) => e.id),
  );
});

test('a bad token at connection_init is refused with 4403; a token that expires closes the connection with 4403', async () => {
  const bad = await rawConnection(wsUrl, { authorization: 'Bearer not.a.token' });
  expect(bad.close).toEqual({ code: 4403, reason: 'Forbidden' });
  expect(bad.messages).toEqual([]);

  const expiring = await rawConnection(
    wsUrl,
    { authorization: await bearer(as.citizen(CITIZEN_A, now() + 2)) },
    10_000,
  );
  expect(expiring.messages.map((m) => m.type)).toEqual(['connection_ack']);
  expect(expiring.close).toEqual({ code: 4403, reason: 'Forbidden: the token expired' });
});

test('subscriptions are refused over HTTP, and past the per-connection limit', async () => {
  const http = await gql(SUBSCRIPTION, {}, { role: 'analyst', sub: 'analyst-1' });
  expect(http.errors[0].extensions.code).toBe('SUBSCRIPTIONS_NOT_SUPPORTED');
  expect(http.data ?? null).toBeNull();

  const analyst = await bearer(token({ role: 'analyst', sub: 'analyst-2' }));
  const s = subscriber(wsUrl, analyst, { query: SUBSCRIPTION });
  open.push(s);
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
  const invalid = subscriber(wsUrl, analyst, { query: 'subscription { dossierStatusChanged { nope } }' });
  const deep = subscriber(wsUrl, analyst, {
    query: `subscription { dossierStatusChanged { dossier { parcel { dossiers { nodes { parcel { dossiers { nodes { parcel { dossiers { nodes { code } } } } } } } } } } } }`,
  });
  open.push(invalid, deep);
  await expect(invalid.until(1, 5_000)).rejects.toThrow(
    /Cannot query field \\"nope\\".*GRAPHQL_VALIDATION_FAILED/,
  );
  await expect(deep.until(1, 5_000)).rejects.toThrow(/Query depth 12/);
});

test('a caller past its connections is closed with 4429', async () => {
  const auth = await bearer(token({ role: 'analyst', sub: 'analyst-many' }));
  const connections = await Promise.all(
    [1, 2, 3, 4].map(() => rawConnection(wsUrl, { authorization: auth }, 1_500)),
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
        url: `${stack.url}/stream`,
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
      await publish(redis, STREAM, eventOf(dossierA, 'A'));
      await publish(redis, STREAM, eventOf(dossierB, 'B'));
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(errors).toEqual([]);
    received.a!.length = 0;
    received.b!.length = 0;
    const event = eventOf(dossierA, 'A', { to: 'DA_TRA_KET_QUA', from: 'DA_XU_LY_XONG' });
    await publish(redis, STREAM, event);
    const fence = eventOf(dossierB, 'B');
    await publish(redis, STREAM, fence);
    for (let i = 0; i < 100 && (received.a!.length === 0 || received.b!.length === 0); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(received.a!.map((r) => r.data.dossierStatusChanged)).toEqual([
      expect.objectContaining({
        id: event.id,
        status: 'DA_TRA_KET_QUA',
        dossier: expect.objectContaining({ code: dossierA }),
      }),
    ]);
    expect(received.a![0].data.dossierStatusChanged.dossier.agency.name).toMatch(/Bắc Từ Liêm/);
    expect(received.b!.map((r) => r.data.dossierStatusChanged.id)).toEqual([fence.id]);
  } finally {
    for (const u of unsubscribes) u();
    for (const c of clients) c.dispose();
  }

  const refused = await fetch(`${stack.url}/stream`, {
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
  const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve) => {
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    socket.on('message', (data) => JSON.parse(String(data)).type === 'connection_ack' && resolve());
  });
  await stack.gateway.stop();
  expect(await closed).toBe(1001);
});
