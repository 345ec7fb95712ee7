/**
 * Headless Debian Chromium (playwright-core) on an "isolated network": every request that leaves this
 * machine is aborted and recorded, so a test can assert the page needed none. Plus the GraphiQL
 * gestures an analyst makes: open GraphiQL, type a query and run it, open a type in the docs explorer.
 *
 * Each test opens GraphiQL itself (`openGraphiql`) and ends with `expectIsolatedAndClean`, which
 * also asserts that the page really loaded from this machine: a test run alone (`-t`) never passes
 * on an empty page.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

export interface IsolatedPage {
  browser: Browser;
  page: Page;
  /** URLs the page requested on this machine since the last `openGraphiql`. */
  local: string[];
  /** URLs the page tried to reach outside this machine (all were aborted). */
  offMachine: string[];
  /** Uncaught page errors and console errors. */
  pageErrors: string[];
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost']);
/** TEST-NET-1 (RFC 5737): never a real host, so the isolation self-check cannot reach anything. */
const PROBE_URL = 'http://192.0.2.1/isolation-probe';

export async function openIsolatedPage(): Promise<IsolatedPage> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath))
    throw new Error(
      `No Chromium at ${executablePath}: install it (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  const browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const ui: IsolatedPage = { browser, page, local: [], offMachine: [], pageErrors: [] };
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (LOCAL_HOSTS.has(url.hostname)) {
      ui.local.push(url.toString());
      return route.continue();
    }
    ui.offMachine.push(url.toString());
    return route.abort();
  });
  page.on('pageerror', (error) => ui.pageErrors.push(error.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') ui.pageErrors.push(msg.text());
  });
  // An empty `offMachine` proves nothing unless the interception works: try to leave once.
  await page.evaluate(
    (url) =>
      fetch(url).then(
        () => 'reached',
        () => 'blocked',
      ),
    PROBE_URL,
  );
  if (!ui.offMachine.includes(PROBE_URL)) {
    await browser.close();
    throw new Error(`The network isolation did not intercept a request to ${PROBE_URL}`);
  }
  return ui;
}

/** Opens GraphiQL at `url` with fresh records of requests and errors; resolves once the editor shows. */
export async function openGraphiql(ui: IsolatedPage, url: string): Promise<void> {
  ui.local.length = 0;
  ui.offMachine.length = 0;
  ui.pageErrors.length = 0;
  const response = await ui.page.goto(url);
  if (!response?.ok()) throw new Error(`GET ${url} answered ${response?.status() ?? 'nothing'}`);
  await ui.page.locator('.graphiql-query-editor .CodeMirror').first().waitFor();
}

/** The page loaded from this machine, tried to reach nothing outside it, and logged no errors. */
export function expectIsolatedAndClean(ui: IsolatedPage): void {
  expect(ui.local.length).toBeGreaterThan(0);
  expect(ui.offMachine).toEqual([]);
  expect(ui.pageErrors).toEqual([]);
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
  // GraphiQL re-reads the operation name from the editor after a short debounce; a click before it
  // would send the previous tab content's name (the scorecard tab opens first: "Scorecard").
  await page.waitForTimeout(600);
  await page.locator('.graphiql-execute-button').click();
  const result = page.locator('.result-window');
  try {
    await page.waitForFunction(
      (text) => document.querySelector('.result-window')?.textContent?.normalize('NFC').includes(text),
      expectText.normalize('NFC'),
      { timeout: 20_000 },
    );
  } catch (error) {
    const shown = (await result.count()) > 0 ? await result.innerText() : '(no result pane)';
    throw new Error(`GraphiQL never showed "${expectText}"; the result pane shows: ${shown}`, {
      cause: error,
    });
  }
  return (await result.innerText()).normalize('NFC');
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

/**
 * Pastes `headers` (e.g. `{ Authorization: 'Bearer …' }`) into GraphiQL's Headers tab, as a user
 * does, then re-fetches the schema so the docs explorer and autocompletion use them.
 */
export async function setGraphiqlHeaders(page: Page, headers: Record<string, string>): Promise<void> {
  await page.getByRole('button', { name: 'Headers', exact: true }).click();
  const editor = page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror').first();
  await editor.waitFor();
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  // Typed over the editor's auto-closed brackets and quotes, like a paste would end up.
  await page.keyboard.insertText(JSON.stringify(headers));
  // GraphiQL takes the editor's text into its state after a short debounce: let it, then re-fetch.
  await page.waitForTimeout(1000);
  await page.getByRole('button', { name: /re-fetch graphql schema/i }).click();
}
