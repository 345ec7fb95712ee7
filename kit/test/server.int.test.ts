/** The kit's subgraph server: what a caller (the gateway) sees for each kind of error. */
import pino from 'pino';
import type { Database } from '../db';
import { badInput } from '../errors';
import { createSubgraphServer } from '../server';
import { createTestDatabase } from '../testing';

let db: Database;
let app: ReturnType<typeof createSubgraphServer>;

const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query { ok: String! broken: String bad(n: Int!): Int requestId: String! }
`;

beforeAll(async () => {
  db = await createTestDatabase();
  app = createSubgraphServer({
    name: 'fixture',
    typeDefs,
    resolvers: {
      Query: {
        ok: () => 'ok',
        broken: () => {
          throw new Error('connection to 10.0.0.5:5432 lost; password=hunter2');
        },
        bad: (_: unknown, { n }: { n: number }) => {
          if (n < 0) throw badInput('n', 'must not be negative');
          return n;
        },
        requestId: (_: unknown, __: unknown, ctx: { requestId: string }) => ctx.requestId,
      },
    },
    createLoaders: () => ({}),
    db,
    logger: pino({ level: 'silent' }),
    maxPageSize: 100,
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await db.close();
});

const gql = async (query: string, headers: Record<string, string> = {}) => {
  const res = await app.inject({ method: 'POST', url: '/graphql', payload: { query }, headers });
  return { status: res.statusCode, body: res.json() };
};

test('an unexpected resolver failure is masked, the rest of the data survives', async () => {
  const r = await gql('{ ok broken }');
  expect(r.status).toBe(200);
  expect(r.body.data).toEqual({ ok: 'ok', broken: null });
  expect(r.body.errors[0]).toMatchObject({
    message: 'Internal server error',
    path: ['broken'],
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
  expect(JSON.stringify(r.body)).not.toMatch(/hunter2|10\.0\.0\.5|stack/);
});

test('catalogued errors keep their message, code and field', async () => {
  const r = await gql('{ bad(n: -1) }');
  expect(r.body.errors[0]).toMatchObject({
    message: 'n: must not be negative',
    extensions: { code: 'BAD_USER_INPUT', field: 'n' },
  });
});

test('syntax and validation errors get their own codes', async () => {
  expect((await gql('{ ok')).body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  expect((await gql('{ nope }')).body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect((await gql('{ bad(n: "x") }')).body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
});

test('the request id from the gateway reaches the resolver context', async () => {
  expect((await gql('{ requestId }', { 'x-request-id': 'req-42' })).body.data.requestId).toBe('req-42');
});

test('health and readiness', async () => {
  expect((await app.inject({ url: '/health' })).json()).toEqual({ status: 'ok', subgraph: 'fixture' });
  expect((await app.inject({ url: '/ready' })).statusCode).toBe(200);
});
