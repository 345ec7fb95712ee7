/**
 * GraphiQL keeps the caller's token (issue 17): a token pasted once in the sign-in bar goes with every
 * request of every tab (the example tabs and a new one) and with the schema fetch, so the explorer has
 * the schema everywhere; it survives a reload and "Sign out" forgets it. Anonymous callers are refused
 * the schema here (GATEWAY_SCHEMA_ROLES=analyst), and the bar then says how to get a token. Tabs carry
 * their example files' titles. Real headless Chromium, network cut off (test/support/browser.ts).
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import pino from 'pino';
import type { Page } from 'playwright-core';
import { expectIsolatedAndClean, openGraphiql, openIsolatedPage } from '../../test/support/browser';
import type { IsolatedPage } from '../../test/support/browser';
import { TOKEN_STORAGE_KEY } from '../features/graphiql/script';
import { createGateway } from '../server';
import type { Gateway } from '../server';
import { startProducts, startReviews, writeSupergraph } from './support/fixtures';
import type { RunningServer } from './support/fixtures';
import { defaultConfig, defaultFeatures } from './support/config';

jest.setTimeout(90_000);

const EXAMPLES: Record<string, string> = {
  '01-top.graphql':
    '# Top products with their reviews\n#\n# Every product.\nquery TopProducts { topProducts { name reviews { body } } }\n',
  '02-one.graphql': '# One product by its code\nquery ProductByCode { product(upc: "p1") { upc name } }\n',
  '03-count.graphql': '# How many reviews there are\nquery ReviewCount { reviewCount }\n',
  '04-names.graphql': '# Product names and prices only\nquery ProductNames { topProducts { name price } }\n',
};
const TITLES = [
  'Top products with their reviews',
  'One product by its code',
  'How many reviews there are',
  'Product names and prices only',
];

const idp = generateKeyPairSync('ed25519');
const examplesDir = mkdtempSync(path.join(tmpdir(), 'govgraph-graphiql-signin-'));
let subgraphs: RunningServer[] = [];
let supergraph: { file: string; cleanup(): void };
let gateway: Gateway;
let origin: string;
let ui: IsolatedPage;
let token: string;
/** The Authorization header of each POST the page sent to /graphql, with its operation name. */
const posts: Array<{ operationName: string | undefined; authorization: string | undefined }> = [];

beforeAll(async () => {
  for (const [file, text] of Object.entries(EXAMPLES)) writeFileSync(path.join(examplesDir, file), text);
  subgraphs = [await startProducts(), await startReviews()];
  supergraph = writeSupergraph({ products: subgraphs[0].url, reviews: subgraphs[1].url });
  gateway = createGateway(
    defaultConfig({
      SUPERGRAPH_PATH: supergraph.file,
      GATEWAY_PORT: '0',
      GATEWAY_SCHEMA_ROLES: 'analyst',
      GATEWAY_JWT_PUBLIC_KEY: idp.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      GATEWAY_JWT_ISSUER: 'https://idp.test',
      GATEWAY_GRAPHIQL_EXAMPLES_DIR: examplesDir,
    }),
    { logger: pino({ level: 'silent' }), features: defaultFeatures },
  );
  origin = new URL((await gateway.start()).url).origin;
  token = await new SignJWT({ role: 'analyst' })
    .setProtectedHeader({ alg: 'EdDSA' })
    .setSubject('analyst-1')
    .setIssuer('https://idp.test')
    .setAudience('govgraph')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(idp.privateKey);
  ui = await openIsolatedPage();
  ui.page.on('request', (request) => {
    if (request.method() !== 'POST' || !request.url().endsWith('/graphql')) return;
    const body = JSON.parse(request.postData() ?? '{}') as { operationName?: string };
    posts.push({ operationName: body.operationName, authorization: request.headers().authorization });
  });
});

afterAll(async () => {
  await ui?.browser.close();
  await gateway?.stop();
  await Promise.all(subgraphs.map((s) => s.close()));
  supergraph?.cleanup();
  rmSync(examplesDir, { recursive: true, force: true });
});

const status = (page: Page): Promise<string> => page.locator('#govgraph-signin-status').innerText();

/** Runs the active tab and waits until the result pane shows `text`. */
async function runActiveTab(page: Page, text: string): Promise<void> {
  // GraphiQL re-reads the operation name of a tab just switched to after a short debounce.
  await page.waitForTimeout(600);
  await page.locator('.graphiql-execute-button').click();
  await page
    .waitForFunction((t) => document.querySelector('.result-window')?.textContent?.includes(t), text, {
      timeout: 20_000,
    })
    .catch(async (error: Error) => {
      const shown = await page.locator('.result-window').innerText();
      throw new Error(`GraphiQL never showed ${text}; the result pane shows: ${shown}`, { cause: error });
    });
}

test('paste a token once: every example tab and a new tab run with it, and the explorer has the schema', async () => {
  const { page } = ui;
  // A first visit: no token kept from an earlier run.
  await page.goto(`${origin}/health`);
  await page.evaluate(() => localStorage.clear());
  await openGraphiql(ui, `${origin}/graphiql`);
  // Anonymous: the schema is refused, and the bar says what to do.
  await page.waitForFunction(() =>
    document.getElementById('govgraph-signin-status')?.textContent?.startsWith('The schema was refused'),
  );
  expect(await status(page)).toBe(
    'The schema was refused (GraphQL introspection is not allowed for this caller). Paste a bearer token here to sign in every tab (development: npm run -s token -- --role analyst).',
  );
  // Tabs carry the example files' titles, in the folder's order.
  await expect(page.locator('.graphiql-tab-button').allInnerTexts()).resolves.toEqual(TITLES);
  ui.pageErrors.length = 0; // the refused schema fetch is logged by the browser

  await page.locator('#govgraph-token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction(() =>
    document.getElementById('govgraph-signin-status')?.textContent?.startsWith('Signed in'),
  );
  posts.length = 0;
  await runActiveTab(page, '"Bàn làm việc"');
  for (const [title, expected] of [
    [TITLES[1], '"upc": "p1"'],
    [TITLES[2], '"reviewCount"'],
    [TITLES[3], '"price"'],
  ] as const) {
    await page.locator('.graphiql-tab-button', { hasText: title }).click();
    await runActiveTab(page, expected);
  }
  // A new tab: typed by hand, run with the same token.
  await page.locator('.graphiql-tab-add').click();
  const editor = page.locator('.graphiql-query-editor .CodeMirror').first();
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('query HandTyped { reviewCount }', { delay: 2 });
  await page.keyboard.press('Escape');
  await page.waitForTimeout(600);
  await runActiveTab(page, '"reviewCount": ');
  const runs = posts.filter((p) => p.operationName !== 'IntrospectionQuery');
  expect(runs).toEqual(
    ['TopProducts', 'ProductByCode', 'ReviewCount', 'ProductNames', 'HandTyped'].map((operationName) => ({
      operationName,
      authorization: `Bearer ${token}`,
    })),
  );
  // The schema (refused to anonymous callers) is there in the new tab: the explorer lists the root fields.
  await page.getByRole('button', { name: 'Show GraphiQL Explorer' }).click();
  await page.locator('.graphiql-explorer-topProducts').first().waitFor();
  await expect(page.locator('.graphiql-explorer-reviewCount').count()).resolves.toBeGreaterThanOrEqual(1);
  expectIsolatedAndClean(ui);
});

test('the token is kept across a reload, in localStorage; Sign out forgets it', async () => {
  const { page } = ui;
  await openGraphiql(ui, `${origin}/graphiql`);
  await expect(page.evaluate((key) => localStorage.getItem(key), TOKEN_STORAGE_KEY)).resolves.toBe(token);
  await page.waitForFunction(() =>
    document.getElementById('govgraph-signin-status')?.textContent?.startsWith('Signed in'),
  );
  posts.length = 0;
  await page.locator('.graphiql-tab-button', { hasText: TITLES[2] }).click();
  await runActiveTab(page, '"reviewCount"');
  expect(posts.filter((p) => p.operationName === 'ReviewCount')).toEqual([
    { operationName: 'ReviewCount', authorization: `Bearer ${token}` },
  ]);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForFunction(() =>
    document.getElementById('govgraph-signin-status')?.textContent?.startsWith('The schema was refused'),
  );
  await expect(page.evaluate((key) => localStorage.getItem(key), TOKEN_STORAGE_KEY)).resolves.toBe(null);
  ui.pageErrors.length = 0;
  expectIsolatedAndClean(ui);
});
