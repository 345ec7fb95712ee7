/**
 * GraphiQL in a real headless Chromium with the network cut off: only the gateway's own origin may
 * be reached. Runs a query through the UI against the fixture subgraphs and reads the docs explorer.
 * Needs /usr/bin/chromium (apt-get install chromium). Saves /tmp/graphiql.png.
 */
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import pino from 'pino';
import { loadGatewayConfig } from '../config';
import { createGateway } from '../server';
import type { Gateway } from '../server';
import { startProducts, startReviews, writeSupergraph } from './fixtures';
import type { RunningServer } from './fixtures';

jest.setTimeout(60_000);

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost']);

let subgraphs: RunningServer[] = [];
let supergraph: { file: string; cleanup(): void };
let gateway: Gateway;
let origin: string;
let browser: Browser;
let page: Page;
const blocked: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  subgraphs = [await startProducts(), await startReviews()];
  supergraph = writeSupergraph({ products: subgraphs[0].url, reviews: subgraphs[1].url });
  gateway = createGateway(loadGatewayConfig({ SUPERGRAPH_PATH: supergraph.file, GATEWAY_PORT: '0' }), {
    logger: pino({ level: 'silent' }),
  });
  origin = new URL((await gateway.start()).url).origin;

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  // The isolated network: anything not on this machine is aborted and recorded.
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (LOCAL_HOSTS.has(url.hostname)) return route.continue();
    blocked.push(url.toString());
    return route.abort();
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(msg.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await Promise.all(subgraphs.map((s) => s.close()));
  supergraph?.cleanup();
});

test('an analyst types a query, runs it and sees data joined from both subgraphs', async () => {
  await page.goto(`${origin}/graphiql`);
  await expect(page.title()).resolves.toBe('govgraph — GraphiQL');
  const editor = page.locator('.graphiql-query-editor .CodeMirror').first();
  await editor.waitFor();
  await expect(editor.innerText()).resolves.toContain('Welcome to govgraph');

  // Replace the default query by typing, as a user would (auto-closed brackets are typed over).
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type('{ topProducts { name reviews { body } } }', { delay: 5 });
  await page.keyboard.press('Escape'); // dismiss any autocomplete hint
  await page.locator('.graphiql-execute-button').click();

  const result = page.locator('.result-window');
  await page.waitForFunction(
    () => document.querySelector('.result-window')?.textContent?.includes('Hơi ồn'),
    null,
    {
      timeout: 15_000,
    },
  );
  const text = await result.innerText();
  expect(text).toContain('"name": "Bàn làm việc"');
  expect(text).toContain('"body": "Chắc chắn"');
  expect(text).toContain('"name": "Ghế xoay"');
  expect(text).not.toContain('errors');
});

test('the docs explorer shows type descriptions from the subgraph SDL', async () => {
  await page.getByRole('button', { name: /documentation explorer/i }).click();
  const docs = page.locator('.graphiql-doc-explorer');
  await docs.waitFor();
  await docs.getByText('Query', { exact: true }).first().click();
  await docs.getByText('One product by its code', { exact: false }).first().waitFor();
  await docs
    .locator('a.graphiql-doc-explorer-type-name', { hasText: /^Product$/ })
    .first()
    .click();
  await docs.getByText('Sản phẩm — a product in the fixture catalogue.').waitFor();
  await expect(docs.getByText('Tên sản phẩm — the name shown to buyers.').isVisible()).resolves.toBe(true);
  await page.screenshot({ path: '/tmp/graphiql.png' });
});

test('the page attempted no request outside this machine and logged no errors', () => {
  expect(blocked).toEqual([]);
  expect(pageErrors).toEqual([]);
});
