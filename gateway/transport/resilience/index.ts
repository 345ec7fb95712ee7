/**
 * Limits and fault handling around every subgraph fetch, for both engines: the innermost fetch
 * wrapper of the chain (chain.ts), installed by server.ts after the features' wrappers. Per
 * attempt it
 *
 * - asks the subgraph's circuit breaker (breaker.ts): open → SUBGRAPH_CIRCUIT_OPEN at once;
 * - bounds the wait (the subgraph's timeout → SUBGRAPH_TIMEOUT) and the answer's size (passed to the
 *   dispatch as `maxResponseBytes` → SUBGRAPH_RESPONSE_TOO_LARGE);
 * - cancels the exchange when the client request's signal aborts (client gone, deadline passed);
 *
 * and retries a failed query (never a mutation) when the failure is idempotent (policy.ts), with
 * backoff and jitter, `Retry-After` honoured, never past the request's deadline, and only while
 * the subgraph's retry budget (budget.ts) allows.
 *
 * It counts nothing itself: what happens is emitted as events (`ResilienceEvents`) for metrics.
 */
import { EventEmitter } from 'node:events';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../../schema/error-codes';
import { FetchCancel, SubgraphResponseTooLargeError } from '../chain';
import type { SubgraphCall, SubgraphFetch, SubgraphFetchWrapper, SubgraphResponse } from '../chain';
import { RetryBudget } from './budget';
import { CircuitBreaker } from './breaker';
import type { BreakerState, BreakerTicket } from './breaker';
import {
  backoffMs,
  breakerOutcome,
  failureReason,
  isQueryDocument,
  isRetryable,
  retryAfterMs,
} from './policy';
import type { ResilienceSettings } from './settings';

export type { BreakerState } from './breaker';
export { DEFAULT_RESILIENCE } from './settings';
export { failureReason } from './policy';
export type { BreakerSettings, ResilienceSettings, RetrySettings } from './settings';

/** The events, each with one object argument. */
export interface ResilienceEventMap {
  /** A failed attempt of a query is tried again after `delayMs`; `attempt` is the retry's number (1, 2…). */
  retry: [{ subgraph: string; attempt: number; delayMs: number; reason: string }];
  /** An attempt ran past the subgraph's timeout and was cancelled. */
  timeout: [{ subgraph: string; timeoutMs: number }];
  /** A subgraph's breaker moved, e.g. closed → open. */
  breakerStateChange: [{ subgraph: string; from: BreakerState; to: BreakerState }];
  /** A call failed fast because the subgraph's breaker is open. */
  circuitRejected: [{ subgraph: string }];
  /** An answer's body passed the size cap; it was not read further. */
  responseTooLarge: [{ subgraph: string; limitBytes: number }];
  /** A retry was allowed by the policy but refused by the subgraph's retry budget. */
  retryBudgetExhausted: [{ subgraph: string }];
}

/** What the gateway exposes for metrics and `/ready`: the events and each subgraph's breaker state. */
export interface ResilienceEvents {
  on<K extends keyof ResilienceEventMap>(
    event: K,
    listener: (...args: ResilienceEventMap[K]) => void,
  ): ResilienceEvents;
  off<K extends keyof ResilienceEventMap>(
    event: K,
    listener: (...args: ResilienceEventMap[K]) => void,
  ): ResilienceEvents;
  /** Every known subgraph's breaker state, by subgraph name. */
  breakerStates(): Record<string, BreakerState>;
}

export interface Resilience {
  /** The fetch wrapper; goes last (innermost) in the chain. */
  readonly wrapper: SubgraphFetchWrapper;
  readonly events: ResilienceEvents;
  /** Makes a subgraph known before its first fetch (so `/ready` lists it). */
  register(subgraph: string): void;
}

interface PerSubgraph {
  readonly breaker: CircuitBreaker;
  readonly budget: RetryBudget;
  readonly timeoutMs: number;
}

const TIMED_OUT = Symbol('timed out');

/** The fetches in flight for each request signal, cancelled together by its one abort listener. */
const inFlight = new WeakMap<AbortSignal, Set<FetchCancel>>();

function cancelsOf(signal: AbortSignal): Set<FetchCancel> {
  let set = inFlight.get(signal);
  if (!set) {
    const cancels = new Set<FetchCancel>();
    set = cancels;
    inFlight.set(signal, cancels);
    signal.addEventListener(
      'abort',
      () => {
        for (const cancel of cancels) cancel.cancel(signal.reason);
      },
      { once: true },
    );
  }
  return set;
}

export function createResilience(settings: ResilienceSettings): Resilience {
  const emitter = new EventEmitter();
  const subgraphs = new Map<string, PerSubgraph>();
  /** Emits an event; a listener that throws (a metrics bug) never fails the fetch. */
  const notify = <K extends keyof ResilienceEventMap>(event: K, payload: ResilienceEventMap[K][0]): void => {
    try {
      emitter.emit(event, payload);
    } catch {
      // Ignored on purpose: observing must not change what the client gets.
    }
  };
  const { retry } = settings;

  const of = (subgraph: string): PerSubgraph => {
    let entry = subgraphs.get(subgraph);
    if (!entry) {
      entry = {
        breaker: new CircuitBreaker(settings.breaker, (from, to) =>
          notify('breakerStateChange', { subgraph, from, to }),
        ),
        budget: new RetryBudget(retry.budgetRatio, retry.budgetReserve),
        timeoutMs: settings.timeouts.get(subgraph) ?? settings.timeoutMs,
      };
      subgraphs.set(subgraph, entry);
    }
    return entry;
  };

  const wrapper: SubgraphFetchWrapper = async (call, next) => {
    const { subgraph, context } = call;
    const entry = of(subgraph);
    const retryable = retry.maxRetries > 0 && isQueryDocument(call.request.body.query);
    entry.budget.deposit();
    for (let attempt = 0; ; attempt++) {
      const ticket = entry.breaker.acquire();
      if (ticket === 'rejected') {
        notify('circuitRejected', { subgraph });
        throw coded(
          ErrorCode.SUBGRAPH_CIRCUIT_OPEN,
          `Subgraph "${subgraph}" is failing; calls to it are paused`,
        );
      }
      let error: unknown;
      try {
        const response = await once(call, next, entry, ticket);
        entry.breaker.record(ticket, 'success');
        return response;
      } catch (failure) {
        error = failure;
      }
      const delayMs =
        retryable && attempt < retry.maxRetries ? retryDelay(call, error, attempt + 1) : undefined;
      if (delayMs === undefined) throw error;
      if (!entry.budget.withdraw()) {
        notify('retryBudgetExhausted', { subgraph });
        throw error;
      }
      notify('retry', { subgraph, attempt: attempt + 1, delayMs, reason: failureReason(error) });
      await sleep(delayMs, context.signal);
    }
  };

  /** One attempt: breaker outcome recorded, the wait and the body bounded, failures given their code. */
  async function once(
    call: SubgraphCall,
    next: SubgraphFetch,
    entry: PerSubgraph,
    ticket: BreakerTicket,
  ): Promise<SubgraphResponse> {
    const { subgraph } = call;
    const requestSignal = call.context.signal;
    const fetchSignal = call.request.signal;
    const aborted = requestSignal?.aborted ? requestSignal : fetchSignal?.aborted ? fetchSignal : undefined;
    if (aborted) {
      entry.breaker.record(ticket, 'neutral');
      throw abandoned(aborted.reason);
    }
    const cancel = new FetchCancel();
    const timer = setTimeout(() => cancel.cancel(TIMED_OUT), entry.timeoutMs);
    // The request's signal (deadline, disconnect) reaches its fetches through one listener per
    // request, not one per fetch: an AbortSignal listener costs an EventTarget registration.
    const active = requestSignal ? cancelsOf(requestSignal) : undefined;
    active?.add(cancel);
    const onAbort = fetchSignal ? () => cancel.cancel(fetchSignal.reason) : undefined;
    if (onAbort) fetchSignal!.addEventListener('abort', onAbort);
    try {
      return await next({
        ...call,
        request: { ...call.request, cancel, maxResponseBytes: settings.maxResponseBytes },
      });
    } catch (error) {
      if (cancel.aborted && cancel.reason === TIMED_OUT) {
        entry.breaker.record(ticket, 'failure');
        notify('timeout', { subgraph, timeoutMs: entry.timeoutMs });
        throw coded(ErrorCode.SUBGRAPH_TIMEOUT, `Subgraph "${subgraph}" did not answer in time`);
      }
      if (cancel.aborted) {
        entry.breaker.record(ticket, 'neutral');
        throw abandoned(cancel.reason);
      }
      entry.breaker.record(ticket, breakerOutcome(error));
      if (error instanceof SubgraphResponseTooLargeError) {
        notify('responseTooLarge', { subgraph, limitBytes: error.limitBytes });
        throw coded(ErrorCode.SUBGRAPH_RESPONSE_TOO_LARGE, `Subgraph "${subgraph}" answered too much data`);
      }
      throw error;
    } finally {
      clearTimeout(timer);
      active?.delete(cancel);
      if (onAbort) fetchSignal!.removeEventListener('abort', onAbort);
    }
  }

  /** The delay before retry `n` of a failed attempt, or undefined when it must not be retried. */
  function retryDelay(call: SubgraphCall, error: unknown, n: number): number | undefined {
    if (!isRetryable(error) || call.context.signal?.aborted) return undefined;
    if (of(call.subgraph).breaker.state() === 'open') return undefined;
    const backoff = backoffMs(n, retry.baseDelayMs, retry.maxDelayMs);
    const delay = Math.max(backoff, retryAfterMs(error) ?? 0);
    const deadline = call.context.deadline;
    // A retry that could not even start before the request's deadline is not worth making.
    if (deadline !== undefined && Date.now() + delay >= deadline) return undefined;
    if (deadline === undefined && delay > retry.maxDelayMs * 10) return undefined;
    return delay;
  }

  const events: ResilienceEvents = {
    on(event, listener) {
      emitter.on(event, listener as never);
      return events;
    },
    off(event, listener) {
      emitter.off(event, listener as never);
      return events;
    },
    breakerStates() {
      const states: Record<string, BreakerState> = {};
      for (const [name, entry] of subgraphs) states[name] = entry.breaker.state();
      return states;
    },
  };

  return { wrapper, events, register: (subgraph) => void of(subgraph) };
}

function coded(code: ErrorCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

/** The client request ended (disconnect, deadline): its reason if coded, else a plain failure. */
function abandoned(reason: unknown): unknown {
  return reason instanceof GraphQLError ? reason : new Error('the client request was abandoned');
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
