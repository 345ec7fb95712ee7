/**
 * A tiny OTLP/HTTP trace receiver (JSON encoding, as `@opentelemetry/exporter-trace-otlp-http`
 * sends it): a real HTTP server that keeps every span it is sent, flattened to what the tests check
 * (name, ids, parent, attributes, the service it came from).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedSpan {
  name: string;
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  /** Attribute values as sent (`stringValue`, `boolValue`, `intValue`… unwrapped). */
  attributes: Record<string, unknown>;
  /** The tracer (instrumentation scope) that made it, e.g. `govgraph-gateway`, `govgraph-budgets`. */
  scope: string;
}

export interface OtlpReceiver {
  /** The URL to give as `…_TRACING_ENDPOINT`. */
  url: string;
  spans(): ReceivedSpan[];
  /** Export requests received so far. */
  requests(): number;
  /** Resolves once `test` holds of the spans received, rejects after `ms`. */
  until(test: (spans: ReceivedSpan[]) => boolean, ms?: number): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

interface OtlpValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
}
interface OtlpBody {
  resourceSpans?: {
    scopeSpans?: {
      scope?: { name?: string };
      spans?: {
        name: string;
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        attributes?: { key: string; value: OtlpValue }[];
      }[];
    }[];
  }[];
}

const unwrap = (v: OtlpValue): unknown =>
  v.stringValue ?? v.boolValue ?? (v.intValue !== undefined ? Number(v.intValue) : v.doubleValue);

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const received: ReceivedSpan[] = [];
  let requests = 0;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (c: Buffer) => (body += c.toString()));
    request.on('end', () => {
      requests++;
      const parsed = JSON.parse(body) as OtlpBody;
      for (const resource of parsed.resourceSpans ?? [])
        for (const scope of resource.scopeSpans ?? [])
          for (const span of scope.spans ?? [])
            received.push({
              name: span.name,
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId ?? '',
              attributes: Object.fromEntries((span.attributes ?? []).map((a) => [a.key, unwrap(a.value)])),
              scope: scope.scope?.name ?? '',
            });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    spans: () => [...received],
    requests: () => requests,
    async until(test, ms = 15_000) {
      const end = Date.now() + ms;
      while (!test(received)) {
        if (Date.now() > end)
          throw new Error(`spans received: ${JSON.stringify(received.map((s) => s.name))}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return [...received];
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
