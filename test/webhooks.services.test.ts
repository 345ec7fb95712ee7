/**
 * Webhooks for partner agencies (docs/webhooks.md), end to end with real components: the webhooks
 * subgraph behind the gateway over real HTTP, its delivery worker reading a Redis Stream of the shared
 * Redis (TEST_REDIS_URL) in a consumer group, and a receiver of the test's own (node:http on
 * 127.0.0.1) that verifies every signature with the public key published in the graph. Events are
 * published with the relays' own publisher (kit/events/publisher.ts: fields id, type, source, event).
 *
 * Shows: registration within scopes only; a partner never receives an event outside its scopes or its
 * row rule (its agency on the event's agency path); signed deliveries; a re-read event delivers
 * nothing twice; receiver down → retries → dead letter → receiver back → replay → delivered again
 * with the same event id; delivery state through the graph; another partner sees nothing of it.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import Redis from 'ioredis';
import pino from 'pino';
import { redisStreamPublisher } from '../kit/events/publisher';
import type { EventEnvelope } from '../common/events';
import type { EventPublisher } from '../kit/events/publisher';
import { freePort, TEST_REDIS_URL } from '../kit/testing';
import { loadRegistry } from '../schema/registry';
import { startDeliveryWorker } from '../subgraphs/webhooks/delivery/start';
import type { DeliveryWorker } from '../subgraphs/webhooks/delivery/start';
import { verifyDelivery } from '../subgraphs/webhooks/delivery/signing';
import { ADMIN, official, startFederatedStack } from './support/subgraphs';
import type { FederatedStack, TestClaims } from './support/subgraphs';
import { envelope, receiver, until } from './support/webhooks';
import type { Receipt } from './support/webhooks';

jest.setTimeout(120_000);

// A district and a ward under it, and an agency elsewhere: matching reads only the envelope's agency path.
const PROVINCE = '000.00.00.H26';
const DISTRICT = '000.00.21.H26';
const WARD = '000.21.31.H26';
const ELSEWHERE = '000.00.46.H62';

const PARTNER_A: TestClaims = { role: 'partner', sub: 'partner-a', agency: DISTRICT, scope: 'dossiers:read' };
const PARTNER_B: TestClaims = {
  role: 'partner',
  sub: 'partner-b',
  agency: ELSEWHERE,
  scope: 'dossiers:read documents:read',
};
const MAX_ATTEMPTS = 3;

const STREAM = `test:webhooks:${randomUUID()}`;
const GROUP = 'webhooks';
let stack: FederatedStack;
let worker: DeliveryWorker;
let redis: Redis;
/** The relays' own publisher (kit/events/publisher.ts): entries exactly as the subgraphs add them. */
let relay: EventPublisher;
let rx: ReturnType<typeof receiver>;
let publicKeyPem: string;
let keyId: string;

/** Publishes an envelope with the relays' publisher; resolves to it. */
async function publish(type: string, agencyPath: string[], citizenIds: string[] = []) {
  const event = envelope(type, agencyPath, citizenIds);
  await relay.publish([event as EventEnvelope]);
  return event;
}

const WEBHOOK_FIELDS = `id url eventTypes enabled partnerAgencyCode deliveryCounts { pending delivered dead }
  deliveries(first: 50) { id eventId eventType status attempts lastStatusCode lastError deliveredAt replays body }`;

async function webhookState(id: string, as: TestClaims = PARTNER_A) {
  const r = await stack.gql(`query ($id: ID!) { webhook(id: $id) { ${WEBHOOK_FIELDS} } }`, { id }, as);
  expect(r.errors).toBeUndefined();
  return r.data.webhook;
}

async function register(as: TestClaims, url: string, eventTypes: string[]) {
  return stack.gql(
    `mutation ($input: RegisterWebhookInput!) { registerWebhook(input: $input) { id url eventTypes enabled } }`,
    { input: { url, eventTypes } },
    as,
  );
}

/** Signature checks of one receipt with the key published in the graph, as a receiver does them. */
function verified(r: Receipt): boolean {
  return (
    r.headers['govgraph-key-id'] === keyId &&
    verifyDelivery(
      publicKeyPem,
      String(r.headers['govgraph-timestamp']),
      r.body,
      String(r.headers['govgraph-signature']),
    )
  );
}

const received = (path: string, eventId?: string) =>
  rx.receipts.filter((r) => r.path === path && (!eventId || r.headers['govgraph-event-id'] === eventId));

/** One signing key for the run: a restarted worker signs with the key the receiver already has. */
const SIGNING_KEY = generateKeyPairSync('ed25519')
  .privateKey.export({ format: 'pem', type: 'pkcs8' })
  .toString();

const startWorker = (): Promise<DeliveryWorker> =>
  startDeliveryWorker(
    stack.subgraphs.get('webhooks')!.db,
    {
      redisUrl: TEST_REDIS_URL,
      stream: STREAM,
      group: GROUP,
      signingKey: SIGNING_KEY,
      maxAttempts: MAX_ATTEMPTS,
      backoffBaseMs: 100,
      backoffMaxMs: 400,
      timeoutMs: 2_000,
      concurrency: 8,
      pollMs: 50,
    },
    pino({ level: 'silent' }),
    { production: false, blockMs: 200, retryMs: 100 },
  );

beforeAll(async () => {
  stack = await startFederatedStack({
    registry: loadRegistry().filter((e) => e.name === 'webhooks'),
    scale: 0,
  });
  redis = new Redis(TEST_REDIS_URL);
  relay = redisStreamPublisher({ url: TEST_REDIS_URL, stream: STREAM, maxLen: 0 });
  rx = receiver(await freePort());
  await rx.up();
  worker = await startWorker();
  // The group exists once the consumer started; entries added before it would not be read ('$').
  await until('the consumer group', async () => {
    const groups = (await redis.xinfo('GROUPS', STREAM).catch(() => [])) as unknown[][];
    return groups.some((g) => g.includes(GROUP));
  });
});

afterAll(async () => {
  await worker?.stop();
  await rx?.down();
  await relay?.close();
  await redis?.del(STREAM);
  redis?.disconnect();
  await stack?.close();
});

describe('registration', () => {
  test('the public key is published in the graph for anyone to read', async () => {
    const r = await stack.gql(`{ webhookSigningKeys { keyId algorithm publicKeyPem } }`);
    expect(r.errors).toBeUndefined();
    const key = r.data.webhookSigningKeys.find((k: { keyId: string }) => k.keyId === worker.key.keyId);
    expect(key).toMatchObject({ algorithm: 'ed25519' });
    expect(key.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    publicKeyPem = key.publicKeyPem;
    keyId = key.keyId;
  });

  test('only within the partner’s scopes, to an allowed URL, by a partner', async () => {
    const outside = await register(PARTNER_A, rx.url('/a'), ['DossierStatusChanged', 'DocumentReceived']);
    expect(outside.data).toBeNull();
    expect(outside.errors[0]).toMatchObject({
      message: 'Receiving DocumentReceived needs the scope documents:read',
      extensions: { code: 'FORBIDDEN' },
    });
    const plainHttp = await register(PARTNER_A, 'http://partner.example/hook', ['DossierStatusChanged']);
    expect(plainHttp.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(plainHttp.errors[0].message).toMatch(/https:\/\/ URL is required/);
    const notAUrl = await register(PARTNER_A, 'hook', ['DossierStatusChanged']);
    expect(notAUrl.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const anOfficial = await register(official(DISTRICT), 'https://partner.example/hook', [
      'DossierStatusChanged',
    ]);
    // @policy(partner) on the field: the gateway refuses it before any subgraph is asked.
    expect(anOfficial.errors[0].extensions.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
    const anonymous = await register({ role: 'anonymous' }, 'https://partner.example/hook', [
      'DossierStatusChanged',
    ]);
    expect(anonymous.errors[0].extensions.code).toMatch(/UNAUTHENTICATED|UNAUTHORIZED_FIELD_OR_TYPE/);
    for (const r of [outside, plainHttp, notAUrl, anOfficial, anonymous])
      expect(JSON.stringify(r)).not.toMatch(/    at /);
    const listed = await stack.gql(`{ webhooks { id } }`, {}, PARTNER_A);
    expect(listed).toEqual({ data: { webhooks: [] } });
  });
});

describe('delivery', () => {
  let hookA: string;
  let hookB: string;
  const sent: Record<string, { id: string }> = {};

  test('each partner receives, signed, only the events of its scopes and its agency’s subtree', async () => {
    const a = await register(PARTNER_A, rx.url('/a'), ['DossierStatusChanged']);
    expect(a.errors).toBeUndefined();
    expect(a.data.registerWebhook).toMatchObject({ eventTypes: ['DossierStatusChanged'], enabled: true });
    hookA = a.data.registerWebhook.id;
    const b = await register(PARTNER_B, rx.url('/b'), ['DossierStatusChanged', 'DocumentReceived']);
    expect(b.errors).toBeUndefined();
    hookB = b.data.registerWebhook.id;

    sent.wardDossier = await publish('DossierStatusChanged', [WARD, DISTRICT, PROVINCE], ['026090000123']); // A
    sent.elsewhereDossier = await publish('DossierStatusChanged', [ELSEWHERE, PROVINCE]); // B
    sent.wardDocument = await publish('DocumentReceived', [WARD, DISTRICT, PROVINCE]); // nobody (A lacks documents:read)
    sent.provinceDossier = await publish('DossierStatusChanged', [PROVINCE]); // nobody (above both)
    sent.elsewhereDocument = await publish('DocumentReceived', [ELSEWHERE, PROVINCE]); // B
    sent.budget = await publish('BudgetExecutionPosted', [DISTRICT, PROVINCE]); // nobody (no such webhook)

    await until('A delivered 1, B delivered 2', async () => {
      const [sa, sb] = [await webhookState(hookA), await webhookState(hookB, PARTNER_B)];
      return sa.deliveryCounts.delivered === 1 && sb.deliveryCounts.delivered === 2;
    });
    // Everything added was read and acknowledged: no event still waits to be matched.
    await until('the group drained', async () => {
      const pending = (await redis.xpending(STREAM, GROUP)) as [number, ...unknown[]];
      return pending[0] === 0;
    });
    const a1 = received('/a');
    expect(a1.map((r) => r.headers['govgraph-event-id'])).toEqual([sent.wardDossier!.id]);
    expect(
      received('/b')
        .map((r) => r.headers['govgraph-event-id'])
        .sort(),
    ).toEqual([sent.elsewhereDossier!.id, sent.elsewhereDocument!.id].sort());
    for (const r of rx.receipts) expect(verified(r)).toBe(true);
    // The body is the envelope; a body changed in transit fails the check.
    expect(JSON.parse(a1[0]!.body)).toMatchObject({
      id: sent.wardDossier!.id,
      agencyPath: [WARD, DISTRICT, PROVINCE],
      citizenIds: ['*********123'], // personal data masked for a partner
    });
    expect(a1[0]!.headers['content-type']).toBe('application/json');
    expect(
      verifyDelivery(
        publicKeyPem,
        String(a1[0]!.headers['govgraph-timestamp']),
        a1[0]!.body.replace(WARD, ELSEWHERE),
        String(a1[0]!.headers['govgraph-signature']),
      ),
    ).toBe(false);

    const state = await webhookState(hookA);
    expect(state.deliveries).toEqual([
      expect.objectContaining({
        eventId: sent.wardDossier!.id,
        eventType: 'DossierStatusChanged',
        status: 'DELIVERED',
        attempts: 1,
        lastStatusCode: 204,
        lastError: null,
        replays: 0,
      }),
    ]);
  });

  test('an event read again (at-least-once) is delivered once', async () => {
    // The relay republishes after a crash under the same id: a second stream entry, same envelope.
    await relay.publish([{ ...sent.wardDossier, recordedAt: new Date().toISOString() } as EventEnvelope]);
    const next = await publish('DossierStatusChanged', [DISTRICT, PROVINCE]);
    await until('the next event delivered', async () => received('/a', next.id).length === 1);
    await until(
      'the group drained',
      async () => ((await redis.xpending(STREAM, GROUP)) as [number])[0] === 0,
    );
    expect(received('/a', sent.wardDossier!.id)).toHaveLength(1);
    expect((await webhookState(hookA)).deliveryCounts).toEqual({ pending: 0, delivered: 2, dead: 0 });
  });

  test('receiver down: retried, then dead-lettered; back up and replayed: delivered with the same event id', async () => {
    await rx.down();
    const lost = await publish('DossierStatusChanged', [WARD, DISTRICT, PROVINCE]);
    const dead = await until('the dead letter', async () => {
      const s = await webhookState(hookA);
      return s.deliveries.find(
        (d: { eventId: string; status: string }) => d.eventId === lost.id && d.status === 'DEAD',
      );
    });
    expect(dead).toMatchObject({ attempts: MAX_ATTEMPTS, lastStatusCode: null, deliveredAt: null });
    expect(dead.lastError).toMatch(/ECONNREFUSED/);
    await rx.up();
    await new Promise((r) => setTimeout(r, 300));
    expect(received('/a', lost.id)).toHaveLength(0); // a dead delivery is not retried by itself

    const replay = await stack.gql(
      `mutation ($input: ReplayWebhookDeliveriesInput!) { replayWebhookDeliveries(input: $input) { requeued webhook { id } } }`,
      { input: { webhookId: hookA } },
      PARTNER_A,
    );
    expect(replay).toEqual({ data: { replayWebhookDeliveries: { requeued: 1, webhook: { id: hookA } } } });
    await until('the replayed delivery', async () => received('/a', lost.id).length === 1);
    expect(verified(received('/a', lost.id)[0]!)).toBe(true);
    const s = await until('DELIVERED', async () => {
      const st = await webhookState(hookA);
      return st.deliveryCounts.delivered === 3 && st;
    });
    expect(s.deliveries.find((d: { eventId: string }) => d.eventId === lost.id)).toMatchObject({
      status: 'DELIVERED',
      attempts: 1,
      replays: 1,
      lastError: null,
    });

    // Delivered ones too, within a time range: only the event recorded in it is sent again.
    const since = new Date(Date.parse(lost.recordedAt) - 1).toISOString();
    const again = await stack.gql(
      `mutation ($input: ReplayWebhookDeliveriesInput!) { replayWebhookDeliveries(input: $input) { requeued } }`,
      { input: { webhookId: hookA, statuses: ['DELIVERED'], from: since } },
      PARTNER_A,
    );
    expect(again).toEqual({ data: { replayWebhookDeliveries: { requeued: 1 } } });
    await until('delivered a second time', async () => received('/a', lost.id).length === 2);
    const [first, second] = received('/a', lost.id);
    expect(second!.body).toBe(first!.body);
    expect(verified(second!)).toBe(true);
  });

  test('another partner neither sees nor replays a webhook not its own', async () => {
    expect(await webhookState(hookA, PARTNER_B)).toBeNull();
    const r = await stack.gql(
      `mutation ($input: ReplayWebhookDeliveriesInput!) { replayWebhookDeliveries(input: $input) { requeued } }`,
      { input: { webhookId: hookA, statuses: ['DELIVERED'] } },
      PARTNER_B,
    );
    expect(r.errors[0].extensions.code).toBe('NOT_FOUND');
    const listed = await stack.gql(`{ webhooks { id } }`, {}, PARTNER_B);
    expect(listed).toEqual({ data: { webhooks: [{ id: hookB }] } });
  });

  test('a crash between reading an entry and acknowledging it: read again at restart, delivered once', async () => {
    await worker.stop();
    const e = await publish('DossierStatusChanged', [WARD, DISTRICT, PROVINCE]);
    // What the stopped worker would have done before a crash: take the entry, record nothing, no XACK.
    const taken = (await redis.xreadgroup(
      'GROUP',
      GROUP,
      `${hostname()}-${process.pid}`,
      'COUNT',
      10,
      'STREAMS',
      STREAM,
      '>',
    )) as [string, [string, string[]][]][];
    expect(taken[0]![1]).toHaveLength(1);
    expect(((await redis.xpending(STREAM, GROUP)) as [number])[0]).toBe(1);
    worker = await startWorker();
    await until('the pending entry delivered', async () => received('/a', e.id).length === 1);
    await until('acknowledged', async () => ((await redis.xpending(STREAM, GROUP)) as [number])[0] === 0);
    expect(verified(received('/a', e.id)[0]!)).toBe(true);
    expect(
      (await webhookState(hookA)).deliveries.filter((d: { eventId: string }) => d.eventId === e.id),
    ).toHaveLength(1);
  });

  test('each mutation is in the webhooks audit log, with who did it; refused ones are not', async () => {
    const log = async (filter: string) => {
      const r = await stack.gql(
        `{ webhooksAuditLog(filter: { kind: MUTATION${filter} }, first: 100) { nodes { subject role agencyCode operation fields recordIds } } }`,
        {},
        ADMIN,
      );
      expect(r.errors).toBeUndefined();
      return r.data.webhooksAuditLog.nodes as { subject: string; operation: string }[];
    };
    expect(await log(`, recordId: "${hookA}"`)).toEqual([
      {
        subject: 'partner-a',
        role: 'partner',
        agencyCode: DISTRICT,
        operation: 'registerWebhook',
        fields: ['input.eventTypes', 'input.url'],
        recordIds: [hookA],
      },
    ]);
    const all = await log('');
    // Two replays by A; B's refused replay and the refused registrations wrote nothing.
    expect(all.filter((n) => n.operation === 'replayWebhookDeliveries').map((n) => n.subject)).toEqual([
      'partner-a',
      'partner-a',
    ]);
    expect(all.map((n) => n.operation).sort()).toEqual([
      'registerWebhook',
      'registerWebhook',
      'replayWebhookDeliveries',
      'replayWebhookDeliveries',
    ]);
  });

  test('a disabled webhook gets no new deliveries', async () => {
    const d = await stack.gql(
      `mutation ($id: ID!) { disableWebhook(id: $id) { enabled } }`,
      { id: hookA },
      PARTNER_A,
    );
    expect(d).toEqual({ data: { disableWebhook: { enabled: false } } });
    const before = (await webhookState(hookA)).deliveries.length;
    const ignored = await publish('DossierStatusChanged', [DISTRICT, PROVINCE]);
    const barrier = await publish('DossierStatusChanged', [ELSEWHERE]);
    await until('B got the barrier', async () => received('/b', barrier.id).length === 1);
    expect((await webhookState(hookA)).deliveries).toHaveLength(before);
    expect(received('/a', ignored.id)).toHaveLength(0);
    const listed = await stack.gql(
      `{ webhooks { id } all: webhooks(includeDisabled: true) { id enabled } }`,
      {},
      PARTNER_A,
    );
    expect(listed.data).toEqual({ webhooks: [], all: [{ id: hookA, enabled: false }] });
  });
  test('a list of webhooks with their deliveries costs the same round trips for 1 or 4 webhooks (no N+1)', async () => {
    await worker.stop(); // its rounds would share the subgraph's pool, and its count
    const db = stack.subgraphs.get('webhooks')!.db;
    const query = `{ webhooks(includeDisabled: true) { id deliveryCounts { delivered } deliveries(first: 5) { eventId } } }`;
    const trips = async () => {
      const before = db.roundTrips;
      const r = await stack.gql(query, {}, PARTNER_B);
      expect(r.errors).toBeUndefined();
      return { trips: db.roundTrips - before, webhooks: r.data.webhooks.length };
    };
    const one = await trips();
    for (let i = 0; i < 3; i++)
      expect((await register(PARTNER_B, rx.url(`/b${i}`), ['DocumentPublished'])).errors).toBeUndefined();
    const four = await trips();
    expect(one.webhooks).toBe(1);
    expect(four).toEqual({ trips: one.trips, webhooks: 4 });
  });
});
