/**
 * Federated subscriptions end to end (docs/subscriptions.md), who receives what: real graphql-ws
 * clients of the applicant citizen and of an official of the dossier's agency receive the status
 * change with the fields of other subgraphs resolved; another citizen and another agency's official
 * receive nothing, even when an envelope names them (the subgraph's row rules decide) — with
 * envelopes XADDed here as the relays publish them, and with an official's mutation through the
 * dossiers outbox and the events relay (kit/events, run round by round). Resume by lastEventId.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { redisStreamPublisher } from '../kit/events/publisher';
import { createEventRelay, DEFAULT_RELAY_OPTIONS } from '../kit/events/relay';
import { token } from './support/security';
import { publish, REDIS, subscriber } from './support/subscriptions';
import {
  as,
  bearer,
  BTL,
  CITIZEN_A,
  CITIZEN_B,
  eventOf,
  gql,
  LAP_THACH,
  SUBSCRIPTION,
  untilLive,
  useSubscriptionStack,
} from './support/subscriptionStack';

/** What the stack logged, at debug and above (the gateway's lines are those without `subgraph`). */
const logged: Record<string, unknown>[] = [];
const S = useSubscriptionStack(
  {},
  {
    logger: pino(
      { level: 'debug' },
      new Writable({
        write(chunk, _enc, done) {
          logged.push(JSON.parse(String(chunk)) as Record<string, unknown>);
          done();
        },
      }),
    ),
  },
);

test('the applicant and the agency official receive one status change, resolved across subgraphs; another citizen and another agency receive none', async () => {
  const citizenA = subscriber(S.wsUrl, await bearer(as.citizen(CITIZEN_A)), { query: SUBSCRIPTION });
  const officialA = subscriber(S.wsUrl, await bearer(as.official(BTL)), { query: SUBSCRIPTION });
  const citizenB = subscriber(S.wsUrl, await bearer(as.citizen(CITIZEN_B)), { query: SUBSCRIPTION });
  const officialB = subscriber(S.wsUrl, await bearer(as.official(LAP_THACH)), { query: SUBSCRIPTION });
  const all = [citizenA, officialA, citizenB, officialB];
  S.open.push(...all);
  await untilLive(S, all);
  for (const s of all) s.received.length = 0;
  logged.length = 0;

  const event = eventOf(S.dossierA, 'A', { from: 'DANG_XU_LY', to: 'DA_XU_LY_XONG' });
  await publish(S.redis, S.STREAM, event);
  // B's event after A's: each subscription delivers in stream order, so B's receivers getting it
  // means they have been given A's and skipped it.
  const fence = eventOf(S.dossierB, 'B');
  await publish(S.redis, S.STREAM, fence);
  await Promise.all(all.map((s) => s.until(1)));

  for (const s of [citizenA, officialA]) {
    expect(s.received).toHaveLength(1);
    const { data, extensions } = s.received[0];
    expect(data.dossierStatusChanged).toMatchObject({
      id: event.id,
      status: 'DA_XU_LY_XONG',
      previousStatus: 'DANG_XU_LY',
      dossier: { code: S.dossierA, procedure: { name: expect.any(String) }, agency: { code: BTL } },
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

  // The gateway's log: one info line per event read, each receiver's delivery at debug only.
  const gateway = logged.filter((l) => l.subgraph === undefined);
  const read = gateway.filter((l) => l.msg === 'subscriptions: event' && l.eventId === event.id);
  expect(read).toEqual([
    expect.objectContaining({
      level: 30,
      type: 'DossierStatusChanged',
      source: 'dossiers',
      subscriptions: 4,
    }),
  ]);
  const deliveries = gateway.filter((l) => l.msg === 'graphql operation' && l.eventId === event.id);
  expect(deliveries.map((l) => [l.level, l.operationName])).toEqual([
    [20, 'Watch'],
    [20, 'Watch'],
  ]);
});

test('a mutation by an official, through the outbox and the relay: exactly one event for the applicant and for the agency official, none for the others', async () => {
  // The dossiers subgraph's own relay (kit/events), run round by round on its outbox.
  const publisher = redisStreamPublisher({ url: REDIS, stream: S.STREAM, maxLen: 0 });
  const relay = createEventRelay(S.stack.subgraphs.get('dossiers')!.db, publisher, {
    ...DEFAULT_RELAY_OPTIONS,
    source: 'dossiers',
  });
  try {
    while ((await relay.runOnce()) > 0); // the receipts of beforeAll, published before anyone listens
    const citizenA = subscriber(S.wsUrl, await bearer(as.citizen(CITIZEN_A)), { query: SUBSCRIPTION });
    const officialA = subscriber(S.wsUrl, await bearer(as.official(BTL)), { query: SUBSCRIPTION });
    const citizenB = subscriber(S.wsUrl, await bearer(as.citizen(CITIZEN_B)), { query: SUBSCRIPTION });
    const officialB = subscriber(S.wsUrl, await bearer(as.official(LAP_THACH)), { query: SUBSCRIPTION });
    const all = [citizenA, officialA, citizenB, officialB];
    S.open.push(...all);
    await untilLive(S, all);
    for (const s of all) s.received.length = 0;

    const advance = (code: string, agency: string) =>
      gql(
        S,
        'mutation($i: AdvanceDossierStatusInput!) { advanceDossierStatus(input: $i) { status } }',
        { i: { code, status: 'DANG_XU_LY', at: '2025-03-11T09:00:00+07:00' } },
        { role: 'official', agency, sub: `official@${agency}` },
      );
    const moved = await advance(S.dossierA, BTL);
    expect(moved.errors).toBeUndefined();
    expect(await relay.runOnce()).toBe(1);
    // B's change after A's on the stream: B's receivers getting it means they were given A's and skipped it.
    expect((await advance(S.dossierB, LAP_THACH)).errors).toBeUndefined();
    expect(await relay.runOnce()).toBe(1);
    await Promise.all(all.map((s) => s.until(1)));
    await new Promise((r) => setTimeout(r, 300)); // a duplicate would have arrived by now

    for (const s of [citizenA, officialA]) {
      expect(s.received.map((r) => r.data.dossierStatusChanged)).toEqual([
        expect.objectContaining({
          status: 'DANG_XU_LY',
          previousStatus: 'DUOC_TIEP_NHAN',
          dossier: expect.objectContaining({ code: S.dossierA, status: 'DANG_XU_LY' }),
        }),
      ]);
    }
    for (const s of [citizenB, officialB])
      expect(s.received.map((r) => r.data.dossierStatusChanged.dossier.code)).toEqual([S.dossierB]);
  } finally {
    await relay.stop();
    await publisher.close();
  }
});

test('an envelope naming other receivers changes nothing: the subgraph reads the dossier as each receiver', async () => {
  const citizenB = subscriber(S.wsUrl, await bearer(as.citizen(CITIZEN_B)), { query: SUBSCRIPTION });
  const officialB = subscriber(S.wsUrl, await bearer(as.official(LAP_THACH)), { query: SUBSCRIPTION });
  S.open.push(citizenB, officialB);
  await untilLive(S, [citizenB, officialB]);
  for (const s of [citizenB, officialB]) s.received.length = 0;
  // A's dossier, but the envelope claims B's citizen and agency: the pre-filter lets it through.
  await publish(
    S.redis,
    S.STREAM,
    eventOf(S.dossierA, 'A', { agencyPath: [BTL, LAP_THACH], citizenIds: [CITIZEN_A, CITIZEN_B] }),
  );
  const fence = eventOf(S.dossierB, 'B');
  await publish(S.redis, S.STREAM, fence);
  await Promise.all([citizenB.until(1), officialB.until(1)]);
  for (const s of [citizenB, officialB])
    expect(s.received.map((r) => r.data.dossierStatusChanged.id)).toEqual([fence.id]);
});

test('`code` narrows a subscription to one dossier', async () => {
  const analyst = await bearer(token({ role: 'analyst', sub: 'analyst-1' }));
  const one = subscriber(S.wsUrl, analyst, { query: SUBSCRIPTION, variables: { code: S.dossierB } });
  S.open.push(one);
  await untilLive(S, [one]);
  one.received.length = 0;
  await publish(S.redis, S.STREAM, eventOf(S.dossierA, 'A'));
  const b = eventOf(S.dossierB, 'B');
  await publish(S.redis, S.STREAM, b);
  await one.until(1);
  expect(one.received.map((r) => r.data.dossierStatusChanged.dossier.code)).toEqual([S.dossierB]);
});

test('a client resumes after the last event it received (extensions.lastEventId)', async () => {
  const auth = await bearer(as.citizen(CITIZEN_A));
  const first = subscriber(S.wsUrl, auth, { query: SUBSCRIPTION });
  S.open.push(first);
  await untilLive(S, [first]);
  const last = first.received.at(-1).extensions.eventId as string;
  await first.dispose();
  // While it is away: two changes of its dossier.
  const missed = [
    eventOf(S.dossierA, 'A', { to: 'YEU_CAU_BO_SUNG_GIAY_TO' }),
    eventOf(S.dossierA, 'A', { to: 'DANG_XU_LY' }),
  ];
  for (const e of missed) await publish(S.redis, S.STREAM, e);
  const again = subscriber(S.wsUrl, auth, { query: SUBSCRIPTION, extensions: { lastEventId: last } });
  S.open.push(again);
  await again.until(2);
  expect(again.received.slice(0, 2).map((r) => r.data.dossierStatusChanged.id)).toEqual(
    missed.map((e) => e.id),
  );
});
