/**
 * The analysts' scorecard dashboard: an agency (a district by default) and its subordinate units for a
 * year, each of the seven KPIs as a bar chart by unit with the previous year beside it, and under each
 * chart a table with the value, the previous year, the change and the rank. Served by the gateway's
 * `sites` feature (GATEWAY_SITES) from the folder scripts/dashboard.ts builds; it calls `/graphql` on
 * the same origin and nothing else (Chart.js is bundled in).
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

interface Kpi {
  value: number | null;
  previous: number | null;
  change: number | null;
  rank: number | null;
  rankOf: number | null;
}
interface Unit {
  code: string;
  name: string;
  [group: string]: unknown;
}

/** The seven KPIs: where each sits in an Agency, and its Vietnamese name. */
export const KPIS: readonly { group: string; field: string; label: string }[] = [
  { group: 'documentStats', field: 'electronic', label: 'Văn bản điện tử' },
  { group: 'documentStats', field: 'signed', label: 'Văn bản ký số' },
  { group: 'dossierStats', field: 'onTime', label: 'Hồ sơ đúng hạn' },
  { group: 'dossierStats', field: 'online', label: 'Hồ sơ trực tuyến' },
  { group: 'mailStats', field: 'coverage', label: 'Cấp thư điện tử' },
  { group: 'mailStats', field: 'regularUse', label: 'Sử dụng thư thường xuyên' },
  { group: 'budget', field: 'execution', label: 'Thực hiện chi ngân sách' },
  { group: 'landStats', field: 'digitised', label: 'Số hoá hồ sơ đất đai' },
];

const KPI = 'value previous change rank rankOf';
const SCORECARD = `query Dashboard($agency: ID!, $period: PeriodInput!, $year: Int!, $asOf: Date!) {
  agency(code: $agency) { code name ...S children(asOf: $asOf) { code name ...S } }
}
fragment S on Agency {
  documentStats(period: $period) { electronic { ${KPI} } signed { ${KPI} } }
  dossierStats(period: $period) { onTime { ${KPI} } online { ${KPI} } }
  mailStats(period: $period) { coverage { ${KPI} } regularUse { ${KPI} } }
  budget(year: $year) { execution { ${KPI} } }
  landStats(period: $period) { digitised { ${KPI} } }
}`;
const AGENCIES = `query DashboardAgencies { agencies(level: DISTRICT, first: 100) { nodes { code name } } }`;

const FIRST_YEAR = 2010;
const DEFAULT_AGENCY = '000.00.21.H26'; // Bắc Từ Liêm, the scorecard's headline example
const DEFAULT_YEAR = 2014;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const percent = (v: number | null): string =>
  v === null ? '—' : `${(v * 100).toLocaleString('vi-VN', { maximumFractionDigits: 1 })}%`;
const points = (v: number | null): string =>
  v === null
    ? '—'
    : `${v > 0 ? '+' : ''}${(v * 100).toLocaleString('vi-VN', { maximumFractionDigits: 1 })} điểm`;

async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const token = sessionStorage.getItem('govgraph.token');
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'apollographql-client-name': 'dashboard',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as {
    data?: T;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  if (body.errors?.length && !body.data)
    throw new Error(body.errors.map((e) => `${e.message} (${e.extensions?.code ?? res.status})`).join('; '));
  return body.data as T;
}

const kpiOf = (unit: Unit, k: (typeof KPIS)[number]): Kpi | null =>
  ((unit[k.group] as Record<string, Kpi> | null)?.[k.field] ?? null) as Kpi | null;

function tile(k: (typeof KPIS)[number], kpi: Kpi | null): HTMLLIElement {
  const li = document.createElement('li');
  const change = kpi?.change ?? null;
  li.innerHTML = `<div class="kpi-name"></div><div class="kpi-value"></div><div class="kpi-more"></div>`;
  li.querySelector('.kpi-name')!.textContent = k.label;
  li.querySelector('.kpi-value')!.textContent = percent(kpi?.value ?? null);
  const more = li.querySelector('.kpi-more')!;
  more.textContent = `năm trước ${percent(kpi?.previous ?? null)}, ${points(change)}${
    kpi?.rank ? `, hạng ${kpi.rank}/${kpi.rankOf}` : ''
  }`;
  if (change) more.className = `kpi-more ${change > 0 ? 'up' : 'down'}`;
  return li;
}

const charts: Chart[] = [];

function chart(k: (typeof KPIS)[number], units: Unit[], year: number): HTMLElement {
  const section = document.createElement('section');
  section.className = 'chart';
  const id = `kpi-${k.group}-${k.field}`;
  section.setAttribute('aria-labelledby', id);
  const title = document.createElement('h3');
  title.id = id;
  title.textContent = k.label;
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute(
    'aria-label',
    `${k.label} theo đơn vị, năm ${year} và năm ${year - 1} (số liệu trong bảng dưới)`,
  );
  const table = document.createElement('table');
  table.innerHTML = `<caption class="hint">${k.label}: số liệu</caption><thead><tr><th scope="col">Đơn vị</th><th scope="col">${year}</th><th scope="col">${year - 1}</th><th scope="col">Thay đổi</th><th scope="col">Hạng</th></tr></thead><tbody></tbody>`;
  const body = table.querySelector('tbody')!;
  for (const unit of units) {
    const kpi = kpiOf(unit, k);
    const row = document.createElement('tr');
    for (const text of [
      unit.name,
      percent(kpi?.value ?? null),
      percent(kpi?.previous ?? null),
      points(kpi?.change ?? null),
      kpi?.rank ? `${kpi.rank}/${kpi.rankOf}` : '—',
    ]) {
      const cell = document.createElement(row.children.length ? 'td' : 'th');
      if (!row.children.length) cell.setAttribute('scope', 'row');
      cell.textContent = text;
      row.append(cell);
    }
    body.append(row);
  }
  const box = document.createElement('div');
  box.className = 'canvas-box';
  box.append(canvas);
  const wrap = document.createElement('div');
  wrap.className = 'table-wrap';
  wrap.append(table);
  section.append(title, box, wrap);
  const pct = (v: number | null | undefined) =>
    v === null || v === undefined ? null : Math.round(v * 1000) / 10;
  charts.push(
    new Chart(canvas, {
      type: 'bar',
      data: {
        labels: units.map((u) => u.name),
        datasets: [
          {
            label: String(year),
            data: units.map((u) => pct(kpiOf(u, k)?.value)),
            backgroundColor: '#0b5394',
          },
          {
            label: String(year - 1),
            data: units.map((u) => pct(kpiOf(u, k)?.previous)),
            backgroundColor: '#9fc5e8',
          },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: { y: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } } },
      },
    }),
  );
  return section;
}

async function show(agency: string, year: number): Promise<void> {
  const status = $('status');
  status.className = '';
  status.textContent = 'Đang tải…';
  const data = await graphql<{ agency: (Unit & { children: Unit[] }) | null }>(SCORECARD, {
    agency,
    year,
    period: { from: `${year}-01-01`, to: `${year}-12-31` },
    asOf: `${year}-12-31`,
  });
  if (!data.agency) throw new Error(`Không có đơn vị ${agency}`);
  for (const c of charts.splice(0)) c.destroy();
  const headline = $('headline');
  headline.hidden = false;
  $('headline-title').textContent = `${data.agency.name} — năm ${year}`;
  $('tiles').replaceChildren(...KPIS.map((k) => tile(k, kpiOf(data.agency!, k))));
  const units = data.agency.children;
  $('charts').replaceChildren(...KPIS.map((k) => chart(k, units, year)));
  status.textContent = `${units.length} đơn vị trực thuộc.`;
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const agency = $<HTMLSelectElement>('agency');
  const year = $<HTMLSelectElement>('year');
  const token = $<HTMLInputElement>('token');
  token.value = sessionStorage.getItem('govgraph.token') ?? '';
  for (let y = new Date().getFullYear(); y >= FIRST_YEAR; y--) year.add(new Option(String(y), String(y)));
  year.value = params.get('year') ?? String(DEFAULT_YEAR);
  const run = () =>
    show(agency.value, Number(year.value)).catch((err: Error) => {
      $('status').className = 'error';
      $('status').textContent = `Lỗi: ${err.message}`;
    });
  $('pickers').addEventListener('submit', (event) => {
    event.preventDefault();
    if (token.value.trim()) sessionStorage.setItem('govgraph.token', token.value.trim());
    else sessionStorage.removeItem('govgraph.token');
    history.replaceState(null, '', `?agency=${encodeURIComponent(agency.value)}&year=${year.value}`);
    void run();
  });
  try {
    const list = await graphql<{ agencies: { nodes: { code: string; name: string }[] } }>(AGENCIES);
    for (const a of list.agencies.nodes) agency.add(new Option(`${a.name} (${a.code})`, a.code));
  } catch (err) {
    $('status').className = 'error';
    $('status').textContent = `Lỗi: ${(err as Error).message}`;
  }
  const wanted = params.get('agency') ?? DEFAULT_AGENCY;
  if (!Array.from(agency.options).some((o) => o.value === wanted)) agency.add(new Option(wanted, wanted));
  agency.value = wanted;
  await run();
}

void main();
