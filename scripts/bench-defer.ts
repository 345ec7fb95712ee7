/**
 * `npm run bench:defer`: time to the first payload of the portal's dossier page, with and without
 * `@defer` (docs/defer.md quotes it). Every registered subgraph on real HTTP (test/support/subgraphs.ts,
 * seed scale BENCH_SCALE, default 0.05), with throw-away databases on the PostgreSQL server at
 * TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres, roles as the services
 * tier has them; role govgraph_app at TEST_DATABASE_APP_URL), behind the govgraph
 * engine; an anonymous caller asks BENCH_REQUESTS times (default 200, after 20 warm-up requests)
 * for one dossier's status, its procedure and its agency with the agency's document figures for a
 * year (the page's slow part, from the documents subgraph). Without @defer the first byte of the
 * answer is the whole answer; with it, the status arrives first and the rest in a second part.
 * Prints p50/p95 of the time to the first payload and to the whole answer (ms), per variant.
 */
import { startFederatedStack } from '../test/support/subgraphs';

const N = Number(process.env.BENCH_REQUESTS ?? 200);
const WARMUP = 20;
const CODE = '000.00.46.H62-170103-0001';

const DETAILS = `procedure { name processingDays }
      agency { name documentStats(period: { from: "2024-01-01", to: "2024-12-31" }) { outgoingTotal electronicRatio overdueRatio } }`;
const PLAIN = `query DossierPage($code: String!) { dossierStatus(code: $code) { code status dueDate timeliness
      ${DETAILS} } }`;
const DEFERRED = `query DossierPage($code: String!) { dossierStatus(code: $code) { code status dueDate timeliness
      ... @defer { ${DETAILS} } } }`;

interface Timing {
  first: number;
  whole: number;
}

/** One request: ms until the first complete payload was read, and until the body ended. */
async function timed(url: string, query: string, accept: string): Promise<Timing> {
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify({ query, variables: { code: CODE } }),
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const multipart = (res.headers.get('content-type') ?? '').startsWith('multipart/mixed');
  let text = '';
  let first: number | undefined;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    // A multipart part is complete once the boundary after its JSON arrived.
    if (first === undefined && multipart && /\r\n\r\n\{[\s\S]*\}\r\n---/.test(text))
      first = performance.now() - started;
  }
  const whole = performance.now() - started;
  if (!res.ok || text.includes('"errors"'))
    throw new Error(`unexpected answer ${res.status}: ${text.slice(0, 300)}`);
  return { first: first ?? whole, whole };
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function main(): Promise<void> {
  // The test helpers' "embedded" server is, here, the server by URL (no jest global set-up runs).
  const server = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  process.env.TEST_EMBEDDED_DATABASE_URL ??= server;
  if (!process.env.TEST_EMBEDDED_APP_DATABASE_URL) {
    const app = new URL(process.env.TEST_DATABASE_APP_URL || server);
    if (!process.env.TEST_DATABASE_APP_URL) [app.username, app.password] = ['govgraph_app', ''];
    process.env.TEST_EMBEDDED_APP_DATABASE_URL = app.toString();
  }
  const stack = await startFederatedStack({ scale: Number(process.env.BENCH_SCALE ?? 0.05) });
  try {
    const variants = [
      { name: 'without @defer', query: PLAIN, accept: 'application/json' },
      { name: 'with @defer', query: DEFERRED, accept: 'multipart/mixed;deferSpec=20220824,application/json' },
    ];
    for (const v of variants) for (let i = 0; i < WARMUP; i++) await timed(stack.url, v.query, v.accept);
    const results = new Map<string, Timing[]>(variants.map((v) => [v.name, []]));
    // Interleaved, so that both variants see the same machine load.
    for (let i = 0; i < N; i++)
      for (const v of variants) results.get(v.name)!.push(await timed(stack.url, v.query, v.accept));
    console.log(`portal dossier page, ${N} requests each (ms)`);
    console.log('variant'.padEnd(16), 'first p50', 'first p95', 'whole p50', 'whole p95');
    for (const [name, timings] of results) {
      const first = timings.map((t) => t.first);
      const whole = timings.map((t) => t.whole);
      console.log(
        name.padEnd(16),
        percentile(first, 50).toFixed(1).padStart(9),
        percentile(first, 95).toFixed(1).padStart(9),
        percentile(whole, 50).toFixed(1).padStart(9),
        percentile(whole, 95).toFixed(1).padStart(9),
      );
    }
  } finally {
    await stack.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
