/**
 * GraphiQL's tabs come from a folder of `.graphql` example files the deployment names
 * (GATEWAY_GRAPHIQL_EXAMPLES_DIR, by default the project's `examples/`): the gateway itself knows no
 * example, no domain query and no README.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ExampleFileError, parseExample, readExamples } from '../../common/examples';
import { DEFAULT_EXAMPLES_DIR, loadTabs, renderGraphiqlHtml, tabOf } from '../features/graphiql';

const DOSSIER_STATUS = `# Dossier status by code
#
# Where is my dossier? Its status and dates
# by the code on the receipt.
#
# No personal data.
#
# Token: none (anonymous)
query DossierStatusByCode {
  dossierStatus(code: "000.00.46.H62-170103-0001") {
    status
  }
}
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'govgraph-examples-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('an example file: title, description paragraphs, Key: value lines, operation name and the query without its header', () => {
  const e = parseExample('portal/04-dossier-status', DOSSIER_STATUS);
  expect(e).toEqual({
    name: 'portal/04-dossier-status',
    title: 'Dossier status by code',
    description: 'Where is my dossier? Its status and dates by the code on the receipt.\n\nNo personal data.',
    meta: { Token: 'none (anonymous)' },
    operationName: 'DossierStatusByCode',
    source: DOSSIER_STATUS,
    query:
      'query DossierStatusByCode {\n  dossierStatus(code: "000.00.46.H62-170103-0001") {\n    status\n  }\n}\n',
  });
  // A last paragraph with a line that is not `Key: value` stays in the description.
  expect(parseExample('x', '# T\n#\n# Note: a colon\n# and more words\nquery Q { a }\n')).toMatchObject({
    description: 'Note: a colon and more words',
    meta: {},
  });
});

test('a file that is not an example is refused, naming it', () => {
  const bad = (source: string, variables?: string) => () => parseExample('portal/bad', source, variables);
  expect(bad('query Q { a }\n')).toThrow('portal/bad.graphql: must open with a comment line, its title');
  expect(bad('# T\n{ a }\n')).toThrow('portal/bad.graphql: must hold exactly one named operation');
  expect(bad('# T\nquery A { a }\nquery B { b }\n')).toThrow('must hold exactly one named operation');
  expect(bad('# T\nquery A { a \n')).toThrow(
    /^portal\/bad\.graphql: Syntax Error: Expected Name, found <EOF>/,
  );
  expect(bad('# T\nquery A { a }\n', '{ nope')).toThrow(/^portal\/bad\.variables\.json: /);
  expect(bad('# T\nquery A { a }\n')).not.toThrow(ExampleFileError);
});

test('a folder of examples is read in path order, sub-folders included, with their variables files', () => {
  mkdirSync(path.join(dir, 'b-portal'));
  mkdirSync(path.join(dir, 'a-analyst'));
  writeFileSync(path.join(dir, 'b-portal/02-second.graphql'), '# Second\nquery Second { b }\n');
  writeFileSync(path.join(dir, 'b-portal/01-first.graphql'), '# First\nquery First($x: Int) { a(x: $x) }\n');
  writeFileSync(path.join(dir, 'b-portal/01-first.variables.json'), '{ "x": 1 }\n');
  writeFileSync(path.join(dir, 'a-analyst/01-kpi.graphql'), '# Kpi\nquery Kpi { k }\n');
  writeFileSync(path.join(dir, 'notes.md'), 'not an example');
  const examples = readExamples(dir);
  expect(examples.map((e) => [e.name, e.operationName, e.variables])).toEqual([
    ['a-analyst/01-kpi', 'Kpi', undefined],
    ['b-portal/01-first', 'First', '{ "x": 1 }\n'],
    ['b-portal/02-second', 'Second', undefined],
  ]);
  expect(examples.map(tabOf)).toEqual([
    { query: '# Kpi\nquery Kpi { k }\n' },
    { query: '# First\nquery First($x: Int) { a(x: $x) }\n', variables: '{ "x": 1 }\n' },
    { query: '# Second\nquery Second { b }\n' },
  ]);
});

test('GATEWAY_GRAPHIQL_EXAMPLES_DIR: a folder, none, or a missing folder that stops start-up naming the setting', () => {
  writeFileSync(path.join(dir, 'one.graphql'), '# One\nquery One { a }\n');
  expect(loadTabs(dir).map((e) => e.title)).toEqual(['One']);
  expect(loadTabs('none')).toEqual([]);
  expect(() => loadTabs(path.join(dir, 'missing'))).toThrow(
    `GATEWAY_GRAPHIQL_EXAMPLES_DIR: ${path.join(dir, 'missing')}: no such folder of examples`,
  );
  writeFileSync(path.join(dir, 'two.graphql'), '# Two\n{ anonymous }\n');
  expect(() => loadTabs(dir)).toThrow(
    'GATEWAY_GRAPHIQL_EXAMPLES_DIR: two.graphql: must hold exactly one named operation',
  );
});

test("unset, the tabs are the project's examples/, the scorecard first", () => {
  expect(DEFAULT_EXAMPLES_DIR).toBe(path.resolve(__dirname, '../../examples'));
  const tabs = loadTabs(undefined);
  expect(tabs[0]).toMatchObject({ name: 'analyst/01-scorecard', operationName: 'Scorecard' });
  expect(tabs.length).toBe(readExamples(DEFAULT_EXAMPLES_DIR).length);
});

const anyAssets = new Proxy({}, { get: (_t, name) => ({ file: `${String(name)}.js` }) }) as never;

test('the page carries each tab as the example file and its variables, escaped in an attribute', () => {
  const tab = parseExample('t', '# Đơn "A" <b>\nquery A($x: Int) { a(x: $x) }\n', '{"x":1}');
  const html = renderGraphiqlHtml('/graphiql/assets', anyAssets, '/graphql', 'T', [tab]);
  const attr = /data-tabs="([^"]*)"/.exec(html)![1]!;
  const decoded = attr
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  expect(JSON.parse(decoded)).toEqual([
    { query: '# Đơn "A" <b>\nquery A($x: Int) { a(x: $x) }\n', variables: '{"x":1}' },
  ]);
});

/** Every source file of the gateway (its tests aside). */
function gatewaySources(at = path.resolve(__dirname, '..')): string[] {
  return readdirSync(at, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(at, d.name);
    if (d.isDirectory()) return d.name === 'test' ? [] : gatewaySources(p);
    return d.name.endsWith('.ts') ? [p] : [];
  });
}

test('the generic gateway neither reads README.md nor imports the project examples or the scorecard', () => {
  const offenders = gatewaySources().filter((file) =>
    /README\.md|schema\/examples|SCORECARD_QUERY/.test(readFileSync(file, 'utf8')),
  );
  expect(offenders).toEqual([]);
  expect(gatewaySources().length).toBeGreaterThan(20); // the scan does see the gateway
});
