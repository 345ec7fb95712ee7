/**
 * Gateway tracing (features/tracing/) over real HTTP and two fixture subgraphs: the span tree of one
 * request in an in-process exporter (client traceparent → request → parse/validate/execute, the
 * govgraph engine's plan and shape, and one fetch span per subgraph), the traceparent each subgraph
 * received naming its fetch span, and real OTLP/HTTP export to a tiny receiver in the test, whose
 * tree is checked with the phases' attributes (operation name, subgraph, plan-cache hit). On the
 * reference engine (integration-apollo) plan and shape are @apollo/gateway's and have no spans.
 */
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import { defineFeature } from '../feature';
import { defaultFeatures } from '../features';
import { tracing, tracingParts } from '../features/tracing';
import { createGateway } from '../server';
import { JOIN_QUERY, post, silentLogger, useGatewayStack } from './support/gatewayStack';
import { startOtlpReceiver } from './support/otlpReceiver';
import type { ReceivedSpan } from './support/otlpReceiver';

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
/** The govgraph engine reports its phases; the reference engine's are @apollo/gateway's own. */
const PHASES = process.env.GATEWAY_ENGINE === 'apollo' ? [] : ['graphql.plan', 'graphql.shape'];

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
  expect(children.sort()).toEqual(
    [
      'graphql.execute',
      'graphql.parse',
      'graphql.validate',
      'subgraph.fetch',
      'subgraph.fetch',
      ...PHASES,
    ].sort(),
  );
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

test('GATEWAY_TRACING_ENDPOINT: the span tree reaches an OTLP/HTTP receiver, phases and their attributes included', async () => {
  const receiver = await startOtlpReceiver();
  try {
    const { url } = await stack.startGateway({
      GATEWAY_TRACING_ENDPOINT: receiver.url,
      GATEWAY_TRACING_EXPORT_DELAY: '100',
    });
    for (let i = 0; i < 2; i++)
      expect((await post(url, { query: `query Join ${JOIN_QUERY}` })).status).toBe(200);
    const roots = (spans: ReceivedSpan[]) => spans.filter((s) => s.name === 'graphql.request');
    // Children end before their request's span: once both roots are in, so are their trees.
    const spans = await receiver.until((all) => roots(all).length === 2);
    const trees = roots(spans)
      .sort((a, b) => spans.indexOf(a) - spans.indexOf(b))
      .map((root) => ({
        root: root.attributes,
        children: spans
          .filter((s) => s.parentSpanId === root.spanId)
          .map((s) => ({ name: s.name, attributes: s.attributes }))
          .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      }));
    const operation = { 'graphql.operation.name': 'Join' };
    const fetch = (subgraph: string) => ({
      name: 'subgraph.fetch',
      attributes: { ...operation, 'govgraph.subgraph': subgraph },
    });
    const tree = (second: boolean) => ({
      root: expect.objectContaining({ ...operation, 'graphql.operation.type': 'query' }),
      children: [
        { name: 'graphql.execute', attributes: {} },
        // Apollo Server's document cache spares the second request parsing and validation.
        ...(second ? [] : [{ name: 'graphql.parse', attributes: {} }]),
        ...(PHASES.length
          ? [{ name: 'graphql.plan', attributes: { ...operation, 'govgraph.plan.cache_hit': second } }]
          : []),
        ...(PHASES.length ? [{ name: 'graphql.shape', attributes: operation }] : []),
        ...(second ? [] : [{ name: 'graphql.validate', attributes: {} }]),
        fetch('products'),
        fetch('reviews'),
      ],
    });
    // The first request planned the operation; the second found it in the plan cache.
    expect(trees).toEqual([tree(false), tree(true)]);
    expect(new Set(spans.map((s) => s.scope))).toEqual(new Set(['govgraph-gateway']));
  } finally {
    await receiver.close();
  }
});
