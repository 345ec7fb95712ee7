/**
 * The queries the README and the docs show are the example files (`examples/`) that GraphiQL opens
 * and test/examples.int.test.ts runs, character for character, and each names its file: a query
 * edited in one place only fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isExecutableDefinitionNode, parse } from 'graphql';
import { projectExamples } from '../schema/examples';

const ROOT = path.join(__dirname, '..');
/** The documents whose GraphQL operations must be example files (docs/development.md shows a partner's). */
const DOCS = [
  'README.md',
  'docs/scorecard.md',
  'docs/security.md',
  ...readdirSync(path.join(ROOT, 'docs/systems')).map((f) => `docs/systems/${f}`),
];

/** Each graphql block that is an operation, with the text after it. */
function operationBlocks(file: string): { query: string; after: string }[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  return [...text.matchAll(/```graphql\n([\s\S]*?)```\n([^\n]*\n?[^\n]*)/g)]
    .filter((m) => parse(m[1]!).definitions.every(isExecutableDefinitionNode))
    .map((m) => ({ query: m[1]!, after: m[2]! }));
}

test('every operation shown in the README and docs is an example file, named under it', () => {
  const byQuery = new Map(projectExamples().map((e) => [e.query, e.name]));
  const shown: string[] = [];
  const strays: string[] = [];
  for (const file of DOCS)
    for (const block of operationBlocks(file)) {
      const name = byQuery.get(block.query);
      if (name === undefined) strays.push(`${file}: ${block.query.split('\n')[0]}`);
      else if (!block.after.includes(`examples/${name}.graphql`)) strays.push(`${file}: ${name} unnamed`);
      else shown.push(name);
    }
  expect(strays).toEqual([]);
  // Each example is shown somewhere, so no file is left that the docs forgot.
  expect([...new Set(shown)].sort()).toEqual(projectExamples().map((e) => e.name));
  expect(operationBlocks('README.md').length).toBeGreaterThanOrEqual(3);
});
