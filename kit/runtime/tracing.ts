/**
 * A subgraph's OpenTelemetry spans: a server span per GraphQL request that continues the gateway's
 * W3C `traceparent`, and a `db.statement` span per statement the request runs, as its child. The
 * request's span is the AsyncLocalStorage store from the moment its context is built (server.ts), so
 * statements run by its resolvers and loaders find it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { FastifyRequest } from 'fastify';
import type { Database } from './db';

export interface SubgraphTracing {
  /** Starts the request's span (called as its GraphQL context is built). */
  enter(request: FastifyRequest): void;
  /** Ends it with the response's status. */
  exit(request: FastifyRequest, status: number): void;
}

const propagator = new W3CTraceContextPropagator();

export function subgraphTracing(name: string, db: Database, processor: SpanProcessor): SubgraphTracing {
  const tracer = new BasicTracerProvider({ spanProcessors: [processor] }).getTracer(`govgraph-${name}`);
  const current = new AsyncLocalStorage<Span>();
  const spans = new WeakMap<FastifyRequest, Span>();
  db.observeStatements?.((seconds, failed) => {
    const parent = current.getStore();
    if (!parent) return;
    const end = Date.now();
    const span = tracer.startSpan(
      'db.statement',
      { kind: SpanKind.CLIENT, startTime: end - seconds * 1000, attributes: { 'db.system': 'postgresql' } },
      trace.setSpan(ROOT_CONTEXT, parent),
    );
    if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end(end);
  });
  return {
    enter(request) {
      const parent = propagator.extract(ROOT_CONTEXT, request.headers, {
        get: (carrier, key) => carrier[key] as string | undefined,
        keys: (carrier) => Object.keys(carrier),
      });
      const span = tracer.startSpan('subgraph.request', { kind: SpanKind.SERVER }, parent);
      spans.set(request, span);
      current.enterWith(span);
    },
    exit(request, status) {
      const span = spans.get(request);
      if (!span) return;
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
}
