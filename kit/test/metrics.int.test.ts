/**
 * A subgraph's metrics (kit/runtime/metrics.ts): GraphQL requests through the kit's server, whose
 * resolver runs statements on a real PostgreSQL test database, then `GET /metrics` over HTTP on the
 * metrics listener, with exact counts.
 */
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { ANONYMOUS } from '../runtime/context';
import type { Database } from '../runtime/db';
import { metricsListener, subgraphMetrics } from '../runtime/metrics';
import {
  CALLER_HEADER,
  generateGatewayKeys,
  importGatewayPrivateKey,
  signCallerToken,
} from '../../common/identity';
import { createSubgraphServer } from '../runtime/server';
import { createTestDatabase } from '../testing';

const keys = generateGatewayKeys();
let db: Database;
let app: FastifyInstance;
let metrics: FastifyInstance;
let metricsUrl: string;

beforeAll(async () => {
  db = await createTestDatabase();
  app = createSubgraphServer({
    name: 'fixture',
    typeDefs: `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      type Query { two: Int! failing: Int }
    `,
    resolvers: {
      Query: {
        two: async () => {
          await db.query('select 1');
          const [row] = await db.query<{ n: number }>('select 2 as n');
          return row!.n;
        },
        failing: async () => (await db.query('select nope from nowhere'), 1),
      },
    },
    createLoaders: () => ({}),
    db,
    logger: pino({ level: 'silent' }),
    maxPageSize: 100,
    gatewayPublicKey: keys.publicKey,
  });
  metrics = metricsListener(subgraphMetrics(app, db));
  metricsUrl = `${(await metrics.listen({ host: '127.0.0.1', port: 0 })).replace(/\/$/, '')}/metrics`;
  await app.ready();
});

afterAll(async () => {
  await metrics.close();
  await app.close();
  await db.close();
});

async function gql(query: string, signed = true): Promise<number> {
  const token = await signCallerToken(ANONYMOUS, await importGatewayPrivateKey(keys.privateKey), {
    audience: 'fixture',
  });
  const headers = signed ? { [CALLER_HEADER]: token } : {};
  return (await app.inject({ method: 'POST', url: '/graphql', payload: { query }, headers })).statusCode;
}

async function scrape(): Promise<Map<string, number>> {
  const res = await fetch(metricsUrl);
  expect(res.status).toBe(200);
  const values = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return values;
}

test('requests, statements and the pool, as a scrape sees them', async () => {
  // The server's start-up ran statements of its own (the agency directory): count from here.
  const before = await scrape();
  const statements = (outcome: string, m: Map<string, number>) =>
    (m.get(`govgraph_subgraph_db_statement_duration_seconds_count{pool="primary",outcome="${outcome}"}`) ??
      0) -
    (before.get(
      `govgraph_subgraph_db_statement_duration_seconds_count{pool="primary",outcome="${outcome}"}`,
    ) ?? 0);
  expect(await gql('{ two }')).toBe(200);
  expect(await gql('{ two }')).toBe(200);
  expect(await gql('{ failing }')).toBe(200);
  expect(await gql('{ two }', false)).toBe(401);
  expect((await app.inject({ url: '/health' })).statusCode).toBe(200); // not a GraphQL request

  const m = await scrape();
  expect(m.get('govgraph_subgraph_requests_total{status="2xx"}')).toBe(3);
  expect(m.get('govgraph_subgraph_requests_total{status="4xx"}')).toBe(1);
  expect(m.get('govgraph_subgraph_request_duration_seconds_count')).toBe(4);
  expect(statements('ok', m)).toBe(4);
  expect(statements('error', m)).toBe(1);
  expect(m.get('govgraph_subgraph_db_pool_connections{pool="primary",state="in_use"}')).toBe(0);
  expect(m.get('govgraph_subgraph_db_pool_connections{pool="primary",state="waiting"}')).toBe(0);
  expect(m.get('govgraph_subgraph_db_pool_connections{pool="primary",state="idle"}')).toBeGreaterThanOrEqual(
    1,
  );
});
