/**
 * An analyst's session on the real stack: the processes `npm start` runs, GraphiQL in headless Debian
 * Chromium with every request off this machine blocked, scorecard, dossier and land queries typed and run, and the
 * Vietnamese schema documentation read in the docs explorer. Each test opens the page itself and
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
});

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

test('a land parcel typed into GraphiQL: registered in Liên Mạc, today in Phường Thượng Cát, no certificates without signing in', async () => {
  await openGraphiql(ui, stack.graphiql);
  const text = await runInGraphiql(
    ui.page,
    '{ landParcel(id: "00598/1/1") { id commune { name } currentCommune { name } certificates { holders { fullName } } } }',
    'currentCommune',
  );
  expect(text).toContain('"name": "Phường Liên Mạc"');
  expect(text).toContain('"name": "Phường Thượng Cát"');
  // The page sends no token: the parcel is public, its certificates (and holders) are not.
  expect(text).toMatch(/"certificates": \[\]/);
  expect(text).not.toContain('"fullName"');
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
