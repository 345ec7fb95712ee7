/**
 * OpenTelemetry tracing of the gateway (off unless GATEWAY_TRACING_ENDPOINT is set): one server span
 * per GraphQL request, children for parsing, validation and execution, for the govgraph engine's
 * planning (`graphql.plan`, with whether the plan came from the cache) and shaping (`graphql.shape`)
 * — reported through the core's `phases` observer (context.ts) — and a client span per subgraph
 * fetch (`subgraph.fetch`, naming the subgraph) whose W3C `traceparent` goes to the subgraph,
 * so a subgraph that reads it continues the trace. A client's own `traceparent` becomes the parent
 * only with GATEWAY_TRACING_TRUST_TRACEPARENT=true (else every request starts a trace of its own:
 * an outside caller does not choose trace ids or sampling). Spans go to an OTLP/HTTP (JSON)
 * collector in batches (every GATEWAY_TRACING_EXPORT_DELAY ms); the root's sampling follows
 * GATEWAY_TRACING_SAMPLE_RATIO. When the gateway stops, the spans not yet sent are exported before
 * the process exits, within GATEWAY_TRACING_FLUSH_TIMEOUT.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Context, Span, Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { FastifyRequest } from 'fastify';
import { env } from '../../../common/env';
import type { GatewayContext, PhaseObserver } from '../../context';
import { defineFeature } from '../../feature';
import type { FeatureParts } from '../../feature';
import type { SubgraphFetchWrapper } from '../../transport';
import { settledWithin } from '../../../common/within';

declare module '../../context' {
  interface GatewayContext {
    /** The request's server span, set by the tracing feature when tracing is on. */
    readonly traceSpan?: Span;
  }
}

export interface TracingOptions {
  /** Where finished spans go (tests: an in-memory exporter with a SimpleSpanProcessor). */
  processor: SpanProcessor;
  sampleRatio: number;
  trustTraceparent: boolean;
  /** How long the gateway's stop may wait for the collector to take the last spans, ms (default 3000). */
  flushTimeoutMs?: number;
}

export const DEFAULT_FLUSH_TIMEOUT_MS = 3000;

const propagator = new W3CTraceContextPropagator();

/** The tracing parts over `options` (the feature below, or a test's exporter). */
export function tracingParts(options: TracingOptions): FeatureParts {
  const provider = new BasicTracerProvider({
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRatio) }),
    spanProcessors: [options.processor],
  });
  const tracer = provider.getTracer('govgraph-gateway');
  return {
    context(request) {
      const traceSpan = serverSpan(tracer, request, options.trustTraceparent);
      // The request's log lines (this request's child logger) carry the trace id from here on.
      const { traceId, spanId } = traceSpan.spanContext();
      (request.log as { setBindings?: (bindings: object) => void }).setBindings?.({ traceId, spanId });
      return { traceSpan, phases: phaseSpans(tracer, traceSpan) };
    },
    plugins: [plugin(tracer)],
    subgraphFetch: fetchSpans(tracer),
    async stop() {
      const flushed = await settledWithin(
        provider.shutdown(),
        options.flushTimeoutMs ?? DEFAULT_FLUSH_TIMEOUT_MS,
      );
      if (!flushed) throw new Error('the trace collector did not take the last spans in time; they are lost');
    },
  };
}

function serverSpan(tracer: Tracer, request: FastifyRequest, trust: boolean): Span {
  let parent: Context = ROOT_CONTEXT;
  if (trust && typeof request.headers.traceparent === 'string')
    parent = propagator.extract(ROOT_CONTEXT, request.headers, {
      get: (carrier, key) => carrier[key] as string | undefined,
      keys: (carrier) => Object.keys(carrier),
    });
  return tracer.startSpan(
    'graphql.request',
    { kind: SpanKind.SERVER, attributes: { 'http.route': request.url.split('?')[0] } },
    parent,
  );
}

/** The engine's phases as children of the request's span (`graphql.plan`, `graphql.shape`). */
function phaseSpans(tracer: Tracer, root: Span): PhaseObserver {
  const parent = trace.setSpan(ROOT_CONTEXT, root);
  return (phase, attributes) => {
    const span = tracer.startSpan(`graphql.${phase}`, { attributes }, parent);
    return (end) => {
      if (end?.attributes) span.setAttributes(end.attributes);
      if (end?.failed) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
  };
}

/** The client operation's name by request span, once resolved, for the fetch spans' attributes. */
const operationNames = new WeakMap<Span, string>();

function plugin(tracer: Tracer): ApolloServerPlugin<GatewayContext> {
  const child = (parent: Span | undefined, name: string) =>
    parent && tracer.startSpan(name, {}, trace.setSpan(ROOT_CONTEXT, parent));
  const ender = (span: Span | undefined) => async (error?: unknown) => {
    if (!span) return;
    if (error) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  return {
    async requestDidStart({ contextValue }) {
      const root = contextValue.traceSpan;
      return {
        async parsingDidStart() {
          return ender(child(root, 'graphql.parse'));
        },
        async validationDidStart() {
          const span = child(root, 'graphql.validate');
          return async (errors) => ender(span)(errors?.length ? errors[0] : undefined);
        },
        async didResolveOperation({ operationName }) {
          if (root && operationName) operationNames.set(root, operationName);
        },
        async executionDidStart() {
          const span = child(root, 'graphql.execute');
          return { executionDidEnd: ender(span) };
        },
        async willSendResponse({ operationName, operation, response }) {
          if (!root) return;
          if (operationName) root.setAttribute('graphql.operation.name', operationName);
          if (operation) root.setAttribute('graphql.operation.type', operation.operation);
          const body = response.body;
          if (body.kind === 'single' && body.singleResult.errors?.length)
            root.setStatus({ code: SpanStatusCode.ERROR });
          root.end();
        },
      };
    },
  };
}

function fetchSpans(tracer: Tracer): SubgraphFetchWrapper {
  return async (call, next) => {
    const parent = call.context.traceSpan;
    if (!parent) return next(call);
    const span = tracer.startSpan(
      'subgraph.fetch',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'govgraph.subgraph': call.subgraph,
          'graphql.operation.name': operationNames.get(parent) ?? '',
        },
      },
      trace.setSpan(ROOT_CONTEXT, parent),
    );
    propagator.inject(trace.setSpan(ROOT_CONTEXT, span), call.request.headers, {
      set: (headers, key, value) => headers.set(key, value),
    });
    try {
      return await next(call);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
      throw error;
    } finally {
      span.end();
    }
  };
}

export const tracing = defineFeature({
  name: 'tracing',
  env: {
    /** OTLP/HTTP traces URL (e.g. http://collector:4318/v1/traces); unset = tracing off. */
    GATEWAY_TRACING_ENDPOINT: env.httpUrl().optional(),
    /** Share of requests (0-1) that start a sampled trace (a trusted parent's decision is kept). */
    GATEWAY_TRACING_SAMPLE_RATIO: env.decimal(0, 1).default(1),
    /** Continue a client's W3C `traceparent` instead of starting a trace per request. */
    GATEWAY_TRACING_TRUST_TRACEPARENT: env.boolean().default(false),
    /** How long a finished span waits to be sent with others in one batch, ms. */
    GATEWAY_TRACING_EXPORT_DELAY: env.integer(1, 3_600_000).default(1000),
    /** At shutdown, how long the gateway waits for the collector to take the spans not sent yet, ms. */
    GATEWAY_TRACING_FLUSH_TIMEOUT: env.integer(0, 60_000).default(DEFAULT_FLUSH_TIMEOUT_MS),
  },
  create(settings) {
    const url = settings.GATEWAY_TRACING_ENDPOINT;
    if (url === undefined) return {};
    return tracingParts({
      processor: new BatchSpanProcessor(new OTLPTraceExporter({ url }) as SpanExporter, {
        scheduledDelayMillis: settings.GATEWAY_TRACING_EXPORT_DELAY,
      }),
      sampleRatio: settings.GATEWAY_TRACING_SAMPLE_RATIO,
      trustTraceparent: settings.GATEWAY_TRACING_TRUST_TRACEPARENT,
      flushTimeoutMs: settings.GATEWAY_TRACING_FLUSH_TIMEOUT,
    });
  },
});
