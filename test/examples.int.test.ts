/**
 * On `npm start`'s data (every subgraph seeded at scale 1), every example operation of `examples/`
 * (GraphiQL's tabs, the README's and docs' queries) answers through the gateway without an error, for
 * the caller its header names (`Token: npm run token -- …`, or `none` for an anonymous caller), with
 * its variables file; and the headline scorecard output docs/scorecard.md shows, and its whole table
 * (every row and KPI, value and rank), are the live answer.
 * What the other answers hold is checked by the tests of each system (dossiers, budgets, land …).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectExamples, SCORECARD_QUERY } from '../schema/examples';
import type { ExampleOperation } from '../common/examples';
import { markdownTable } from './support/markdown';
import { ANALYST, startFederatedStack } from './support/subgraphs';
import type { FederatedStack, TestClaims } from './support/subgraphs';

jest.setTimeout(120_000);

let stack: FederatedStack;
beforeAll(async () => {
  stack = await startFederatedStack({ scale: 1 }); // npm start's default seed
}, 300_000);
afterAll(async () => stack?.close());

/** The claims of the header's `Token:` line (the flags of `npm run token`); undefined for `none`. */
export function tokenClaims(e: ExampleOperation): TestClaims | undefined {
  const token = e.meta.Token;
  if (token === undefined) throw new Error(`examples/${e.name}.graphql: no "Token:" line`);
  if (/^none\b/.test(token)) return undefined;
  const flags = /^npm run token -- (.+)$/.exec(token);
  if (!flags)
    throw new Error(`examples/${e.name}.graphql: Token: "${token}" is neither none nor npm run token -- …`);
  const claims: Record<string, string> = {};
  for (const m of flags[1]!.matchAll(/--([a-z-]+) ("[^"]*"|\S+)/g)) {
    const key = m[1] === 'citizen-id' ? 'citizen_id' : m[1]!;
    claims[key] = m[2]!.replace(/^"|"$/g, '');
  }
  const { role, ...rest } = claims;
  if (!role) throw new Error(`examples/${e.name}.graphql: Token: needs --role`);
  return { role, sub: `example-${role}`, ...rest };
}

const examples = projectExamples();

test('the examples: every audience, unique titles and operation names, a Token line each', () => {
  expect([...new Set(examples.map((e) => e.name.split('/')[0]))]).toEqual([
    'analyst',
    'auditor',
    'official',
    'partner',
    'portal',
  ]);
  expect(new Set(examples.map((e) => e.title)).size).toBe(examples.length);
  expect(new Set(examples.map((e) => e.operationName)).size).toBe(examples.length);
  for (const e of examples) expect([e.name, typeof e.meta.Token]).toEqual([e.name, 'string']);
  expect(tokenClaims(examples.find((e) => e.name.startsWith('partner/'))!)).toEqual({
    role: 'partner',
    sub: 'example-partner',
    agency: '000.00.21.H26',
    scope: 'dossiers:read',
  });
});

test.each(examples.map((e) => [e.name, e] as const))(
  'examples/%s.graphql answers without errors for its caller',
  async (_name, e) => {
    const variables = e.variables === undefined ? {} : (JSON.parse(e.variables) as Record<string, unknown>);
    const r = await stack.gql(e.query, variables, tokenClaims(e));
    expect(r.errors).toBeUndefined();
    // Every root field the operation asks for has an answer.
    const empty = Object.entries(r.data ?? {}).filter(
      ([, v]) => v === null || (Array.isArray(v) && !v.length),
    );
    expect(empty).toEqual([]);
  },
);

/** The JSON excerpt docs/scorecard.md prints under the headline query. `"…"` stands for what it leaves out. */
function shownExcerpt(): unknown {
  const doc = readFileSync(path.join(__dirname, '../docs/scorecard.md'), 'utf8');
  const at = doc.indexOf("Its output on `npm start`'s data");
  expect(at).toBeGreaterThan(0);
  const block = /```json\n([\s\S]*?)```/.exec(doc.slice(at));
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

test("the headline scorecard output docs/scorecard.md shows is what the gateway answers on npm start's data", async () => {
  const shown = shownValues(shownExcerpt(), '$', {});
  expect(Object.keys(shown)).toHaveLength(23); // code, name and three KPIs of seven fields
  const r = await stack.gql(SCORECARD_QUERY, {}, ANALYST);
  expect(r.errors).toBeUndefined();
  const actual = Object.fromEntries(Object.keys(shown).map((at) => [at, valueAt(r, at)]));
  expect(actual).toEqual(shown);
});

const KPI_COLUMNS = [
  ['documentStats', 'electronic'],
  ['documentStats', 'signed'],
  ['dossierStats', 'onTime'],
  ['dossierStats', 'online'],
  ['mailStats', 'coverage'],
  ['mailStats', 'regularUse'],
  ['budget', 'execution'],
  ['landStats', 'digitised'],
] as const;

/** One table row as docs/scorecard.md prints it: the agency, then each KPI `90% (rank/rankOf)` or `—`. */
function scorecardRow(agency: Record<string, any>): string[] {
  const cells = KPI_COLUMNS.map(([group, kpi]) => {
    const k = agency[group]?.[kpi] as { value: number | null; rank: number | null; rankOf: number } | null;
    if (!k || k.value === null) return '—';
    return `${Math.round(k.value * 100)}% (${k.rank}/${k.rankOf})`;
  });
  return [String(agency.name).replace(/^Ủy ban nhân dân /, ''), ...cells];
}

test("docs/scorecard.md's table is the whole live answer: every row, every KPI, value and rank", async () => {
  const doc = readFileSync(path.join(__dirname, '../docs/scorecard.md'), 'utf8');
  const shown = markdownTable(doc, '| agency ');
  const r = await stack.gql(SCORECARD_QUERY, {}, ANALYST);
  expect(r.errors).toBeUndefined();
  const live = [r.data.agency, ...r.data.agency.children].map(scorecardRow);
  expect(shown).toEqual(live);
});
