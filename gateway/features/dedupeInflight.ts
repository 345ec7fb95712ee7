/**
 * Inbound in-flight deduplication (`GATEWAY_DEDUPE_INFLIGHT=true`; off by default): identical
 * queries that arrive while one of them is running share its execution and its serialised
 * response, instead of each being parsed, planned, fetched from the subgraphs and serialised again.
 *
 * Identical means: a `query` operation (never a mutation or subscription), the same document,
 * operation name, variables and extensions, the same verified caller (the identity feature's
 * `identity` — two tokens of one caller share, two callers never do, whatever their headers), and
 * the same headers that change the answer's form or Apollo's CSRF check (`accept`, `content-type`,
 * `apollo-require-preflight`, `x-apollo-operation-name`). Each request still builds its own context,
 * so it is authenticated and counted by the rate limiter on its own; only the execution is shared.
 * Nothing is cached: the entry is dropped when the execution ends, so a request that arrives after
 * it gets a fresh one. Followers are not logged by request logging and reach no subgraph.
 *
 * Per process: with GATEWAY_WORKERS > 1 each worker deduplicates its own requests.
 */
import { HeaderMap } from '@apollo/server';
import type { HTTPGraphQLResponse } from '@apollo/server';
import { Kind, parse } from 'graphql';
import type { OperationTypeNode } from 'graphql';
import { env } from '../../common/env';
import type { GatewayContext } from '../context';
import { defineFeature } from '../feature';
import type { GraphqlRequestCall, GraphqlRequestWrapper } from '../graphqlRoute';
import type { GatewayStats } from '../stats';

/** Headers that change what Apollo answers to the same operation (format, CSRF). */
const SHAPING_HEADERS = ['accept', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name'];
/** Documents larger than this are never deduplicated (the limits feature refuses them anyway). */
const MAX_TOKENS = 20_000;
const OPERATION_CACHE_SIZE = 1000;

interface Operation {
  query: string;
  operationName: unknown;
  variables: unknown;
  extensions: unknown;
}

/** The operation a request carries (POST JSON body or GET search string), or undefined. */
function operationOf(call: GraphqlRequestCall): Operation | undefined {
  const { method, body, search } = call.http;
  if (method === 'POST') {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
    const { query, operationName, variables, extensions } = body as Record<string, unknown>;
    return typeof query === 'string' ? { query, operationName, variables, extensions } : undefined;
  }
  if (method === 'GET') {
    const params = new URLSearchParams(search);
    const query = params.get('query');
    if (query === null) return undefined;
    return {
      query,
      operationName: params.get('operationName'),
      variables: params.get('variables'),
      extensions: params.get('extensions'),
    };
  }
  return undefined;
}

/** `query`, `mutation` or `subscription` for the operation a request runs; undefined if unknown. */
function operationTypes(): (query: string, operationName: unknown) => OperationTypeNode | undefined {
  const cache = new Map<string, OperationTypeNode | undefined>();
  return (query, operationName) => {
    const key = `${typeof operationName === 'string' ? operationName : ''}\n${query}`;
    if (cache.has(key)) return cache.get(key);
    let type: OperationTypeNode | undefined;
    try {
      const operations = parse(query, { noLocation: true, maxTokens: MAX_TOKENS }).definitions.filter(
        (d) => d.kind === Kind.OPERATION_DEFINITION,
      );
      const chosen =
        typeof operationName === 'string'
          ? operations.find((o) => o.name?.value === operationName)
          : operations.length === 1
            ? operations[0]
            : undefined;
      type = chosen?.operation;
    } catch {
      type = undefined; // Apollo answers the parse error
    }
    if (cache.size >= OPERATION_CACHE_SIZE) cache.clear();
    cache.set(key, type);
    return type;
  };
}

function dedupeKey(call: GraphqlRequestCall, op: Operation, context: GatewayContext): string {
  const headers = SHAPING_HEADERS.map((name) => call.http.headers.get(name) ?? null);
  return JSON.stringify([
    call.http.method,
    op.query,
    op.operationName ?? null,
    op.variables ?? null,
    op.extensions ?? null,
    context.identity ?? null,
    // Never across supergraph versions: a request that arrives after a reload runs on the new one.
    context.supergraphHash ?? null,
    headers,
  ]);
}

/** A copy a follower may hand to Fastify (the body string is shared; headers are copied). */
const copy = (response: HTTPGraphQLResponse): HTTPGraphQLResponse => ({
  ...response,
  headers: new HeaderMap(response.headers),
});

export function inflightDeduplicator(stats?: GatewayStats): GraphqlRequestWrapper {
  const typeOf = operationTypes();
  /** Each shared execution, with the leader's signal: a leader cut off (disconnect, deadline) shares nothing. */
  const inflight = new Map<string, { execution: Promise<HTTPGraphQLResponse>; signal?: AbortSignal }>();
  return async (call, next) => {
    const op = operationOf(call);
    if (!op || typeOf(op.query, op.operationName) !== 'query') return next();
    let context: GatewayContext;
    try {
      context = await call.context();
    } catch {
      return next(); // refused (401, 429, ...): Apollo answers with the same error
    }
    const key = dedupeKey(call, op, context);
    const running = inflight.get(key);
    if (running) {
      let response: HTTPGraphQLResponse;
      try {
        response = await running.execution;
      } catch {
        return next();
      }
      // A streamed (@defer) answer cannot be replayed, and a leader whose client went away or whose
      // deadline passed was cancelled part-way: this request runs on its own.
      if (response.body.kind !== 'complete' || running.signal?.aborted) return next();
      if (stats) stats.dedupeFollowers++;
      return copy(response);
    }
    const execution = next();
    if (stats) stats.dedupeLeaders++;
    inflight.set(key, { execution, signal: context.signal });
    try {
      return await execution;
    } finally {
      inflight.delete(key);
    }
  };
}

export const dedupeInflight = defineFeature({
  name: 'dedupe-inflight',
  env: {
    /** Identical concurrent queries of the same caller share one execution. */
    GATEWAY_DEDUPE_INFLIGHT: env.boolean().default(false),
  },
  create: (s, host) =>
    s.GATEWAY_DEDUPE_INFLIGHT ? { graphqlRequest: inflightDeduplicator(host.stats) } : {},
});
