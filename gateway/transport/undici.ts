/**
 * Subgraph HTTP dispatch for the govgraph engine: the innermost link of the features' fetch chain
 * (chain.ts) over undici `Pool`s, one per subgraph origin, with keep-alive connections — the same
 * contract as `httpFetch` (JSON POST, non-2xx → SubgraphHttpError, JSON object required).
 *
 * It dispatches with a handler of its own instead of `pool.request()`: the body's chunks are kept
 * as they arrive and decoded once at the end, so a fetch costs no Readable stream, no body mixin
 * and no intermediate copies (the workload's subgraph answers are tens of KB each).
 */
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import type { SubgraphFetch, SubgraphRequest, SubgraphResponse } from './chain';
import { SubgraphHttpError, SubgraphResponseTooLargeError } from './chain';

export interface PooledFetch {
  readonly fetch: SubgraphFetch;
  close(): Promise<void>;
}

const JSON_TYPE = /^application\/(?:graphql-response\+)?json/i;

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export function pooledFetch(options: { connections?: number } = {}): PooledFetch {
  const pools = new Map<string, Pool>();
  const poolFor = (origin: string): Pool => {
    let pool = pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: options.connections ?? 128,
        pipelining: 1,
        keepAliveTimeout: 30_000,
      });
      pools.set(origin, pool);
    }
    return pool;
  };

  const targets = new Map<string, { origin: string; path: string }>();
  const targetOf = (href: string) => {
    let target = targets.get(href);
    if (!target) {
      const url = new URL(href);
      targets.set(href, (target = { origin: url.origin, path: url.pathname + url.search }));
    }
    return target;
  };

  const fetch: SubgraphFetch = async ({ request }) => {
    const target = targetOf(request.url);
    const response = await post(poolFor(target.origin), target.path, request);
    const responseHeaders = new Headers();
    for (const name in response.headers) {
      const value = response.headers[name];
      if (value === undefined) continue;
      if (typeof value === 'string') responseHeaders.append(name, value);
      else for (const v of value) responseHeaders.append(name, v);
    }
    const type = responseHeaders.get('content-type') ?? '';
    const text = response.body.toString('utf8');
    const body: unknown = JSON_TYPE.test(type) ? JSON.parse(text) : text;
    const ok = response.status >= 200 && response.status < 300;
    if (!ok) throw new SubgraphHttpError(response.status, body, responseHeaders);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new Error(`subgraph answered ${response.status} without a JSON object (content-type "${type}")`);
    }
    const result = body as SubgraphResponse & { http?: SubgraphResponse['http'] };
    result.http = { headers: responseHeaders, status: response.status };
    return result;
  };

  return {
    fetch,
    async close() {
      await Promise.all([...pools.values()].map((p) => p.close()));
      pools.clear();
    },
  };
}

/** One POST through the pool; resolves with the status, headers and the whole body. */
function post(pool: Pool, path: string, request: SubgraphRequest): Promise<RawResponse> {
  const headers: string[] = [];
  request.headers.forEach((value, name) => headers.push(name, value));
  const body = JSON.stringify(request.body);
  const { signal, cancel } = request;
  return new Promise<RawResponse>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    if (cancel?.aborted) return reject(cancel.reason);
    let status = 0;
    let responseHeaders: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    let length = 0;
    let controller: Dispatcher.DispatchController | undefined;
    const onAbort = () => controller?.abort(signal!.reason as Error);
    const done = () => signal?.removeEventListener('abort', onAbort);
    signal?.addEventListener('abort', onAbort, { once: true });
    const limit = request.maxResponseBytes ?? Infinity;
    // Set when the body passed the limit: the exchange is aborted and its chunks dropped.
    let tooLarge: SubgraphResponseTooLargeError | undefined;
    const refuse = (c: Dispatcher.DispatchController) => {
      tooLarge = new SubgraphResponseTooLargeError(limit);
      chunks.length = 0;
      c.abort(tooLarge);
    };
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (signal?.aborted) c.abort(signal.reason as Error);
        cancel?.onCancel((reason) => c.abort(reason as Error));
      },
      onResponseStart(c, statusCode, headers) {
        status = statusCode;
        responseHeaders = headers;
        if (Number(headers['content-length']) > limit) refuse(c);
      },
      onResponseData(c, chunk) {
        if (tooLarge) return;
        length += chunk.length;
        if (length > limit) return refuse(c);
        chunks.push(chunk);
      },
      onResponseEnd() {
        done();
        resolve({
          status,
          headers: responseHeaders,
          body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length),
        });
      },
      onResponseError(_c, error) {
        done();
        reject(tooLarge ?? error);
      },
    };
    pool.dispatch({ method: 'POST', path, headers, body }, handler);
  });
}
