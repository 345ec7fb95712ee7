/**
 * Headless Debian Chromium (playwright-core) on an "isolated network": every request that leaves this
 * machine is aborted and recorded, so a test can assert the page needed none. Plus the GraphiQL
 * gestures an analyst makes: type a query and run it, open a type in the docs explorer.
 */
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

export interface IsolatedPage {
  browser: Browser;
  page: Page;
  /** URLs the page tried to reach outside this machine (all were aborted). */
  offMachine: string[];
  /** Uncaught page errors and console errors. */
  pageErrors: string[];
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost']);

export async function openIsolatedPage(): Promise<IsolatedPage> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const offMachine: string[] = [];
  const pageErrors: string[] = [];
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (LOCAL_HOSTS.has(url.hostname)) return route.continue();
    offMachine.push(url.toString());
    return route.abort();
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(msg.text());
  });
  return { browser, page, offMachine, pageErrors };
}

/** Replaces the editor's content by typing (auto-closed brackets are typed over), runs it, waits for `expectText`. */
export async function runInGraphiql(page: Page, query: string, expectText: string): Promise<string> {
  const editor = page.locator('.graphiql-query-editor .CodeMirror').first();
  await editor.waitFor();
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(query, { delay: 2 });
  await page.keyboard.press('Escape'); // dismiss any autocomplete hint
  await page.locator('.graphiql-execute-button').click();
  await page.waitForFunction(
    (text) => document.querySelector('.result-window')?.textContent?.normalize('NFC').includes(text),
    expectText.normalize('NFC'),
    { timeout: 20_000 },
  );
  return (await page.locator('.result-window').innerText()).normalize('NFC');
}

/** Opens the docs explorer at Query, then at the named type. */
export async function openTypeInDocs(page: Page, fieldText: string, typeName: string) {
  await page.getByRole('button', { name: /documentation explorer/i }).click();
  const docs = page.locator('.graphiql-doc-explorer');
  await docs.waitFor();
  await docs.getByText('Query', { exact: true }).first().click();
  await docs.getByText(fieldText, { exact: false }).first().waitFor();
  await docs
    .locator('a.graphiql-doc-explorer-type-name', { hasText: new RegExp(`^${typeName}$`) })
    .first()
    .click();
  return docs;
}
