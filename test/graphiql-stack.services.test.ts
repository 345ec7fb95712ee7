/**
 * An analyst's session on the real stack: the processes `npm start` runs, GraphiQL in headless Debian
 * Chromium with every request off this machine blocked, scorecard, dossier and land queries typed and run, and the
 * Vietnamese schema documentation read in the docs explorer; the example tabs (the scorecard first)
 * and the explorer plugin building a query by clicks. Each test opens the page itself and
 * checks the isolation, so each one also stands alone (`-t`). Saves /tmp/graphiql-govgraph.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  expectIsolatedAndClean,
  openGraphiql,
  openIsolatedPage,
  openTypeInDocs,
  runInGraphiql,
  setGraphiqlHeaders,
} from './support/browser';
import type { IsolatedPage } from './support/browser';
import { projectExamples } from '../schema/examples';
import { signDevToken, startStack } from './support/stack';
import type { Stack } from './support/stack';

jest.setTimeout(120_000);

const dataDir = mkdtempSync(path.join(tmpdir(), 'govgraph-ui-'));
let stack: Stack;
let ui: IsolatedPage;
/** What an official pastes into GraphiQL's Headers tab: a token from `npm run token`. */
let headers: Record<string, string>;

beforeAll(async () => {
  stack = await startStack(dataDir);
  headers = {
    Authorization: `Bearer ${await signDevToken(dataDir, { role: 'official', agency: '000.00.21.H26' })}`,
  };
  ui = await openIsolatedPage();
}, 300_000); // npm start seeds five databases: minutes on a busy 2-core machine

/**
 * Opens GraphiQL and pastes the official's token in the Headers tab. The page's first, token-less
 * schema fetch is refused (400, logged by the browser): forget those errors; any later one still fails.
 */
async function openAsOfficial(): Promise<void> {
  await openGraphiql(ui, stack.graphiql);
  await ui.page.locator('.graphiql-doc-explorer, .graphiql-query-editor').first().waitFor();
  await setGraphiqlHeaders(ui.page, headers);
  await ui.page.waitForTimeout(500);
  ui.pageErrors.length = 0;
}

afterAll(async () => {
  await ui?.browser.close();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the scorecard query typed into GraphiQL shows the published 90% for Bắc Từ Liêm 2014', async () => {
  await openAsOfficial();
  const text = await runInGraphiql(
    ui.page,
    '{ agency(code: "000.00.21.H26") { name documentStats(period: {from: "2014-01-01", to: "2014-12-31"}) { electronicRatio } } }',
    'electronicRatio',
  );
  expect(text).toContain('"electronicRatio": 0.9');
  expect(text).toContain('Bắc Từ Liêm');
  expect(text).not.toContain('"errors"');
  expectIsolatedAndClean(ui);
});

test('the dossier scorecard typed into GraphiQL shows Lập Thạch 2017: 96% resolved on time', async () => {
  await openAsOfficial();
  const text = await runInGraphiql(
    ui.page,
    '{ agency(code: "000.00.46.H62") { name dossierStats(period: {from: "2017-01-01", to: "2017-12-31"}) { onTimeRatio } } }',
    'onTimeRatio',
  );
  expect(text).toContain('"onTimeRatio": 0.96');
  expect(text).toContain('Lập Thạch');
  expect(text).not.toContain('"errors"');
  expectIsolatedAndClean(ui);
});

test('a land parcel typed into GraphiQL by an official of Bắc Từ Liêm: registered in Liên Mạc, today in Phường Thượng Cát, with its holders', async () => {
  // Parcels need land:read at the gateway (anonymous callers are refused); the district's official has it.
  await openAsOfficial();
  const text = await runInGraphiql(
    ui.page,
    '{ landParcel(id: "00598/1/1") { id commune { name } currentCommune { name } certificates { holders { fullName } } } }',
    'currentCommune',
  );
  expect(text).toContain('"name": "Phường Liên Mạc"');
  expect(text).toContain('"name": "Phường Thượng Cát"');
  // The official of the parcel's district sees its certificate holders unmasked.
  expect(text).toContain('"fullName"');
  expect(text).not.toMatch(/"fullName": "[^"]*\*/);
  expect(text).not.toContain('"errors"');
  expectIsolatedAndClean(ui);
});

test('without a token the schema is refused; with an official’s token pasted in Headers it is shown', async () => {
  await openGraphiql(ui, stack.graphiql);
  await ui.page.waitForFunction(
    () => document.body.textContent?.includes('introspection is not allowed for this caller'),
    undefined,
    { timeout: 20_000 },
  );
  await ui.page.getByRole('button', { name: /documentation explorer/i }).click();
  await ui.page.locator('.graphiql-doc-explorer').getByText('Error fetching schema').waitFor();
  // Anonymous introspection was refused: those errors are expected on this page.
  ui.pageErrors.length = 0;
  await setGraphiqlHeaders(ui.page, headers);
  const docs = ui.page.locator('.graphiql-doc-explorer');
  await docs.getByText('Query', { exact: true }).first().waitFor();
  expectIsolatedAndClean(ui);
});

test('the docs explorer shows the Vietnamese–English descriptions of the schema', async () => {
  await openAsOfficial();
  const docs = await openTypeInDocs(ui.page, 'Cơ quan — an agency by its QCVN 102 identifier', 'Agency');
  await docs.getByText('Cơ quan, tổ chức — a government body', { exact: false }).first().waitFor();
  await ui.page.screenshot({ path: '/tmp/graphiql-govgraph.png' });
  expectIsolatedAndClean(ui);
});

/** The text of the active tab's query editor. */
const editorText = (ui: IsolatedPage): Promise<string> =>
  ui.page.evaluate(
    () =>
      (document.querySelector('.graphiql-query-editor .CodeMirror') as any).CodeMirror.getValue() as string,
  );

/** GraphiQL as a first visit shows it: tabs the tests above typed into are kept in localStorage. */
async function openFreshGraphiql(): Promise<void> {
  // Cleared from a page of the same origin where GraphiQL is not running (a running GraphiQL saves
  // its tabs again after a clear), then GraphiQL opens on the empty storage.
  await ui.page.goto(new URL('/health', stack.graphiql).toString());
  await ui.page.evaluate(() => localStorage.clear());
  await openGraphiql(ui, stack.graphiql);
  // The scorecard's statistics and the schema the explorer reads need a signed-in caller.
  await setGraphiqlHeaders(ui.page, headers);
  await ui.page.waitForTimeout(500);
  ui.pageErrors.length = 0;
}

test('GraphiQL opens offline with the example files of examples/ as tabs, the scorecard first; the scorecard tab runs', async () => {
  await openFreshGraphiql();
  const tabs = ui.page.locator('.graphiql-tab');
  // Tabs are titled by their example files' titles, in the folder's order.
  await expect(tabs.allInnerTexts()).resolves.toEqual(projectExamples().map((e) => e.title));
  expect(projectExamples().length).toBeGreaterThan(15);
  await expect(tabs.first().innerText()).resolves.toBe('Scorecard of a district and its wards');
  expect(await tabs.allInnerTexts()).toContain('Dossier status by code');
  // The tab opens on the example's title and description, then the query.
  expect(await editorText(ui)).toContain(
    '# Scorecard of a district and its wards\n#\n# Bắc Từ Liêm and each',
  );
  expect(await editorText(ui)).toContain('query Scorecard(');
  await ui.page.locator('.graphiql-execute-button').click();
  await ui.page.waitForFunction(
    () => document.querySelector('.result-window')?.textContent?.includes('"rankOf"'),
    undefined,
    { timeout: 30_000 },
  );
  // The whole response (the result pane only renders the lines in view).
  const result = (
    await ui.page.evaluate(
      () => (document.querySelector('.result-window .CodeMirror') as any).CodeMirror.getValue() as string,
    )
  ).normalize('NFC');
  expect(result).toContain('Bắc Từ Liêm');
  expect(result).toContain('"electronic"');
  expect(result).toContain('"digitised"');
  expect(result).toContain('"value": 0.9'); // the published 90% electronic, 2014
  expect(result).not.toContain('"errors"');
  expectIsolatedAndClean(ui);
});

test('the explorer opens and clicking a field changes the query', async () => {
  await openFreshGraphiql();
  await ui.page.getByRole('button', { name: 'Show GraphiQL Explorer' }).click();
  const explorer = ui.page.locator('.graphiql-explorer-root');
  await explorer.waitFor();
  const before = await editorText(ui);
  expect(before).toContain('query Scorecard(');
  // A field's label (the row's first span) takes the click: the field is added to the tab's query.
  await explorer.locator('.graphiql-explorer-documentTypes > span').first().click();
  await ui.page.waitForFunction(
    (f) =>
      (document.querySelector('.graphiql-query-editor .CodeMirror') as any).CodeMirror.getValue().includes(f),
    'documentTypes',
    { timeout: 10_000 },
  );
  expect(await editorText(ui)).toMatch(/\n  documentTypes\b/);
  await ui.page.screenshot({ path: '/tmp/graphiql-explorer.png' });
  expectIsolatedAndClean(ui);
});
