/**
 * Webhooks fed by a real mutation (docs/webhooks.md, docs/events.md): an official of Lập Thạch posts a
 * budget execution entry through the gateway; the budgets subgraph writes the event in its outbox, its
 * relay (kit/events) publishes it to a Redis Stream of the test's own on the shared Redis, the webhooks
 * worker records and POSTs it: the partner of the province above receives it, signed; a partner
 * elsewhere and a partner without `budgets:read` do not.
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import pino from 'pino';
import { redisStreamPublisher } from '../kit/events/publisher';
import { createEventRelay, DEFAULT_RELAY_OPTIONS } from '../kit/events/relay';
import type { EventRelay } from '../kit/events/relay';
import { freePort, TEST_REDIS_URL } from '../kit/testing';
import { loadRegistry } from '../schema/registry';
import { verifyDelivery } from '../subgraphs/webhooks/delivery/signing';
import { startDeliveryWorker } from '../subgraphs/webhooks/delivery/start';
import type { DeliveryWorker } from '../subgraphs/webhooks/delivery/start';
import { official, startFederatedStack } from './support/subgraphs';
import type { FederatedStack, TestClaims } from './support/subgraphs';
import { receiver, until } from './support/webhooks';

jest.setTimeout(180_000);

const LAP_THACH = '000.00.46.H62';
const VINH_PHUC = '000.00.00.H62'; // the province above it
const BAC_TU_LIEM = '000.00.21.H26'; // elsewhere
const PROVINCE_PARTNER: TestClaims = {
  role: 'partner',
  sub: 'p-vp',
  agency: VINH_PHUC,
  scope: 'budgets:read',
};
const ELSEWHERE_PARTNER: TestClaims = {
  role: 'partner',
  sub: 'p-btl',
  agency: BAC_TU_LIEM,
  scope: 'budgets:read',
};
const DOSSIERS_PARTNER: TestClaims = {
  role: 'partner',
  sub: 'p-vp-d',
  agency: VINH_PHUC,
  scope: 'dossiers:read',
};

const STREAM = `test:webhooks-mutation:${randomUUID()}`;
const silent = pino({ level: 'silent' });
let stack: FederatedStack;
let relay: EventRelay;
let worker: DeliveryWorker;
let redis: Redis;
let rx: ReturnType<typeof receiver>;
const publisher = redisStreamPublisher({ url: TEST_REDIS_URL, stream: STREAM, maxLen: 0 });

beforeAll(async () => {
  const names = new Set(['budgets', 'webhooks']);
  stack = await startFederatedStack({
    registry: loadRegistry().filter((e) => names.has(e.name)),
    scale: 0.02,
  });
  redis = new Redis(TEST_REDIS_URL);
  rx = receiver(await freePort());
  await rx.up();
  // What kit/runtime/run.ts starts in the budgets process when BUDGETS_EVENTS_REDIS_URL is set.
  relay = createEventRelay(stack.subgraphs.get('budgets')!.db, publisher, {
    ...DEFAULT_RELAY_OPTIONS,
    source: 'budgets',
    pollMs: 50,
  });
  relay.start();
  worker = await startDeliveryWorker(
    stack.subgraphs.get('webhooks')!.db,
    {
      redisUrl: TEST_REDIS_URL,
      stream: STREAM,
      group: 'webhooks',
      signingKey: undefined,
      maxAttempts: 3,
      backoffBaseMs: 100,
      backoffMaxMs: 400,
      timeoutMs: 2_000,
      concurrency: 8,
      pollMs: 50,
    },
    silent,
    { production: false, blockMs: 200, retryMs: 100 },
  );
  await until('the consumer group', async () => {
    const groups = (await redis.xinfo('GROUPS', STREAM).catch(() => [])) as unknown[][];
    return groups.some((g) => g.includes('webhooks'));
  });
});

afterAll(async () => {
  await worker?.stop();
  await relay?.stop();
  await publisher.close();
  await rx?.down();
  await redis?.del(STREAM);
  redis?.disconnect();
  await stack?.close();
});

async function register(as: TestClaims, path: string, eventTypes: string[]): Promise<string> {
  const r = await stack.gql(
    `mutation ($input: RegisterWebhookInput!) { registerWebhook(input: $input) { id } }`,
    { input: { url: rx.url(path), eventTypes } },
    as,
  );
  expect(r.errors).toBeUndefined();
  return r.data.registerWebhook.id;
}

const counts = async (id: string, as: TestClaims) =>
  (
    await stack.gql(
      `query ($id: ID!) { webhook(id: $id) { deliveryCounts { pending delivered dead } } }`,
      { id },
      as,
    )
  ).data.webhook.deliveryCounts;

test('an official’s budget entry reaches the province’s partner, signed, and no other partner', async () => {
  const province = await register(PROVINCE_PARTNER, '/province', ['BudgetExecutionPosted']);
  const elsewhere = await register(ELSEWHERE_PARTNER, '/elsewhere', ['BudgetExecutionPosted']);
  const dossiersOnly = await register(DOSSIERS_PARTNER, '/dossiers', ['DossierStatusChanged']);
  const [{ v: lineId }] = await stack.subgraphs.get('budgets')!.db.query<{
    v: string;
  }>(`SELECT id::text AS v FROM budget_lines WHERE agency_code = $1 AND fiscal_year = 2025 ORDER BY id LIMIT 1`, [LAP_THACH]);
  const posted = await stack.gql(
    `mutation ($input: RecordBudgetExecutionInput!) { recordBudgetExecution(input: $input) { id } }`,
    { input: { lineId, amount: '1000000', date: '2025-03-05' } },
    official(LAP_THACH),
  );
  expect(posted.errors).toBeUndefined();

  await until(
    'the province partner’s delivery',
    async () => (await counts(province, PROVINCE_PARTNER)).delivered === 1,
  );
  await until(
    'the group drained',
    async () => ((await redis.xpending(STREAM, 'webhooks')) as [number])[0] === 0,
  );
  const got = rx.receipts.filter((r) => r.path === '/province');
  expect(got).toHaveLength(1);
  const event = JSON.parse(got[0]!.body);
  expect(event).toMatchObject({
    type: 'BudgetExecutionPosted',
    source: 'budgets',
    agencyCode: LAP_THACH,
    entity: { typename: 'BudgetLine', key: { id: lineId } },
    data: { lineId, amount: '1000000', date: '2025-03-05' },
  });
  expect(event.agencyPath).toContain(VINH_PHUC);
  expect(got[0]!.headers['govgraph-event-id']).toBe(event.id);
  const keys = (await stack.gql(`{ webhookSigningKeys { keyId publicKeyPem } }`)).data.webhookSigningKeys;
  const key = keys.find((k: { keyId: string }) => k.keyId === got[0]!.headers['govgraph-key-id']);
  expect(
    verifyDelivery(
      key.publicKeyPem,
      String(got[0]!.headers['govgraph-timestamp']),
      got[0]!.body,
      String(got[0]!.headers['govgraph-signature']),
    ),
  ).toBe(true);

  expect(rx.receipts.map((r) => r.path)).toEqual(['/province']);
  expect(await counts(elsewhere, ELSEWHERE_PARTNER)).toEqual({ pending: 0, delivered: 0, dead: 0 });
  expect(await counts(dossiersOnly, DOSSIERS_PARTNER)).toEqual({ pending: 0, delivered: 0, dead: 0 });
});
