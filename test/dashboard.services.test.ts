/**
 * The analysts' scorecard dashboard (clients/dashboard/, served by the gateway's `sites` feature) on
 * the real stack `npm start` runs, in headless Debian Chromium with every request off this machine
 * blocked: the headline tiles show the published figures, each KPI's chart is drawn and its table
 * holds the live answer for every ward, and the year and agency pickers load another scorecard.
 * Saves /tmp/dashboard-desktop.png and /tmp/dashboard-phone.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expectIsolatedAndClean, openIsolatedPage } from './support/browser';
import type { IsolatedPage } from './support/browser';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';

jest.setTimeout(120_000);

const BAC_TU_LIEM = '000.00.21.H26';
const dataDir = mkdtempSync(path.join(tmpdir(), 'govgraph-dashboard-'));
let stack: Stack;
let ui: IsolatedPage;
let dashboard: string;

interface Kpi {
  value: number | null;
  previous: number | null;
  change: number | null;
  rank: number | null;
  rankOf: number | null;
}
const KPI = 'value previous change rank rankOf';

/** Opens the dashboard (its default: Bắc Từ Liêm, 2014) and waits for the eighth tile. */
async function openDashboard(): Promise<void> {
  ui.local.length = 0;
  ui.offMachine.length = 0;
  ui.pageErrors.length = 0;
  await ui.page.goto(dashboard);
  await ui.page.locator('#tiles li').nth(7).waitFor();
}

/** The same figures straight from the API, to compare with what the page shows. */
async function liveScorecard(agency: string, year: number) {
  const res = await fetch(stack.gateway, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `query($a: ID!, $p: PeriodInput!, $y: Int!, $d: Date!) { agency(code: $a) { name
        documentStats(period: $p) { electronic { ${KPI} } }
        budget(year: $y) { execution { ${KPI} } }
        children(asOf: $d) { name documentStats(period: $p) { electronic { ${KPI} } } } } }`,
      variables: {
        a: agency,
        y: year,
        p: { from: `${year}-01-01`, to: `${year}-12-31` },
        d: `${year}-12-31`,
      },
    }),
  });
  const body = (await res.json()) as {
    data: {
      agency: {
        name: string;
        documentStats: { electronic: Kpi };
        budget: { execution: Kpi };
        children: { name: string; documentStats: { electronic: Kpi } }[];
      };
    };
  };
  return body.data.agency;
}

/** The page's percent format (vi-VN, one decimal at most): 0.9 → "90%", 0.8333 → "83,3%". */
const percent = (v: number | null) =>
  v === null ? '—' : `${(v * 100).toLocaleString('vi-VN', { maximumFractionDigits: 1 })}%`;

/** The rows of the first KPI table (electronic documents): [unit, this year, previous, change, rank]. */
const firstTable = () =>
  ui.page.$$eval('#charts section:first-child tbody tr', (rows) =>
    rows.map((r) => Array.from(r.children).map((c) => c.textContent ?? '')),
  );

beforeAll(async () => {
  stack = await startStack(dataDir);
  dashboard = stack.gateway.replace(/\/graphql$/, '/dashboard/');
  ui = await openIsolatedPage();
}, 300_000);

afterAll(async () => {
  await ui?.browser.close();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('npm start prints the dashboard URL and the gateway serves it with a same-origin policy', async () => {
  expect(stack.output()).toContain(`Dashboard: ${dashboard}`);
  const res = await fetch(dashboard);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect(await res.text()).toContain('<title>Bảng chỉ số chính quyền điện tử — govgraph</title>');
  expect((await fetch(`${dashboard}../dashboard/..%2f..%2fpackage.json`)).status).toBe(404);
});

test('the headline shows the published figures, every KPI is drawn and its table is the live answer', async () => {
  await openDashboard();
  const live = await liveScorecard(BAC_TU_LIEM, 2014);
  expect(await ui.page.textContent('#headline-title')).toBe(`${live.name} — năm 2014`);
  const tiles = await ui.page.$$eval('#tiles li', (lis) =>
    lis.map((li) => [
      li.querySelector('.kpi-name')!.textContent,
      li.querySelector('.kpi-value')!.textContent,
    ]),
  );
  expect(tiles).toHaveLength(8);
  expect(tiles[0]).toEqual(['Văn bản điện tử', '90%']); // the published 90% electronic documents, 2014
  expect(tiles[6]).toEqual(['Thực hiện chi ngân sách', percent(live.budget.execution.value)]);
  // Eight charts, each drawn (pixels on its canvas), each with a table of every ward.
  const drawn = await ui.page.$$eval('#charts canvas', (canvases) =>
    canvases.map((c) => {
      const ctx = (c as HTMLCanvasElement).getContext('2d')!;
      const { data } = ctx.getImageData(
        0,
        0,
        (c as HTMLCanvasElement).width,
        (c as HTMLCanvasElement).height,
      );
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
      return painted;
    }),
  );
  expect(drawn).toHaveLength(8);
  for (const pixels of drawn) expect(pixels).toBeGreaterThan(1000);
  expect(live.children).toHaveLength(13);
  expect(await firstTable()).toEqual(
    live.children.map((w) => {
      const k = w.documentStats.electronic;
      const change =
        k.change === null
          ? '—'
          : `${k.change > 0 ? '+' : ''}${(k.change * 100).toLocaleString('vi-VN', { maximumFractionDigits: 1 })} điểm`;
      return [w.name, percent(k.value), percent(k.previous), change, k.rank ? `${k.rank}/${k.rankOf}` : '—'];
    }),
  );
  await ui.page.screenshot({ path: '/tmp/dashboard-desktop.png', fullPage: true });
  expectIsolatedAndClean(ui);
});

test('the year and agency pickers load another scorecard and keep it in the address', async () => {
  await openDashboard();
  await ui.page.selectOption('#year', '2015');
  await ui.page.click('button[type=submit]');
  await ui.page.waitForFunction(() =>
    document.querySelector('#headline-title')?.textContent?.endsWith('2015'),
  );
  const live2015 = await liveScorecard(BAC_TU_LIEM, 2015);
  expect((await firstTable()).map((r) => r.slice(0, 2))).toEqual(
    live2015.children.map((w) => [w.name, percent(w.documentStats.electronic.value)]),
  );
  expect(new URL(ui.page.url()).search).toBe(`?agency=${encodeURIComponent(BAC_TU_LIEM)}&year=2015`);
  const other = await ui.page.$$eval('#agency option', (options) =>
    options.map((o) => (o as HTMLOptionElement).value).find((v) => v !== '000.00.21.H26'),
  );
  expect(other).toMatch(/^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$/);
  await ui.page.selectOption('#agency', other!);
  await ui.page.click('button[type=submit]');
  const liveOther = await liveScorecard(other!, 2015);
  await ui.page.waitForFunction(
    (title) => document.querySelector('#headline-title')?.textContent === title,
    `${liveOther.name} — năm 2015`,
  );
  expect(await ui.page.textContent('#tiles li:first-child .kpi-value')).toBe(
    percent(liveOther.documentStats.electronic.value),
  );
  expectIsolatedAndClean(ui);
});

test('on a phone-sized screen the pickers and tiles fit the width', async () => {
  const phone = await ui.browser.newPage({ viewport: { width: 390, height: 844 } });
  try {
    await phone.goto(dashboard);
    await phone.locator('#tiles li').nth(7).waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await phone.getAttribute('label[for=agency]', 'for')).toBe('agency');
    await phone.screenshot({ path: '/tmp/dashboard-phone.png', fullPage: true });
  } finally {
    await phone.close();
  }
});
