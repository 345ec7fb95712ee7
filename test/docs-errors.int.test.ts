/**
 * The errors docs/input-validation.md shows under "More examples" are what the gateway answers, line
 * for line: each operation the block shows is run (the `…` of the doc filled in with a selection) and
 * each `→ CODE  field=…  "message"` line under it is rendered from the live errors. A message, code or
 * field edited by hand in the doc fails here, and so does an example added without a runnable form.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ADMIN, official, startFederatedStack } from './support/subgraphs';
import type { FederatedStack, TestClaims } from './support/subgraphs';

jest.setTimeout(120_000);

let stack: FederatedStack;
beforeAll(async () => {
  stack = await startFederatedStack({ scale: 1 });
}, 300_000);
afterAll(async () => stack?.close());

/** Each operation line of the doc's block → the operation that runs it, its variables and caller. */
const RUNNABLE: Record<string, { query: string; variables?: Record<string, unknown>; as?: TestClaims }> = {
  '{ documents(first: 2147483648) { nodes { id } } }': {
    query: '{ documents(first: 2147483648) { nodes { id } } }',
    as: ADMIN,
  },
  'query($f: DocumentFilter) { documents(filter: $f) { … } }   variables { "f": { "direction": "SIDEWAYS" } }':
    {
      query: 'query($f: DocumentFilter) { documents(filter: $f) { nodes { id } } }',
      variables: { f: { direction: 'SIDEWAYS' } },
      as: ADMIN,
    },
  '{ agency(code: "…") { documentStats(period: { from: "0001-01-01", to: "9999-12-31" }) { … } } }': {
    query:
      '{ agency(code: "000.00.21.H26") { documentStats(period: { from: "0001-01-01", to: "9999-12-31" }) { electronic { value } } } }',
    as: ADMIN,
  },
  'mutation { recordBudgetExecution(input: { lineId: "7", amount: "12.5", date: "2024-06-03" }) { … } }': {
    query:
      'mutation { recordBudgetExecution(input: { lineId: "7", amount: "12.5", date: "2024-06-03" }) { id } }',
    as: official('000.00.21.H26'), // budgets are written by officials, not admins
  },
  '{ dossiers(after: "WyIyMDI2LTAyLTMwVDAzOjAwOjAwLjAwMFoiLDFd") { … } }': {
    query: '{ dossiers(after: "WyIyMDI2LTAyLTMwVDAzOjAwOjAwLjAwMFoiLDFd") { nodes { code } } }',
    as: ADMIN,
  },
};

/** The "More examples" block: each operation line with the `→` lines under it. */
function shownExamples(): [string, string[]][] {
  const doc = readFileSync(path.join(__dirname, '../docs/input-validation.md'), 'utf8');
  const block = /More examples[^\n]*:\n\n```\n([\s\S]*?)```/.exec(doc);
  if (!block) throw new Error('docs/input-validation.md: no "More examples" block');
  const out: [string, string[]][] = [];
  for (const line of block[1]!.split('\n').filter(Boolean)) {
    if (line.startsWith('→')) out[out.length - 1]![1].push(line);
    else out.push([line, []]);
  }
  return out;
}

/** One error as the doc prints it (runs of spaces count as one). */
const render = (e: { message: string; extensions?: { code?: string; field?: string } }) =>
  `→ ${e.extensions?.code}  field=${e.extensions?.field}  ${JSON.stringify(e.message)}`;
const squeeze = (s: string) => s.replace(/ +/g, ' ');

test('every example the doc shows has a runnable form here, and no other', () => {
  expect(shownExamples().map(([op]) => op)).toEqual(Object.keys(RUNNABLE));
});

test.each(shownExamples())('%s', async (op, shown) => {
  const run = RUNNABLE[op]!;
  const r = await stack.gql(run.query, run.variables ?? {}, run.as);
  expect((r.errors ?? []).map((e: any) => squeeze(render(e)))).toEqual(shown.map(squeeze));
});
