/**
 * GraphiQL in a real headless Chromium with the network cut off: only the gateway's own origin may
 * be reached. Runs a query through the UI against the fixture subgraphs and reads the docs explorer.
 * Each test opens the page itself and checks the isolation, so each one also stands alone (`-t`).
 * Needs /usr/bin/chromium (apt-get install chromium) or CHROMIUM_PATH. Saves /tmp/graphiql.png.
 */
import {
  expectIsolatedAndClean,
  openGraphiql,
  openIsolatedPage,
  openTypeInDocs,
  runInGraphiql,
} from '../../test/support/browser';
import type { IsolatedPage } from '../../test/support/browser';
import type { Page } from 'playwright-core';
import path from 'node:path';
import pino from 'pino';
import { createGateway } from '../server';
import type { Gateway } from '../server';
import { startProducts, startReviews, writeSupergraph } from './support/fixtures';
import type { RunningServer } from './support/fixtures';
import { defaultConfig, defaultFeatures } from './support/config';

jest.setTimeout(60_000);

let subgraphs: RunningServer[] = [];
let supergraph: { file: string; cleanup(): void };
let gateway: Gateway;
let origin: string;
let ui: IsolatedPage;

beforeAll(async () => {
  subgraphs = [await startProducts(), await startReviews()];
  supergraph = writeSupergraph({ products: subgraphs[0].url, reviews: subgraphs[1].url });
  gateway = createGateway(
    defaultConfig({
      SUPERGRAPH_PATH: supergraph.file,
      GATEWAY_PORT: '0',
      // The page sends no token: let anonymous callers introspect, as analysts do (schema-visibility).
      GATEWAY_SCHEMA_ROLES: 'anonymous,analyst',
      // This deployment's own examples: the generic gateway knows none of govgraph's.
      GATEWAY_GRAPHIQL_EXAMPLES_DIR: path.join(__dirname, 'support/examples'),
    }),
    {
      logger: pino({ level: 'silent' }),
      features: defaultFeatures,
    },
  );
  origin = new URL((await gateway.start()).url).origin;

  ui = await openIsolatedPage();
});

afterAll(async () => {
  await ui?.browser.close();
  await gateway?.stop();
  await Promise.all(subgraphs.map((s) => s.close()));
  supergraph?.cleanup();
});

test('an analyst types a query, runs it and sees data joined from both subgraphs', async () => {
  const { page } = ui;
  await openGraphiql(ui, `${origin}/graphiql`);
  await expect(page.title()).resolves.toBe('govgraph — GraphiQL');
  const editor = page.locator('.graphiql-query-editor .CodeMirror').first();
  // It opens on the deployment's one example (GATEWAY_GRAPHIQL_EXAMPLES_DIR), not on govgraph's.
  await expect(editor.innerText()).resolves.toContain('# Top products with their reviews');
  await expect(editor.innerText()).resolves.toContain('query TopProducts {');
  await expect(editor.innerText()).resolves.not.toContain('Scorecard');

  const text = await runInGraphiql(page, '{ topProducts { name reviews { body } } }', 'Hơi ồn');
  expect(text).toContain('"name": "Bàn làm việc"');
  expect(text).toContain('"body": "Chắc chắn"');
  expect(text).toContain('"name": "Ghế xoay"');
  expect(text).not.toContain('errors');
  expectIsolatedAndClean(ui);
});

test('the docs explorer shows type descriptions from the subgraph SDL', async () => {
  await openGraphiql(ui, `${origin}/graphiql`);
  const docs = await openTypeInDocs(ui.page, 'One product by its code', 'Product');
  await docs.getByText('Sản phẩm — a product in the fixture catalogue.').waitFor();
  await expect(docs.getByText('Tên sản phẩm — the name shown to buyers.').isVisible()).resolves.toBe(true);
  await ui.page.screenshot({ path: '/tmp/graphiql.png' });
  expectIsolatedAndClean(ui);
});

test('the explorer opens and clicking a field changes the query', async () => {
  const { page } = ui;
  await openGraphiql(ui, `${origin}/graphiql`);
  await page.getByRole('button', { name: 'Show GraphiQL Explorer' }).click();
  const explorer = page.locator('.graphiql-explorer-root');
  await explorer.waitFor();
  const before = await editorText(page);
  expect(before).not.toContain('reviewCount');
  // A field's label (the row's first span) takes the click: the field is added to the tab's query.
  await explorer.locator('.graphiql-explorer-reviewCount > span').first().click();
  await page.waitForFunction(
    (f) =>
      (document.querySelector('.graphiql-query-editor .CodeMirror') as any).CodeMirror.getValue().includes(f),
    'reviewCount',
    { timeout: 10_000 },
  );
  const after = await editorText(page);
  expect(after).toMatch(/\n  reviewCount\n/);
  expect(after).toContain('topProducts'); // what the tab held is kept (reprinted by the explorer)
  await page.screenshot({ path: '/tmp/graphiql-explorer.png' });
  expectIsolatedAndClean(ui);
});

/** The text of the active tab's query editor. */
function editorText(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      (document.querySelector('.graphiql-query-editor .CodeMirror') as any).CodeMirror.getValue() as string,
  );
}
