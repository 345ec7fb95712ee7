/**
 * A circuit breaker for one subgraph.
 *
 * - `closed`: calls pass; their outcomes are counted over a rolling window (ten buckets of
 *   `windowMs / 10`). When the window holds at least `minRequests` calls and the failures among
 *   them reach `failureRatio`, it opens.
 * - `open`: calls fail fast without touching the subgraph, for `openMs`.
 * - `half-open`: one call (the probe) passes, the others still fail fast; the probe's success
 *   closes the breaker (counts start afresh), its failure opens it again. A probe that ends
 *   neither way (the client went away, a 4xx) lets the next call probe.
 *
 * A failure is what says the subgraph is unwell (no connection, timeout, 5xx, a body that is not
 * GraphQL, a body too large); a 4xx or a call the client abandoned is neither success nor failure.
 */
import type { BreakerSettings } from './settings';

export type BreakerState = 'closed' | 'open' | 'half-open';

/** What `acquire` grants: a normal call, the half-open probe, or nothing (fail fast). */
export type BreakerTicket = 'call' | 'probe' | 'rejected';

export type Outcome = 'success' | 'failure' | 'neutral';

const BUCKETS = 10;

interface Bucket {
  index: number;
  calls: number;
  failures: number;
}

export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private openedAt = 0;
  private probing = false;
  private readonly buckets: Bucket[] = Array.from({ length: BUCKETS }, () => ({
    index: -1,
    calls: 0,
    failures: 0,
  }));
  private readonly bucketMs: number;

  constructor(
    private readonly settings: BreakerSettings,
    private readonly onChange: (from: BreakerState, to: BreakerState) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.bucketMs = Math.max(1, Math.floor(settings.windowMs / BUCKETS));
  }

  state(): BreakerState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.settings.openMs) {
      this.move('half-open');
    }
    return this.current;
  }

  acquire(): BreakerTicket {
    if (!this.settings.enabled) return 'call';
    const state = this.state();
    if (state === 'closed') return 'call';
    if (state === 'half-open' && !this.probing) {
      this.probing = true;
      return 'probe';
    }
    return 'rejected';
  }

  record(ticket: BreakerTicket, outcome: Outcome): void {
    if (!this.settings.enabled || ticket === 'rejected') return;
    if (ticket === 'probe') {
      this.probing = false;
      if (outcome === 'success') {
        this.reset();
        this.move('closed');
      } else if (outcome === 'failure') {
        this.open();
      }
      return;
    }
    if (outcome === 'neutral' || this.current !== 'closed') return;
    const bucket = this.bucket();
    bucket.calls += 1;
    if (outcome === 'failure') {
      bucket.failures += 1;
      if (this.tripped()) this.open();
    }
  }

  private tripped(): boolean {
    const oldest = Math.floor(this.now() / this.bucketMs) - BUCKETS + 1;
    let calls = 0;
    let failures = 0;
    for (const b of this.buckets) {
      if (b.index < oldest) continue;
      calls += b.calls;
      failures += b.failures;
    }
    return calls >= this.settings.minRequests && failures / calls >= this.settings.failureRatio;
  }

  private bucket(): Bucket {
    const index = Math.floor(this.now() / this.bucketMs);
    const bucket = this.buckets[index % BUCKETS]!;
    if (bucket.index !== index) {
      bucket.index = index;
      bucket.calls = 0;
      bucket.failures = 0;
    }
    return bucket;
  }

  private open(): void {
    this.openedAt = this.now();
    this.move('open');
  }

  private reset(): void {
    for (const b of this.buckets) b.index = -1;
  }

  private move(to: BreakerState): void {
    const from = this.current;
    if (from === to) return;
    this.current = to;
    this.onChange(from, to);
  }
}
