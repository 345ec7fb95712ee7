/**
 * The README's headline analyst example (Example queries → "Analyst — the live e-government
 * scorecard") shows its real output: the excerpt printed under the query is what the gateway answers
 * on `npm start`'s data (every subgraph seeded at scale 1). `"…"` in the excerpt stands for what it
 * leaves out.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SCORECARD_QUERY } from '../schema/examples';
import { ANALYST, startFederatedStack } from './support/subgraphs';
import type { FederatedStack } from './support/subgraphs';

jest.setTimeout(120_000);

let stack: FederatedStack;
beforeAll(async () => {
  stack = await startFederatedStack({ scale: 1 }); // npm start's default seed
}, 300_000);
afterAll(async () => stack?.close());

function readmeExcerpt(): unknown {
  const readme = readFileSync(path.join(__dirname, '../README.md'), 'utf8');
  const at = readme.indexOf('**Analyst — the live e-government scorecard**');
  expect(at).toBeGreaterThan(0);
  const block = /```json\n([\s\S]*?)```/.exec(readme.slice(at));
  expect(block).not.toBeNull();
  return JSON.parse(block![1]!);
}

/** Every value the excerpt shows, with its path, for comparison with the real answer. */
function shownValues(shown: unknown, at: string, out: Record<string, unknown>): Record<string, unknown> {
  if (shown === '…') return out;
  if (shown !== null && typeof shown === 'object' && !Array.isArray(shown)) {
    for (const [key, value] of Object.entries(shown))
      if (key !== '…') shownValues(value, `${at}.${key}`, out);
    return out;
  }
  out[at] = shown;
  return out;
}

function valueAt(actual: unknown, at: string): unknown {
  return at
    .split('.')
    .slice(1)
    .reduce<unknown>((v, key) => (v as Record<string, unknown> | null)?.[key], actual);
}

test("the README's headline scorecard output is what the gateway answers on npm start's data", async () => {
  const shown = shownValues(readmeExcerpt(), '$', {});
  expect(Object.keys(shown).length).toBeGreaterThan(10);
  const r = await stack.gql(SCORECARD_QUERY, {}, ANALYST);
  expect(r.errors).toBeUndefined();
  const actual = Object.fromEntries(Object.keys(shown).map((at) => [at, valueAt(r, at)]));
  expect(actual).toEqual(shown);
});
