/**
 * A retry budget per subgraph (a token bucket): every fetch deposits `ratio` of a token, every
 * retry takes a whole one, and the bucket holds at most `reserve` tokens. Over any stretch of time
 * the retries are at most `reserve + ratio × fetches`, so during an outage retries add at most
 * `ratio` (10 % by default) to the load on the subgraph instead of multiplying it.
 */
export class RetryBudget {
  private tokens: number;

  constructor(
    private readonly ratio: number,
    private readonly reserve: number,
  ) {
    this.tokens = reserve;
  }

  /** One fetch (its first attempt) was made. */
  deposit(): void {
    this.tokens = Math.min(this.reserve, this.tokens + this.ratio);
  }

  /** Takes a token for one retry; false when the budget is spent (do not retry). */
  withdraw(): boolean {
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
