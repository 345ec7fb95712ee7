/**
 * A subgraph continues the gateway's trace (kit/runtime/tracing.ts): a request carrying a W3C
 * traceparent gets a server span under it, and each statement its resolver runs on a real
 * PostgreSQL test database is a `db.statement` span under that one (in-process exporter). The
 * request's log lines, as the kit's logger writes them, carry the incoming trace id, so an operator
 * can join them to the gateway's.
 */
import type { FastifyInstance } from 'fastify';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ANONYMOUS } from '../runtime/context';
import type { RequestContext } from '../runtime/context';
import { createLogger } from '../runtime/logger';
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
let log = '';
const TRACE = '0af7651916cd43dd8448eb211c80319c';
const FETCH_SPAN = 'b7ad6b7169203331';
const TRACEPARENT = `00-${TRACE}-${FETCH_SPAN}-01`;

beforeAll(async () => {
  db = await createTestDatabase();
  app = createSubgraphServer({
    name: 'fixture',
    typeDefs: `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      type Query { two: Int! logged: Boolean! broken: Boolean! }
    `,
    resolvers: {
      Query: {
        two: async () => {
          await db.query('select 1');
          const [row] = await db.query<{ n: number }>('select 2 as n');
          return row!.n;
        },
        logged: (_: unknown, __: unknown, ctx: RequestContext<object>) => {
          ctx.log.info('a resolver speaks');
          return true;
        },
        broken: () => {
          throw new Error('unexpected');
        },
      },
    },
    createLoaders: () => ({}),
    db,
    logger: createLogger('fixture', 'info', { write: (line: string) => void (log += line) }),
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

async function ask(query: string, headers: Record<string, string> = { traceparent: TRACEPARENT }) {
  const token = await signCallerToken(ANONYMOUS, await importGatewayPrivateKey(keys.privateKey), {
    audience: 'fixture',
  });
  return app.inject({
    method: 'POST',
    url: '/graphql',
    payload: { query },
    headers: { [CALLER_HEADER]: token, ...headers },
  });
}

interface Line {
  msg: string;
  level: number;
  traceId?: string;
  spanId?: string;
}
const lines = (): Line[] =>
  log
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);

test("a request's log lines carry the trace id of its traceparent and its own span id", async () => {
  exporter.reset();
  log = '';
  expect((await ask('{ logged broken }')).json()).toMatchObject({
    data: null,
    errors: [{ extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
  });
  const request = exporter.getFinishedSpans().find((s) => s.name === 'subgraph.request')!;
  const spoken = lines().filter((l) => l.msg === 'a resolver speaks' || l.msg === 'resolver failed');
  expect(spoken.map((l) => [l.msg, l.traceId, l.spanId])).toEqual([
    ['a resolver speaks', TRACE, request.spanContext().spanId],
    ['resolver failed', TRACE, request.spanContext().spanId],
  ]);
});

test('a request refused before any GraphQL runs logs the trace id too', async () => {
  log = '';
  const res = await app.inject({
    method: 'POST',
    url: '/graphql',
    payload: { query: '{ two }' },
    headers: { [CALLER_HEADER]: 'not-a-token', traceparent: TRACEPARENT },
  });
  expect(res.statusCode).toBe(401);
  const refused = lines().find((l) => l.msg === 'refused a request without a valid gateway token');
  expect(refused?.traceId).toBe(TRACE);
});

test('a request without a traceparent logs the trace its own span starts', async () => {
  exporter.reset();
  log = '';
  await ask('{ logged }', {});
  const request = exporter.getFinishedSpans().find((s) => s.name === 'subgraph.request')!;
  const line = lines().find((l) => l.msg === 'a resolver speaks');
  expect(request.parentSpanId).toBeUndefined();
  expect(line?.traceId).toBe(request.spanContext().traceId);
});

test('gateway fetch span → subgraph request span → one span per SQL statement', async () => {
  exporter.reset();
  const trace = TRACE;
  const fetchSpan = FETCH_SPAN;
  const res = await ask('{ two }');
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
