/**
 * A subgraph continues the gateway's trace (kit/runtime/tracing.ts): a request carrying a W3C
 * traceparent gets a server span under it, and each statement its resolver runs on a real
 * PostgreSQL test database is a `db.statement` span under that one (in-process exporter).
 */
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ANONYMOUS } from '../runtime/context';
import type { Database } from '../runtime/db';
import { subgraphTracing } from '../runtime/tracing';
import {
  CALLER_HEADER,
  generateGatewayKeys,
  importGatewayPrivateKey,
  signCallerToken,
} from '../../common/identity';
import { createSubgraphServer } from '../runtime/server';
import { createTestDatabase } from '../testing';

const keys = generateGatewayKeys();
const exporter = new InMemorySpanExporter();
let db: Database;
let app: FastifyInstance;

beforeAll(async () => {
  db = await createTestDatabase();
  app = createSubgraphServer({
    name: 'fixture',
    typeDefs: `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      type Query { two: Int! }
    `,
    resolvers: {
      Query: {
        two: async () => {
          await db.query('select 1');
          const [row] = await db.query<{ n: number }>('select 2 as n');
          return row!.n;
        },
      },
    },
    createLoaders: () => ({}),
    db,
    logger: pino({ level: 'silent' }),
    maxPageSize: 100,
    gatewayPublicKey: keys.publicKey,
    tracing: subgraphTracing('fixture', db, new SimpleSpanProcessor(exporter)),
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await db.close();
});

test('gateway fetch span → subgraph request span → one span per SQL statement', async () => {
  exporter.reset();
  const trace = '0af7651916cd43dd8448eb211c80319c';
  const fetchSpan = 'b7ad6b7169203331';
  const token = await signCallerToken(ANONYMOUS, await importGatewayPrivateKey(keys.privateKey), {
    audience: 'fixture',
  });
  const res = await app.inject({
    method: 'POST',
    url: '/graphql',
    payload: { query: '{ two }' },
    headers: { [CALLER_HEADER]: token, traceparent: `00-${trace}-${fetchSpan}-01` },
  });
  expect(res.json()).toEqual({ data: { two: 2 } });

  const spans = exporter.getFinishedSpans();
  const request = spans.find((s) => s.name === 'subgraph.request')!;
  expect(request.spanContext().traceId).toBe(trace);
  expect(request.parentSpanId).toBe(fetchSpan);
  const statements = spans.filter((s) => s.name === 'db.statement');
  expect(statements.map((s) => [s.spanContext().traceId, s.parentSpanId])).toEqual([
    [trace, request.spanContext().spanId],
    [trace, request.spanContext().spanId],
  ]);
});
