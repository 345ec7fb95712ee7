/** The example operations: one scorecard query shared by the README, GraphiQL's tabs and the benchmark. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { tabOf } from '../features/graphiql';
import { exampleTabs, readmeExamples, SCORECARD_QUERY } from '../../schema/examples';

test("the README's headline analyst example is SCORECARD_QUERY, character for character", () => {
  const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  expect(readme).toContain('```graphql\n' + SCORECARD_QUERY + '```');
  expect(readmeExamples().filter((e) => e.query === SCORECARD_QUERY)).toHaveLength(1);
});

test('GraphiQL tabs: the scorecard first, then every other README example once, each a named operation that parses', () => {
  const tabs = exampleTabs();
  expect(tabs[0]!.title).toBe('Scorecard');
  expect(tabs.length).toBe(readmeExamples().length); // the README's scorecard block is not repeated
  const names = new Set<string>();
  for (const t of tabs) {
    const doc = parse(tabOf(t).query);
    const op = doc.definitions.find((d) => d.kind === 'OperationDefinition');
    expect(op?.kind === 'OperationDefinition' && op.name?.value).toBeTruthy();
    if (op?.kind === 'OperationDefinition') names.add(op.name!.value);
  }
  expect(names.size).toBeGreaterThan(tabs.length / 2); // titles tell the tabs apart
  expect(tabOf({ title: 'Dossiers: Portal', query: '{\n  x\n}\n' }).query).toBe(
    '# Dossiers: Portal\nquery DossiersPortal {\n  x\n}\n',
  );
  expect(tabOf({ title: 'Hồ sơ: Đất', query: 'mutation {\n  x\n}\n' }).query).toContain('mutation HoSoDat {');
});

test('examples outside the repository: no README, the scorecard alone', () => {
  expect(exampleTabs('/nonexistent/README.md')).toEqual([{ title: 'Scorecard', query: SCORECARD_QUERY }]);
});
