/**
 * An analyst's session on the real stack: the processes `npm start` runs, GraphiQL in headless Debian
 * Chromium with every request off this machine blocked, the scorecard query typed and run, and the
 * Vietnamese schema documentation read in the docs explorer. Saves /tmp/graphiql-govgraph.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';

jest.setTimeout(120_000);

const dataDir = mkdtempSync(path.join(tmpdir(), 'govgraph-ui-'));
let stack: Stack;
let browser: Browser;
let page: Page;
const offMachine: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  stack = await startStack(dataDir);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return route.continue();
    offMachine.push(url.toString());
    return route.abort();
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the scorecard query typed into GraphiQL shows the published 90% for Bắc Từ Liêm 2014', async () => {
  await page.goto(stack.graphiql);
  const editor = page.locator('.graphiql-query-editor .CodeMirror').first();
  await editor.waitFor();
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(
    '{ agency(code: "000.00.21.H26") { name documentStats(period: {from: "2014-01-01", to: "2014-12-31"}) { electronicRatio } } }',
    { delay: 2 },
  );
  await page.keyboard.press('Escape');
  await page.locator('.graphiql-execute-button').click();
  await page.waitForFunction(
    () => document.querySelector('.result-window')?.textContent?.includes('electronicRatio'),
    null,
    {
      timeout: 20_000,
    },
  );
  const text = (await page.locator('.result-window').innerText()).normalize('NFC');
  expect(text).toContain('"electronicRatio": 0.9');
  expect(text).toContain('Bắc Từ Liêm');
  expect(text).not.toContain('"errors"');
});

test('the docs explorer shows the Vietnamese–English descriptions of the schema', async () => {
  await page.getByRole('button', { name: /documentation explorer/i }).click();
  const docs = page.locator('.graphiql-doc-explorer');
  await docs.waitFor();
  await docs.getByText('Query', { exact: true }).first().click();
  await docs.getByText('Cơ quan — an agency by its QCVN 102 identifier', { exact: false }).first().waitFor();
  await docs
    .locator('a.graphiql-doc-explorer-type-name', { hasText: /^Agency$/ })
    .first()
    .click();
  await docs.getByText('Cơ quan, tổ chức — a government body', { exact: false }).first().waitFor();
  await page.screenshot({ path: '/tmp/graphiql-govgraph.png' });
  expect(offMachine).toEqual([]);
  expect(pageErrors).toEqual([]);
});
