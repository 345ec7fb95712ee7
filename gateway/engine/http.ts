/**
 * Subgraph HTTP for the govgraph engine: the innermost link of the features' fetch chain
 * (subgraphFetch.ts) over undici `Pool`s, one per subgraph origin, with keep-alive connections —
 * the same contract as `httpFetch` (JSON POST, non-2xx → SubgraphHttpError, JSON object required)
 * without the WHATWG fetch layer's per-request streams and objects.
 */
import { Pool } from 'undici';
import type { SubgraphFetch, SubgraphResponse } from '../subgraphFetch';
import { SubgraphHttpError } from '../subgraphFetch';

export interface PooledFetch {
  readonly fetch: SubgraphFetch;
  close(): Promise<void>;
}

const JSON_TYPE = /^application\/(?:graphql-response\+)?json/i;

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
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    const response = await poolFor(target.origin).request({
      method: 'POST',
      path: target.path,
      headers,
      body: JSON.stringify(request.body),
      signal: request.signal,
    });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(name, v);
    }
    const type = responseHeaders.get('content-type') ?? '';
    const text = await response.body.text();
    let body: unknown = text;
    if (JSON_TYPE.test(type)) body = JSON.parse(text);
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    if (!ok) throw new SubgraphHttpError(response.statusCode, body);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new Error(
        `subgraph answered ${response.statusCode} without a JSON object (content-type "${type}")`,
      );
    }
    return { ...(body as SubgraphResponse), http: { headers: responseHeaders, status: response.statusCode } };
  };

  return {
    fetch,
    async close() {
      await Promise.all([...pools.values()].map((p) => p.close()));
      pools.clear();
    },
  };
}
