/**
 * A subgraph fetch as a chain: every feature's wrapper sees the call (subgraph name, outgoing
 * request, request context) and decides what to do around `next` — set headers (signing,
 * tracing), pass a `signal` (timeouts), call `next` again (retries), not call it at all (circuit
 * breaker, dedup). The innermost link is the dispatch, one HTTP POST: undici.ts (govgraph engine)
 * or fetch.ts (reference engine). client.ts builds the call and decodes failures; features
 * contribute wrappers through the transport's public entry (index.ts).
 */
import type { GraphQLFormattedError } from 'graphql';
import type { GatewayContext } from '../context';

export interface SubgraphRequestBody {
  query: string;
  operationName?: string;
  variables?: Record<string, unknown>;
  extensions?: Record<string, unknown>;
}

export interface SubgraphRequest {
  readonly url: string;
  /** Outgoing HTTP headers; any wrapper may set or delete one before calling `next`. */
  readonly headers: Headers;
  /** Serialised as JSON by `httpFetch`, after every wrapper ran. */
  readonly body: SubgraphRequestBody;
  /** Aborts the HTTP exchange; a timeout wrapper passes `next({ ...call, request: { ...request, signal } })`. */
  readonly signal?: AbortSignal;
  /** Aborts the HTTP exchange too, without the cost of an AbortSignal per fetch (the timeout wrapper's). */
  readonly cancel?: FetchCancel;
  /** Most bytes of response body the dispatch reads; more fails the fetch with SubgraphResponseTooLargeError. */
  readonly maxResponseBytes?: number;
}

/**
 * A one-shot cancel switch for one fetch attempt. Node's AbortSignal costs microseconds and garbage
 * per instance (an EventTarget); this is a flag and a listener list. The undici dispatch listens to
 * it directly; `toSignal()` makes an AbortSignal for APIs that need one (the global `fetch`).
 */
export class FetchCancel {
  private listeners: ((reason: unknown) => void)[] | undefined;
  private signal: AbortSignal | undefined;
  aborted = false;
  reason: unknown;

  cancel(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners) for (const listener of listeners) listener(reason);
  }

  /** Calls `listener` once when cancelled (at once if already cancelled). */
  onCancel(listener: (reason: unknown) => void): void {
    if (this.aborted) return listener(this.reason);
    (this.listeners ??= []).push(listener);
  }

  toSignal(): AbortSignal {
    if (!this.signal) {
      const controller = new AbortController();
      this.onCancel((reason) => controller.abort(reason));
      this.signal = controller.signal;
    }
    return this.signal;
  }
}

export interface SubgraphCall {
  /** The subgraph's name in the supergraph, e.g. `documents`. */
  readonly subgraph: string;
  readonly request: SubgraphRequest;
  /** The context of the client request this fetch serves (core fields plus the features'). */
  readonly context: GatewayContext;
}

/** A subgraph's GraphQL answer, plus the HTTP response headers and status it came with. */
export interface SubgraphResponse {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
  http?: { readonly headers: Headers; readonly status: number };
}

export type SubgraphFetch = (call: SubgraphCall) => Promise<SubgraphResponse>;

/**
 * One link of the chain. Throw to fail the fetch: a GraphQLError with an `extensions.code` reaches
 * the client as is (plus `serviceName`); anything else becomes DOWNSTREAM_SERVICE_ERROR.
 */
export type SubgraphFetchWrapper = (call: SubgraphCall, next: SubgraphFetch) => Promise<SubgraphResponse>;

/** Wraps `last` in `wrappers`, the first wrapper outermost. */
export function chainFetch(wrappers: readonly SubgraphFetchWrapper[], last: SubgraphFetch): SubgraphFetch {
  return wrappers.reduceRight<SubgraphFetch>((next, wrap) => (call) => wrap(call, next), last);
}

/** A non-2xx answer from a subgraph; stays inside the gateway (logged, never sent). */
export class SubgraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    /** The answer's headers (e.g. `Retry-After` for the retry policy). */
    readonly headers?: Headers,
  ) {
    super(`subgraph answered HTTP ${status}`);
    this.name = 'SubgraphHttpError';
  }
}

/** The answer's body was longer than the request's `maxResponseBytes`; the dispatch stopped reading it. */
export class SubgraphResponseTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`subgraph answer exceeds ${limitBytes} bytes`);
    this.name = 'SubgraphResponseTooLargeError';
  }
}
