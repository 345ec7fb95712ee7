/**
 * Gateway tracing (features/tracing/) over real HTTP and two fixture subgraphs: the span tree of one
 * request in an in-process exporter (client traceparent → request → parse/validate/execute and one
 * fetch span per subgraph), the traceparent each subgraph received naming its fetch span, and real
 * OTLP/HTTP export to a tiny collector in the test.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import { defineFeature } from '../feature';
import { defaultFeatures } from '../features';
import { tracing, tracingParts } from '../features/tracing';
import { createGateway } from '../server';
import { JOIN_QUERY, post, silentLogger, useGatewayStack } from './support/gatewayStack';

const stack = useGatewayStack({ startGateway: false });
const CLIENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN = '00f067aa0ba902b7';
const CLIENT_TRACEPARENT = `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01`;

async function inMemoryGateway(trustTraceparent: boolean, logger = silentLogger) {
  const exporter = new InMemorySpanExporter();
  const inMemory = defineFeature({
    name: tracing.name,
    env: tracing.env,
    create: () =>
      tracingParts({ processor: new SimpleSpanProcessor(exporter), sampleRatio: 1, trustTraceparent }),
  });
  const features = defaultFeatures.map((f) => (f.name === tracing.name ? inMemory : f));
  const gateway = createGateway(stack.configFor({}, features), { logger, features });
  stack.track(gateway);
  const { url } = await gateway.start();
  return { url, exporter };
}

const parentOf = (span: ReadableSpan) => span.parentSpanId;

test('one request: client → request → parse, validate, execute, a fetch per subgraph → the subgraph', async () => {
  const { url, exporter } = await inMemoryGateway(true);
  const seen = stack.reviews.traceparents.length;
  const res = await post(url, { query: `query Join ${JOIN_QUERY}` }, { traceparent: CLIENT_TRACEPARENT });
  expect(res.status).toBe(200);

  const spans = exporter.getFinishedSpans();
  const root = spans.find((s) => s.name === 'graphql.request')!;
  expect(root.spanContext().traceId).toBe(CLIENT_TRACE);
  expect(parentOf(root)).toBe(CLIENT_SPAN);
  expect(root.attributes['graphql.operation.name']).toBe('Join');
  const children = spans.filter((s) => parentOf(s) === root.spanContext().spanId).map((s) => s.name);
  expect(children.sort()).toEqual([
    'graphql.execute',
    'graphql.parse',
    'graphql.validate',
    'subgraph.fetch',
    'subgraph.fetch',
  ]);
  const fetches = spans.filter((s) => s.name === 'subgraph.fetch');
  expect(fetches.map((s) => s.attributes['govgraph.subgraph']).sort()).toEqual(['products', 'reviews']);
  expect(new Set(spans.map((s) => s.spanContext().traceId))).toEqual(new Set([CLIENT_TRACE]));

  // The subgraph got the traceparent of its own fetch span: it can continue the trace.
  const reviewsFetch = fetches.find((s) => s.attributes['govgraph.subgraph'] === 'reviews')!;
  expect(stack.reviews.traceparents.slice(seen)).toEqual([
    `00-${CLIENT_TRACE}-${reviewsFetch.spanContext().spanId}-01`,
  ]);
});

test("the request's log lines carry its trace id", async () => {
  let log = '';
  const logger = pino({ level: 'info' }, { write: (line: string) => void (log += line) });
  const { url, exporter } = await inMemoryGateway(false, logger);
  await post(url, { query: `query Logged ${JOIN_QUERY}` });
  const root = exporter.getFinishedSpans().find((s) => s.name === 'graphql.request')!;
  const line = log
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { msg: string; operationName?: string; traceId?: string })
    .find((entry) => entry.msg === 'graphql operation' && entry.operationName === 'Logged');
  expect(line?.traceId).toBe(root.spanContext().traceId);
});

test("a client's traceparent is not trusted by default: the request starts its own trace", async () => {
  const { url, exporter } = await inMemoryGateway(false);
  await post(url, { query: JOIN_QUERY }, { traceparent: CLIENT_TRACEPARENT });
  const root = exporter.getFinishedSpans().find((s) => s.name === 'graphql.request')!;
  expect(root.spanContext().traceId).not.toBe(CLIENT_TRACE);
  expect(parentOf(root)).toBeUndefined();
});

test('GATEWAY_TRACING_ENDPOINT: spans reach an OTLP/HTTP collector', async () => {
  const bodies: string[] = [];
  const collector = createServer((request, response) => {
    let body = '';
    request.on('data', (c: Buffer) => (body += c.toString()));
    request.on('end', () => {
      bodies.push(`${request.method} ${request.url} ${request.headers['content-type']}\n${body}`);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = collector.address() as AddressInfo;
    const { url } = await stack.startGateway({
      GATEWAY_TRACING_ENDPOINT: `http://127.0.0.1:${port}/v1/traces`,
    });
    expect((await post(url, { query: `query Join ${JOIN_QUERY}` })).status).toBe(200);
    const end = Date.now() + 15_000;
    while (!bodies.some((b) => b.includes('subgraph.fetch')) && Date.now() < end)
      await new Promise((r) => setTimeout(r, 100));
    const all = bodies.join('\n');
    expect(bodies[0]).toMatch(/^POST \/v1\/traces application\/json\n/);
    for (const name of ['graphql.request', 'graphql.parse', 'graphql.execute', 'subgraph.fetch'])
      expect(all).toContain(`"name":"${name}"`);
  } finally {
    collector.closeAllConnections();
    await new Promise((resolve) => collector.close(resolve));
  }
});
