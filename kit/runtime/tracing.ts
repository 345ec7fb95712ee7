/**
 * A subgraph's OpenTelemetry spans: a server span per GraphQL request that continues the gateway's
 * W3C `traceparent`, and a `db.statement` span per statement the request runs, as its child. The
 * request's span starts as the request arrives (server.ts, `onRequest`), and its trace and span ids
 * are bound to the request's logger then, so every log line of the request — a refused token, a
 * database failure, a resolver's own — carries the trace id the gateway's lines carry. From the moment
 * its GraphQL context is built the span is the AsyncLocalStorage store, so statements run by its
 * resolvers and loaders find it. `shutdown` flushes the spans not yet exported (SIGTERM, run.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { FastifyRequest } from 'fastify';
import type { StatementObservers } from './db';
import { settledWithin } from '../../common/within';

export interface SubgraphTracing {
  /** Starts the request's span as it arrives and binds its `traceId` and `spanId` to `request.log`. */
  start(request: FastifyRequest): void;
  /** Makes the request's span the parent of the statements it runs (called as its context is built). */
  enter(request: FastifyRequest): void;
  /** Ends it with the response's status. */
  exit(request: FastifyRequest, status: number): void;
  /**
   * Exports the finished spans not sent yet and stops the exporter; resolves within `timeoutMs`
   * whatever the collector does (false when it had to give up).
   */
  shutdown(timeoutMs: number): Promise<boolean>;
}

const propagator = new W3CTraceContextPropagator();

export function subgraphTracing(
  name: string,
  db: { observers?: StatementObservers },
  processor: SpanProcessor,
): SubgraphTracing {
  const provider = new BasicTracerProvider({ spanProcessors: [processor] });
  const tracer = provider.getTracer(`govgraph-${name}`);
  const current = new AsyncLocalStorage<Span>();
  const spans = new WeakMap<FastifyRequest, Span>();
  db.observers?.observe((seconds, failed, pool) => {
    const parent = current.getStore();
    if (!parent) return;
    const end = Date.now();
    const span = tracer.startSpan(
      'db.statement',
      {
        kind: SpanKind.CLIENT,
        startTime: end - seconds * 1000,
        attributes: { 'db.system': 'postgresql', 'govgraph.db.pool': pool },
      },
      trace.setSpan(ROOT_CONTEXT, parent),
    );
    if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end(end);
  });
  return {
    start(request) {
      const parent = propagator.extract(ROOT_CONTEXT, request.headers, {
        get: (carrier, key) => carrier[key] as string | undefined,
        keys: (carrier) => Object.keys(carrier),
      });
      const span = tracer.startSpan('subgraph.request', { kind: SpanKind.SERVER }, parent);
      spans.set(request, span);
      const { traceId, spanId } = span.spanContext();
      (request.log as { setBindings?: (bindings: object) => void }).setBindings?.({ traceId, spanId });
    },
    enter(request) {
      const span = spans.get(request);
      if (span) current.enterWith(span);
    },
    exit(request, status) {
      const span = spans.get(request);
      if (!span) return;
      spans.delete(request);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
    shutdown: (timeoutMs) => settledWithin(provider.shutdown(), timeoutMs),
  };
}
