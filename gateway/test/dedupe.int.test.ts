/**
 * Inbound in-flight deduplication (GATEWAY_DEDUPE_INFLIGHT) over real HTTP: a fixture subgraph whose
 * fields take a while and count their executions, so concurrent requests overlap and every subgraph
 * fetch is visible (RunningServer.requestIds). The same requests against a gateway without the
 * option are the control.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import pino from 'pino';
import { composeSupergraph } from '../../schema/compose';
import { createGateway } from '../server';
import type { Gateway } from '../server';
import { startSubgraph } from './support/fixtures';
import type { RunningServer } from './support/fixtures';
import { defaultConfig, defaultFeatures } from './support/config';

const SLOW_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

type Query {
  """Waits ms, then returns how many times this field has run."""
  slow(ms: Int!): Int!
  """Waits ms, then returns text."""
  echo(ms: Int!, text: String!): String!
}

type Mutation {
  """Waits ms, then returns how many times this field has run."""
  bump(ms: Int!): Int!
}
`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let runs = 0;
const resolvers = {
  Query: {
    slow: async (_: unknown, { ms }: { ms: number }) => (await sleep(ms), ++runs),
    echo: async (_: unknown, { ms, text }: { ms: number; text: string }) => (await sleep(ms), text),
  },
  Mutation: { bump: async (_: unknown, { ms }: { ms: number }) => (await sleep(ms), ++runs) },
};

const idp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
let subgraph: RunningServer;
let dir: string;
let deduped: string;
let plain: string;
const gateways: Gateway[] = [];

async function start(env: Record<string, string>): Promise<string> {
  const config = defaultConfig({
    SUPERGRAPH_PATH: path.join(dir, 'supergraph.graphql'),
    GATEWAY_PORT: '0',
    GATEWAY_JWT_PUBLIC_KEY: idp.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    ...env,
  });
  const gateway = createGateway(config, { logger: pino({ level: 'silent' }), features: defaultFeatures });
  gateways.push(gateway);
  return (await gateway.start()).url;
}

beforeAll(async () => {
  subgraph = await startSubgraph(SLOW_SDL, resolvers);
  dir = mkdtempSync(path.join(os.tmpdir(), 'govgraph-dedupe-'));
  writeFileSync(
    path.join(dir, 'supergraph.graphql'),
    composeSupergraph([{ name: 'slow', url: subgraph.url, typeDefs: SLOW_SDL }]),
  );
  deduped = await start({ GATEWAY_DEDUPE_INFLIGHT: 'true' });
  plain = await start({});
});

afterAll(async () => {
  await Promise.all(gateways.map((g) => g.stop()));
  await subgraph?.close();
  rmSync(dir, { recursive: true, force: true });
});

const token = (sub: string, role = 'analyst') =>
  new SignJWT({ role })
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject(sub)
    .setIssuer('govgraph-dev')
    .setAudience('govgraph')
    .setIssuedAt()
    // A distinct token each call (jti): two tokens of the same caller differ in their raw header.
    .setJti(Math.random().toString(36).slice(2))
    .setExpirationTime('10m')
    .sign(idp.privateKey);

interface Answer {
  status: number;
  body: string;
  type: string | null;
  requestId: string | null;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: await res.text(),
    type: res.headers.get('content-type'),
    requestId: res.headers.get('x-request-id'),
  };
}

/** Sends the requests at once and counts the subgraph fetches they cause. */
async function concurrently(url: string, requests: [unknown, Record<string, string>?][]) {
  const before = subgraph.requestIds.length;
  const answers = await Promise.all(requests.map(([body, headers]) => post(url, body, headers)));
  return { answers, fetches: subgraph.requestIds.length - before };
}

const SLOW = { query: '{ slow(ms: 300) }' };

test('two concurrent identical queries share one subgraph fetch and get the same answer', async () => {
  const { answers, fetches } = await concurrently(deduped, [[SLOW], [SLOW]]);
  expect(fetches).toBe(1);
  expect(answers[0].status).toBe(200);
  expect(answers[1].body).toBe(answers[0].body);
  // Each request keeps its own id.
  expect(answers[0].requestId).not.toBe(answers[1].requestId);
});

test('control: without the option the same two queries run twice', async () => {
  const { answers, fetches } = await concurrently(plain, [[SLOW], [SLOW]]);
  expect(fetches).toBe(2);
  expect(answers[1].body).not.toBe(answers[0].body);
});

test('the shared answer is the answer a gateway without deduplication gives (status, type, body)', async () => {
  const echo = { query: 'query Echo($t: String!) { echo(ms: 200, text: $t) }', variables: { t: 'xin chào' } };
  const { answers } = await concurrently(deduped, [[echo], [echo], [echo]]);
  const reference = await post(plain, echo);
  for (const a of answers) {
    expect({ status: a.status, type: a.type, body: a.body }).toEqual({
      status: reference.status,
      type: reference.type,
      body: reference.body,
    });
  }
  const refusal = { query: 'query($ms: Int!) { slow(ms: $ms) }', variables: {} };
  const strict = { accept: 'application/graphql-response+json' };
  const { answers: refused } = await concurrently(deduped, [
    [refusal, strict],
    [refusal, strict],
  ]);
  const control = await post(plain, refusal, strict);
  expect(refused.map((a) => [a.status, a.body])).toEqual([
    [400, control.body],
    [400, control.body],
  ]);
});

test('different callers never share; one caller with two different tokens does', async () => {
  const [alice1, alice2, bob] = await Promise.all([token('alice'), token('alice'), token('bob')]);
  expect(alice1).not.toBe(alice2);
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });
  const split = await concurrently(deduped, [
    [SLOW, auth(alice1)],
    [SLOW, auth(bob)],
    [SLOW], // anonymous
  ]);
  expect(split.fetches).toBe(3);
  const same = await concurrently(deduped, [
    [SLOW, auth(alice1)],
    [SLOW, auth(alice2)],
  ]);
  expect(same.fetches).toBe(1);
  expect(same.answers[1].body).toBe(same.answers[0].body);
  // A bad token is refused on its own even while a valid one of the same query runs.
  const mixed = await concurrently(deduped, [
    [SLOW, auth(alice1)],
    [SLOW, { authorization: 'Bearer a.b.c' }],
  ]);
  expect(mixed.answers.map((a) => a.status)).toEqual([200, 401]);
});

test('mutations are never shared; nor are queries with different variables or operation names', async () => {
  const bump = { query: 'mutation { bump(ms: 300) }' };
  const mutations = await concurrently(deduped, [[bump], [bump]]);
  expect(mutations.fetches).toBe(2);
  expect(mutations.answers[0].body).not.toBe(mutations.answers[1].body);

  const q = 'query A($ms: Int!) { slow(ms: $ms) } query B($ms: Int!) { slow(ms: $ms) }';
  const varied = await concurrently(deduped, [
    [{ query: q, operationName: 'A', variables: { ms: 300 } }],
    [{ query: q, operationName: 'A', variables: { ms: 301 } }],
    [{ query: q, operationName: 'B', variables: { ms: 300 } }],
  ]);
  expect(varied.fetches).toBe(3);
});

test('nothing is cached: the same query after the first finished runs again', async () => {
  const first = await concurrently(deduped, [[SLOW]]);
  const second = await concurrently(deduped, [[SLOW]]);
  expect(first.fetches + second.fetches).toBe(2);
  expect(second.answers[0].body).not.toBe(first.answers[0].body);
});

test('a leader whose client goes away shares nothing: the follower runs on its own and gets the whole answer', async () => {
  const aborter = new AbortController();
  const before = subgraph.requestIds.length;
  const leader = fetch(deduped, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(SLOW),
    signal: aborter.signal,
  }).catch((err: Error) => err.name);
  await sleep(50); // the leader's fetch is under way
  const follower = post(deduped, SLOW);
  await sleep(50);
  aborter.abort();
  expect(await leader).toBe('AbortError');
  const answer = await follower;
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body)).toEqual({ data: { slow: expect.any(Number) } });
  expect(subgraph.requestIds.length - before).toBe(2); // the cancelled leader's fetch and the follower's own
});
