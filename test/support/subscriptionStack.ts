/**
 * The stack of the subscription suites (test/subscriptions*.services.test.ts): every subgraph over
 * real HTTP on its embedded database, the gateway with subscriptions on a Redis Stream of the file's
 * own (real Redis: 127.0.0.1:6379 or TEST_REDIS_URL), a test identity provider, and two dossiers
 * received by officials: A at Bắc Từ Liêm for citizen A, B at Lập Thạch for citizen B.
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { PUBLIC_PEM, token } from './security';
import { startFederatedStack } from './subgraphs';
import type { FederatedStack } from './subgraphs';
import { publish, REDIS, statusEnvelope } from './subscriptions';
import type { StatusEvent, Subscriber } from './subscriptions';

export const BTL = '000.00.21.H26';
export const LAP_THACH = '000.00.46.H62';
export const CITIZEN_A = '001190123456';
export const CITIZEN_B = '026190654321';

export const SUBSCRIPTION = `subscription Watch($code: ID) {
  dossierStatusChanged(code: $code) {
    id status previousStatus
    dossier { code status procedure { name } agency { code name } applicant { idNumber } }
  }
}`;

export const as = {
  // A subject of its own per token: the per-caller connection limit counts by subject.
  citizen: (id: string, exp?: number) =>
    token({ role: 'citizen', citizen_id: id, sub: `citizen-${id}-${randomUUID()}` }, { exp }),
  official: (agency: string) => token({ role: 'official', agency, sub: `official@${agency}` }),
};
export const bearer = async (t: Promise<string>) => `Bearer ${await t}`;

export interface SubscriptionStack {
  stack: FederatedStack;
  redis: Redis;
  wsUrl: string;
  STREAM: string;
  dossierA: string;
  dossierB: string;
  /** Subscribers disposed after each test. */
  open: Subscriber[];
}

/** Starts the stack before the file's tests and closes it after; `S` is filled in beforeAll. */
export function useSubscriptionStack(
  gatewayEnv: Record<string, string> = {},
  options: { logger?: Logger } = {},
): SubscriptionStack {
  jest.setTimeout(120_000);
  const S = {
    open: [] as Subscriber[],
    STREAM: `govgraph:test:subscriptions:${randomUUID()}`,
  } as SubscriptionStack;
  beforeAll(async () => {
    S.redis = new Redis(REDIS);
    S.stack = await startFederatedStack({
      scale: 0.02,
      ...(options.logger && { logger: options.logger }),
      gatewayEnv: {
        GATEWAY_JWT_PUBLIC_KEY: PUBLIC_PEM,
        GATEWAY_JWT_ISSUER: 'https://idp.test',
        GATEWAY_SUBSCRIPTIONS_REDIS_URL: REDIS,
        GATEWAY_SUBSCRIPTIONS_STREAM: S.STREAM,
        ...gatewayEnv,
      },
    });
    S.wsUrl = S.stack.url.replace(/^http/, 'ws');
    S.dossierA = await receive(S, BTL, CITIZEN_A);
    S.dossierB = await receive(S, LAP_THACH, CITIZEN_B);
  }, 300_000);
  afterEach(async () => {
    for (const s of S.open.splice(0)) await s.dispose();
  });
  afterAll(async () => {
    await S.stack?.close();
    await S.redis?.del(S.STREAM);
    S.redis?.disconnect();
  });
  return S;
}

/** POSTs an operation to the gateway with a token of the suites' identity provider. */
export async function gql(
  S: SubscriptionStack,
  query: string,
  variables: Record<string, unknown>,
  claims: Record<string, unknown>,
): Promise<any> {
  const res = await fetch(S.stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: await bearer(token(claims)) },
    body: JSON.stringify({ query, variables }),
  });
  return res.json();
}

async function receive(S: SubscriptionStack, agencyCode: string, applicant: string): Promise<string> {
  const received = await gql(
    S,
    `mutation($i: ReceiveDossierInput!) { receiveDossier(input: $i) { code } }`,
    {
      i: {
        agencyCode,
        procedureCode: '1.000656',
        channel: 'TRUC_TIEP',
        summary: 'Đăng ký khai sinh',
        applicant: { kind: 'CONG_DAN', name: 'Nguyễn Văn An', idNumber: applicant },
        receivedAt: '2025-03-10T09:00:00+07:00',
      },
    },
    { role: 'official', agency: agencyCode, sub: `official@${agencyCode}` },
  );
  expect(received.errors).toBeUndefined();
  return received.data.receiveDossier.code as string;
}

/** A status change of dossier A (citizen A, Bắc Từ Liêm) or B (citizen B, Lập Thạch). */
export const eventOf = (code: string, owner: 'A' | 'B', extra: Partial<StatusEvent> = {}) =>
  statusEnvelope({
    code,
    agencyPath: owner === 'A' ? [BTL] : [LAP_THACH],
    citizenIds: owner === 'A' ? [CITIZEN_A] : [CITIZEN_B],
    from: 'DUOC_TIEP_NHAN',
    to: 'DANG_XU_LY',
    ...extra,
  });

/** Publishes A's and B's event until every subscriber got one: each subscription is then live. */
export async function untilLive(S: SubscriptionStack, subscribers: Subscriber[]): Promise<void> {
  for (let i = 0; i < 100 && subscribers.some((s) => s.received.length === 0); i++) {
    await publish(S.redis, S.STREAM, eventOf(S.dossierA, 'A'));
    await publish(S.redis, S.STREAM, eventOf(S.dossierB, 'B'));
    await new Promise((r) => setTimeout(r, 200));
  }
  for (const s of subscribers) {
    expect(s.errors).toEqual([]);
    expect(s.received.length).toBeGreaterThan(0);
  }
  // Warm-up events still on their way arrive before the caller clears what was received.
  await new Promise((r) => setTimeout(r, 500));
}
