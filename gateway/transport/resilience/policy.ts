/**
 * What a failed attempt means: whether it may be retried, whether it counts against the subgraph's
 * circuit breaker, and how long to wait before trying again.
 */
import { SubgraphHttpError, SubgraphResponseTooLargeError } from '../chain';
import type { Outcome } from './breaker';

/**
 * Only a query may be retried: the first token of the subgraph document is `query` or `{`. A
 * mutation (or anything not recognised) is never retried, even on a connect error.
 */
export function isQueryDocument(query: string): boolean {
  const match = /^(?:\s|,|#[^\n]*\n)*(\{|query\b)/.exec(query);
  return match !== null;
}

/** Network errors raised before the subgraph saw the request: safe to retry. */
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Statuses that say "not now" rather than "no": 502, 503, 504 and 429. */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

function codeOf(error: unknown): string | undefined {
  // The global fetch wraps the socket's error in `cause` (TypeError: fetch failed).
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A short name of the failure, for events and logs: `connect`, `http_503`, `too_large`, `other`. */
export function failureReason(error: unknown): string {
  if (error instanceof SubgraphHttpError) return `http_${error.status}`;
  if (error instanceof SubgraphResponseTooLargeError) return 'too_large';
  if (CONNECT_CODES.has(codeOf(error) ?? '')) return 'connect';
  return 'other';
}

export function isRetryable(error: unknown): boolean {
  if (error instanceof SubgraphHttpError) return RETRYABLE_STATUS.has(error.status);
  return CONNECT_CODES.has(codeOf(error) ?? '');
}

/** A 4xx (the subgraph refused this request) says nothing about its health; the rest is a failure. */
export function breakerOutcome(error: unknown): Outcome {
  if (error instanceof SubgraphHttpError && error.status >= 400 && error.status < 500) {
    return error.status === 429 ? 'failure' : 'neutral';
  }
  return 'failure';
}

/** `Retry-After` of a failed answer in ms (delta-seconds or an HTTP date), if any. */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
  if (!(error instanceof SubgraphHttpError)) return undefined;
  const value = error.headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Full jitter: a random delay in [0, min(max, base × 2^(retry-1))]. */
export function backoffMs(retry: number, baseMs: number, maxMs: number, random = Math.random): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** (retry - 1)));
}
