/**
 * The citizens' reference portal page (clients/portal/page/, served by the gateway's `sites` feature)
 * on the real stack `npm start` runs, in headless Debian Chromium with every request off this machine
 * blocked: a seeded dossier looked up by its code shows its status, procedure and dates; a status
 * change made by an official through the graph (a real mutation) appears on the page by itself,
 * pushed through the public subscription over graphql-sse (`/graphql/stream`, events from the
 * dossiers subgraph's outbox through Redis), with no re-query; when the stream cannot open, by the
 * periodic re-query instead; the document search lists the
 * seeded documents the API finds; every request the page makes is a trusted document sent by hash; a
 * phone-sized screen has no horizontal scroll. Screenshots go to /work/screenshots/portal/ (or
 * PORTAL_SCREENSHOTS).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { Page, Route } from 'playwright-core';
import { expectIsolatedAndClean, openIsolatedPage } from './support/browser';
import type { IsolatedPage } from './support/browser';
import { signDevToken, startStack } from './support/stack';
import type { Stack } from './support/stack';

jest.setTimeout(180_000);

const SHOTS = process.env.PORTAL_SCREENSHOTS ?? '/work/screenshots/portal';
const dataDir = mkdtempSync(path.join(tmpdir(), 'govgraph-portal-'));
let stack: Stack;
let ui: IsolatedPage;
let portal: string;
/** The bodies of the page's POSTs to /graphql since the last `open`. */
const posted: Record<string, unknown>[] = [];
/** The bodies of the page's POSTs to /graphql/stream (subscriptions) since the last `open`. */
const streamed: Record<string, unknown>[] = [];
const REDIS = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
/** This file's own event stream: the dossiers subgraph's relay writes it, the gateway reads it. */
const STREAM = `govgraph:test:portal:${randomUUID()}`;

async function api(query: string, variables: Record<string, unknown> = {}, token?: string) {
  const res = await fetch(stack.gateway, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: any; errors?: { message: string; extensions?: any }[] };
}

async function open(page: Page, search = ''): Promise<void> {
  ui.local.length = 0;
  ui.offMachine.length = 0;
  ui.pageErrors.length = 0;
  posted.length = 0;
  streamed.length = 0;
  const response = await page.goto(`${portal}${search}`);
  expect(response?.status()).toBe(200);
}

/** A seeded dossier (in process, DANG_XU_LY, as the seed's open dossiers are), found by an analyst. */
async function seededDossier(
  filter = '{ status: DANG_XU_LY }',
): Promise<{ code: string; agency: string; procedure: string }> {
  const analyst = await signDevToken(dataDir, { role: 'analyst' });
  const r = await api(
    `{ dossiers(first: 1, filter: ${filter}) { nodes { code agency { code } procedure { name } } } }`,
    {},
    analyst,
  );
  expect(r.errors).toBeUndefined();
  const d = r.data.dossiers.nodes[0];
  return { code: d.code, agency: d.agency.code, procedure: d.procedure.name };
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  stack = await startStack(dataDir, {
    GATEWAY_SUBSCRIPTIONS_REDIS_URL: REDIS,
    GATEWAY_SUBSCRIPTIONS_STREAM: STREAM,
    DOSSIERS_EVENTS_REDIS_URL: REDIS,
    DOSSIERS_EVENTS_STREAM: STREAM,
  });
  portal = stack.gateway.replace(/\/graphql$/, '/portal/');
  ui = await openIsolatedPage();
  ui.page.on('request', (request) => {
    const at = new URL(request.url()).pathname;
    if (request.method() === 'POST' && at === '/graphql')
      posted.push(JSON.parse(request.postData() ?? '{}') as Record<string, unknown>);
    if (request.method() === 'POST' && at === '/graphql/stream')
      streamed.push(JSON.parse(request.postData() ?? '{}') as Record<string, unknown>);
  });
}, 300_000);

afterAll(async () => {
  await ui?.browser.close();
  await stack?.stop();
  const redis = new Redis(REDIS);
  await redis.del(STREAM);
  redis.disconnect();
  rmSync(dataDir, { recursive: true, force: true });
});

test('npm start prints the portal URL, serves it same-origin, and holds the portal to its trusted documents', async () => {
  expect(stack.output()).toContain(`Portal:    ${portal}`);
  const res = await fetch(portal);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect(await res.text()).toContain(
    '<title>Cổng dịch vụ công — tra cứu hồ sơ và văn bản — govgraph</title>',
  );
  // A free-form query under the portal's name is refused: the page can only work by hash.
  const free = await fetch(stack.gateway, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'graphql-client-name': 'portal' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  expect(free.status).toBe(400);
  expect(((await free.json()) as any).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
});

/** An official of the dossier's agency moves it on through the graph (a real mutation). */
async function advance(dossier: { code: string; agency: string }, status: string): Promise<void> {
  const official = await signDevToken(dataDir, { role: 'official', agency: dossier.agency });
  const moved = await api(
    `mutation($c: ID!, $s: DossierStatus!) { advanceDossierStatus(input: { code: $c, status: $s }) { status } }`,
    { c: dossier.code, s: status },
    official,
  );
  expect(moved.errors).toBeUndefined();
  expect(moved.data.advanceDossierStatus.status).toBe(status);
}

const manifest = JSON.parse(readFileSync(path.join(__dirname, '../clients/portal/manifest.json'), 'utf8'));
const hashOf = (operation: string): string =>
  Object.keys(manifest).find((h) => new RegExp(`^\\w+ ${operation}\\(`).test(manifest[h]))!;

test('a citizen looks up a seeded dossier, then sees an official’s status change pushed live over SSE', async () => {
  const dossier = await seededDossier();
  await open(ui.page, '?poll=2');
  // Keyboard only: the skip link first, then the code field.
  await ui.page.keyboard.press('Tab');
  expect(await ui.page.evaluate(() => document.activeElement?.textContent)).toBe(
    'Bỏ qua, đến phần tra cứu hồ sơ',
  );
  await ui.page.keyboard.press('Tab');
  expect(await ui.page.evaluate(() => document.activeElement?.id)).toBe('code');
  await ui.page.keyboard.type(dossier.code);
  await ui.page.keyboard.press('Enter');
  const status = ui.page.locator('#dossier-status');
  await ui.page.locator('#dossier').waitFor();
  expect(await status.textContent()).toBe('Đang xử lý');
  expect(await status.getAttribute('aria-live')).toBe('polite');
  const fields = await ui.page.$$eval('#dossier-fields dt', (dts) =>
    Object.fromEntries(dts.map((dt) => [dt.textContent, dt.nextElementSibling?.textContent])),
  );
  const live = await api(`query($c: String!) { dossierStatus(code: $c) { dueDate agency { name } } }`, {
    c: dossier.code,
  });
  expect(fields['Thủ tục']).toBe(dossier.procedure);
  expect(fields['Cơ quan tiếp nhận']).toBe(live.data.dossierStatus.agency.name);
  expect(fields['Ngày hẹn trả kết quả']).toBe(live.data.dossierStatus.dueDate.split('-').reverse().join('/'));
  // Live: the stream is open (the page says so), and nothing is asked again meanwhile.
  await ui.page.waitForFunction(
    () => document.querySelector('#watch-note')?.getAttribute('data-mode') === 'live',
  );
  expect(await ui.page.textContent('#watch-note')).toMatch(/^Trang đang theo dõi trực tiếp/);
  expect(new URL(ui.page.url()).searchParams.get('ma')).toBe(dossier.code);
  await ui.page.screenshot({ path: path.join(SHOTS, 'portal-desktop-dossier.png'), fullPage: true });
  // Longer than the 2 s re-query period the page would fall back to.
  await new Promise((r) => setTimeout(r, 3000));

  await advance(dossier, 'DA_XU_LY_XONG');
  await ui.page.waitForFunction(
    () => document.querySelector('#dossier-status')?.getAttribute('data-status') === 'DA_XU_LY_XONG',
    undefined,
    { timeout: 20_000 },
  );
  expect(await status.textContent()).toMatch(/^Đã xử lý xong \(đã thay đổi từ “Đang xử lý” lúc .+\)$/);
  await ui.page.screenshot({ path: path.join(SHOTS, 'portal-desktop-changed.png'), fullPage: true });

  // The change came through the stream: one look-up over /graphql, never asked again, and one
  // subscription — every call a trusted document by hash, never query text.
  expect(posted.map((b) => b.documentId)).toEqual([`sha256:${hashOf('DossierStatus')}`]);
  expect(streamed).toEqual([
    { documentId: `sha256:${hashOf('DossierStatusLive')}`, variables: { code: dossier.code } },
  ]);
  expect(await ui.page.getAttribute('#watch-note', 'data-mode')).toBe('live');
  expectIsolatedAndClean(ui);
});

test('when the stream cannot open, the page falls back to asking again and still shows the change', async () => {
  // A dossier processed (the one the test above moved on, at least), returned now.
  const dossier = await seededDossier('{ status: DA_XU_LY_XONG }');
  const refuse = (route: Route) => route.fulfill({ status: 503, body: '' });
  await ui.page.route('**/graphql/stream', refuse);
  try {
    await open(ui.page, `?poll=2&ma=${encodeURIComponent(dossier.code)}`);
    await ui.page.waitForFunction(
      () => document.querySelector('#watch-note')?.getAttribute('data-mode') === 'poll',
    );
    await ui.page.waitForFunction(() =>
      /mỗi 2 giây \(cập nhật định kỳ\)/.test(document.querySelector('#watch-note')?.textContent ?? ''),
    );
    await advance(dossier, 'DA_TRA_KET_QUA');
    await ui.page.waitForFunction(
      () => document.querySelector('#dossier-status')?.getAttribute('data-status') === 'DA_TRA_KET_QUA',
      undefined,
      { timeout: 20_000 },
    );
    expect(streamed).toHaveLength(1);
    expect(posted.length).toBeGreaterThanOrEqual(2);
    for (const body of posted) expect(body.documentId).toBe(`sha256:${hashOf('DossierStatus')}`);
    expect(ui.offMachine).toEqual([]);
  } finally {
    await ui.page.unroute('**/graphql/stream', refuse);
  }
});

test('a malformed or unknown code gets a Vietnamese message, not an error dump', async () => {
  await open(ui.page, '?ma=abc');
  const message = ui.page.locator('#dossier-message.error');
  await message.waitFor();
  expect(await message.textContent()).toBe(
    'Mã hồ sơ không đúng định dạng. Vui lòng kiểm tra lại trên giấy tiếp nhận.',
  );
  expect(await ui.page.locator('#dossier').isHidden()).toBe(true);
  await open(ui.page, '?ma=000.00.46.H62-990101-9999');
  await ui.page.locator('#dossier-message.error').waitFor();
  expect(await ui.page.textContent('#dossier-message')).toMatch(/^Không tìm thấy hồ sơ/);
});

test('the document search lists the seeded documents the API finds, a page at a time', async () => {
  const words = 'kế hoạch';
  const live = await api(
    `query($q: String!) { searchDocuments(query: $q, first: 10) { nodes { numberSymbol subject } pageInfo { hasNextPage } } }`,
    { q: words },
  );
  expect(live.data.searchDocuments.nodes.length).toBeGreaterThan(0);
  await open(ui.page);
  await ui.page.getByLabel('Từ khoá').fill(words);
  await ui.page.getByRole('button', { name: 'Tìm kiếm' }).click();
  await ui.page.locator('#results li').first().waitFor();
  const shown = await ui.page.$$eval('#results li', (lis) =>
    lis.map((li) => [
      li.querySelector('.doc-number')!.textContent,
      li.querySelector('.doc-subject')!.textContent,
    ]),
  );
  expect(shown.map(([, subject]) => subject)).toEqual(
    live.data.searchDocuments.nodes.map((n: { subject: string }) => n.subject),
  );
  for (const [i, [number]] of shown.entries())
    expect(number).toContain(live.data.searchDocuments.nodes[i].numberSymbol);
  expect(await ui.page.textContent('#search-message')).toMatch(/^Đã hiển thị \d+ văn bản cho “kế hoạch”/);
  if (live.data.searchDocuments.pageInfo.hasNextPage) {
    await ui.page.getByRole('button', { name: 'Xem thêm kết quả' }).click();
    await ui.page.waitForFunction((n) => document.querySelectorAll('#results li').length > n, shown.length);
  }
  await ui.page.screenshot({ path: path.join(SHOTS, 'portal-desktop-search.png'), fullPage: true });
  for (const body of posted) expect(body.query).toBeUndefined();
  expectIsolatedAndClean(ui);
});

test('on a 375×667 phone screen the dossier and the results fit the width', async () => {
  const dossier = await seededDossier('{}');
  const phone = await ui.browser.newPage({ viewport: { width: 375, height: 667 } });
  try {
    await phone.goto(`${portal}?ma=${encodeURIComponent(dossier.code)}&q=${encodeURIComponent('kế hoạch')}`);
    await phone.locator('#dossier').waitFor();
    await phone.locator('#results li').first().waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await phone.getAttribute('label[for=code]', 'for')).toBe('code');
    await phone.screenshot({ path: path.join(SHOTS, 'portal-phone.png'), fullPage: true });
    await phone.screenshot({ path: path.join(SHOTS, 'portal-phone-viewport.png') });
  } finally {
    await phone.close();
  }
});
