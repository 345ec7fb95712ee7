/**
 * A client load over gateway replicas: one loop per replica posting the same named operation, with a
 * client name header (`graphql-client-name`, as the trusted-document clients send it), until `stop`.
 * A request fails when it does not answer 200, answers errors, or answers data `expected` rejects.
 */
export interface LoadResult {
  /** Requests answered as expected, per replica (in the order of `urls`). */
  answered: number[];
  /** What went wrong, per failed request: the replica, the status and the body (or the error). */
  failures: { replica: number; status: number; body: unknown }[];
}

export function startClientLoad(
  urls: readonly string[],
  request: { client: string; query: string },
  expected: (data: unknown) => boolean,
): {
  /**
   * Resolves once every replica has answered `count` more requests as expected than when it was
   * called (so each served after whatever came before); rejects after `withinMs`.
   */
  answeredByEach(count: number, withinMs?: number): Promise<void>;
  stop(): Promise<LoadResult>;
} {
  let stopped = false;
  const result: LoadResult = { answered: urls.map(() => 0), failures: [] };
  const loops = urls.map(async (url, replica) => {
    while (!stopped) {
      try {
        const response = await fetch(new URL('/graphql', url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'graphql-client-name': request.client },
          body: JSON.stringify({ query: request.query }),
        });
        const body = (await response.json()) as { data?: unknown; errors?: unknown };
        if (response.status === 200 && !body.errors && expected(body.data)) result.answered[replica]!++;
        else result.failures.push({ replica, status: response.status, body });
      } catch (error) {
        result.failures.push({ replica, status: 0, body: String(error) });
      }
    }
  });
  return {
    async answeredByEach(count, withinMs = 15_000) {
      const from = [...result.answered];
      const deadline = Date.now() + withinMs;
      while (result.answered.some((n, replica) => n - from[replica]! < count)) {
        if (stopped) throw new Error('the load was stopped');
        if (Date.now() > deadline) {
          const got = result.answered.map((n, replica) => n - from[replica]!);
          throw new Error(`replicas answered ${got.join(', ')} in ${withinMs} ms, not ${count} each`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop() {
      stopped = true;
      await Promise.all(loops);
      return result;
    },
  };
}
