/**
 * The pieces of the transport's fault handling on their own (gateway/transport/resilience/): which
 * documents may be retried, what a failure means, the backoff, the retry budget's bound and the
 * circuit breaker's window and states.
 */
import { createResilience, DEFAULT_RESILIENCE } from '../transport';
import { SubgraphHttpError, SubgraphResponseTooLargeError } from '../transport/chain';
import { RetryBudget } from '../transport/resilience/budget';
import { CircuitBreaker } from '../transport/resilience/breaker';
import type { BreakerState } from '../transport/resilience/breaker';
import {
  backoffMs,
  breakerOutcome,
  isQueryDocument,
  isRetryable,
  retryAfterMs,
} from '../transport/resilience/policy';

test.each([
  ['query Q__reviews__1($r:[_Any!]!){_entities(representations:$r){__typename}}', true],
  ['{ topProducts { upc } }', true],
  ['  # planned\n query { a }', true],
  ['mutation M { addReview(upc: "p1") { id } }', false],
  ['subscription { a }', false],
  ['queryless', false],
])('%j may be retried: %s', (document, expected) => {
  expect(isQueryDocument(document)).toBe(expected);
});

test('retryable failures: connect errors (undici and fetch), 429, 502, 503, 504; nothing else', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  expect(isRetryable(refused)).toBe(true);
  expect(isRetryable(new TypeError('fetch failed', { cause: refused }))).toBe(true);
  for (const status of [429, 502, 503, 504])
    expect(isRetryable(new SubgraphHttpError(status, ''))).toBe(true);
  for (const status of [400, 401, 500, 501])
    expect(isRetryable(new SubgraphHttpError(status, ''))).toBe(false);
  const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
  expect(isRetryable(reset)).toBe(false);
  expect(isRetryable(new SyntaxError('Unexpected end of JSON input'))).toBe(false);
  expect(isRetryable(new SubgraphResponseTooLargeError(10))).toBe(false);
});

test('a 4xx other than 429 says nothing about the subgraph’s health', () => {
  expect(breakerOutcome(new SubgraphHttpError(400, ''))).toBe('neutral');
  expect(breakerOutcome(new SubgraphHttpError(429, ''))).toBe('failure');
  expect(breakerOutcome(new SubgraphHttpError(503, ''))).toBe('failure');
  expect(breakerOutcome(new Error('reset'))).toBe('failure');
});

test('Retry-After in seconds or as an HTTP date', () => {
  const now = Date.parse('2026-12-05T18:00:00Z');
  const after = (value: string) =>
    retryAfterMs(new SubgraphHttpError(503, '', new Headers({ 'retry-after': value })), now);
  expect(after('2')).toBe(2000);
  expect(after('Sat, 05 Dec 2026 18:00:03 GMT')).toBe(3000);
  expect(after('soon')).toBeUndefined();
  expect(retryAfterMs(new SubgraphHttpError(503, ''))).toBeUndefined();
});

test('backoff is full jitter, doubling up to the cap', () => {
  expect(backoffMs(1, 50, 1000, () => 0.999)).toBe(49);
  expect(backoffMs(3, 50, 1000, () => 0.999)).toBe(199);
  expect(backoffMs(10, 50, 1000, () => 0.999)).toBe(999);
  expect(backoffMs(3, 50, 1000, () => 0)).toBe(0);
});

test('the retry budget allows at most reserve + ratio × fetches retries', () => {
  const budget = new RetryBudget(0.1, 10);
  let retries = 0;
  for (let fetch = 0; fetch < 1000; fetch++) {
    budget.deposit();
    // An outage: every fetch fails and wants two retries.
    if (budget.withdraw()) retries++;
    if (budget.withdraw()) retries++;
  }
  expect(retries).toBeLessThanOrEqual(10 + 0.1 * 1000);
  expect(retries).toBeGreaterThanOrEqual(100);
});

describe('circuit breaker', () => {
  const settings = { enabled: true, failureRatio: 0.5, minRequests: 4, windowMs: 1000, openMs: 500 };
  let now = 0;
  let changes: string[];
  const make = (overrides = {}) => {
    changes = [];
    now = 10_000;
    return new CircuitBreaker(
      { ...settings, ...overrides },
      (from: BreakerState, to: BreakerState) => changes.push(`${from}>${to}`),
      () => now,
    );
  };

  test('needs the minimum number of calls, then the failure ratio', () => {
    const breaker = make();
    for (let i = 0; i < 3; i++) breaker.record(breaker.acquire(), 'failure');
    expect(breaker.state()).toBe('closed');
    breaker.record(breaker.acquire(), 'success');
    breaker.record(breaker.acquire(), 'success');
    breaker.record(breaker.acquire(), 'success');
    expect(breaker.state()).toBe('closed'); // 3 of 6 is 0.5, reached only on a failure
    breaker.record(breaker.acquire(), 'failure');
    expect(breaker.state()).toBe('open');
    expect(breaker.acquire()).toBe('rejected');
  });

  test('failures older than the window are forgotten', () => {
    const breaker = make();
    for (let i = 0; i < 3; i++) breaker.record(breaker.acquire(), 'failure');
    now += 1100;
    breaker.record(breaker.acquire(), 'failure');
    expect(breaker.state()).toBe('closed');
  });

  test('half-open lets one probe through; a neutral probe lets the next call probe', () => {
    const breaker = make();
    for (let i = 0; i < 4; i++) breaker.record(breaker.acquire(), 'failure');
    now += 500;
    const probe = breaker.acquire();
    expect(probe).toBe('probe');
    expect(breaker.acquire()).toBe('rejected');
    breaker.record(probe, 'neutral');
    const second = breaker.acquire();
    expect(second).toBe('probe');
    breaker.record(second, 'success');
    expect(breaker.state()).toBe('closed');
    expect(changes).toEqual(['closed>open', 'open>half-open', 'half-open>closed']);
  });

  test('off: every call passes', () => {
    const breaker = make({ enabled: false });
    for (let i = 0; i < 10; i++) breaker.record(breaker.acquire(), 'failure');
    expect(breaker.acquire()).toBe('call');
    expect(changes).toEqual([]);
  });
});

test('a listener that throws (a metrics bug) does not fail the fetch', async () => {
  const resilience = createResilience({
    ...DEFAULT_RESILIENCE,
    retry: { ...DEFAULT_RESILIENCE.retry, baseDelayMs: 1, maxDelayMs: 1 },
  });
  const seen: number[] = [];
  resilience.events.on('retry', ({ attempt }) => {
    seen.push(attempt);
    throw new Error('listener bug');
  });
  let calls = 0;
  const response = await resilience.wrapper(
    {
      subgraph: 'documents',
      request: { url: 'http://subgraph.invalid/graphql', headers: new Headers(), body: { query: '{ a }' } },
      context: { requestId: 'r', logger: undefined as never },
    },
    async () => {
      calls += 1;
      if (calls === 1) throw new SubgraphHttpError(503, '');
      return { data: { a: 1 } };
    },
  );
  expect(response).toEqual({ data: { a: 1 } });
  expect(seen).toEqual([1]);
  expect(resilience.events.breakerStates()).toEqual({ documents: 'closed' });
});
