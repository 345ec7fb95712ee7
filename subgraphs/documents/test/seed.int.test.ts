import { migrate } from '../../../kit';
import { createTestDatabase } from '../../../kit/testing';
import { documents } from '../subgraph';
import { openHarness } from './support/harness';
import type { Harness } from './support/harness';

const BTL = '000.00.21.H26'; // Ủy ban nhân dân quận Bắc Từ Liêm

async function seededDigest(scale: number): Promise<{ digest: string; count: number; again: unknown }> {
  const db = await createTestDatabase();
  await migrate(db, documents.databaseModules);
  await documents.seed(db, scale);
  const [row] = await db.query<{ digest: string; count: number }>(
    `SELECT md5(string_agg(concat_ws('|', id, direction, agency_code, number_symbol, subject, issued_date, electronic,
       secrecy, status, signer_name), ',' ORDER BY id)) AS digest, count(*)::int AS count FROM documents`,
  );
  const again = await documents.seed(db, scale);
  await db.close();
  return { ...row!, again };
}

test('the seed is deterministic, scales, and never runs twice on the same database', async () => {
  const a = await seededDigest(0.02);
  const b = await seededDigest(0.02);
  const bigger = await seededDigest(0.5);
  expect(a.digest).toBe(b.digest);
  expect(a.count).toBeGreaterThan(500);
  expect(bigger.count).toBeGreaterThan(a.count * 3);
  expect(a.again).toBeNull();
}, 60_000);

test('each agency-year register is numbered 1..n in date order, secret documents included', async () => {
  const db = await createTestDatabase();
  await migrate(db, documents.databaseModules);
  await documents.seed(db, 0.2);
  const gaps = await db.query(
    `SELECT agency_code, year FROM documents WHERE direction = 'OUTGOING'
     GROUP BY agency_code, year HAVING max(number) <> count(*) OR min(number) <> 1`,
  );
  const outOfOrder = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM documents a JOIN documents b
       ON a.agency_code = b.agency_code AND a.year = b.year AND a.direction = 'OUTGOING' AND b.direction = 'OUTGOING'
     WHERE a.number < b.number AND a.issued_date > b.issued_date`,
  );
  const secret = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM documents WHERE secrecy <> 'THUONG'`,
  );
  await db.close();
  expect(gaps).toEqual([]);
  expect(outOfOrder[0]!.n).toBe(0);
  expect(secret[0]!.n).toBe(44);
}, 60_000);

describe('seeded figures, as an analyst sees them at the default scale', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(await createTestDatabase(), 1);
  }, 120_000);
  afterAll(async () => h?.close());

  const stats = (from: string, to: string) =>
    `documentStats(period: { from: "${from}", to: "${to}" }) { outgoingTotal outgoingElectronic electronicRatio }`;

  test('wards of one district differ in a year: volumes and electronic ratios are not flat', async () => {
    const r = await h.gql(`{ agencies(level: COMMUNE, parentCode: "${BTL}", asOf: "2020-06-30", first: 50) {
      nodes { code ${stats('2020-01-01', '2020-12-31')} } } }`);
    expect(r.errors).toBeUndefined();
    const wards: { documentStats: { outgoingTotal: number; electronicRatio: number | null } }[] =
      r.data!.agencies.nodes;
    expect(wards).toHaveLength(13);
    const totals = wards.map((w) => w.documentStats.outgoingTotal);
    const ratios = wards.map((w) => w.documentStats.electronicRatio);
    expect(new Set(totals).size).toBeGreaterThanOrEqual(3);
    expect(new Set(ratios).size).toBeGreaterThanOrEqual(3);
    expect(Math.max(...totals)).toBeGreaterThanOrEqual(2 * Math.min(...totals));
  });

  test('electronic exchange grows: rare around 2012, the norm by 2022, agency by agency', async () => {
    const r = await h.gql(`{ agencies(asOf: "2012-06-30", first: 100) { nodes { code
      early: ${stats('2012-01-01', '2012-12-31')} late: ${stats('2022-01-01', '2022-12-31')} } } }`);
    expect(r.errors).toBeUndefined();
    type S = { electronicRatio: number | null };
    const both = (r.data!.agencies.nodes as { early: S; late: S }[]).filter(
      (a) => a.early.electronicRatio !== null && a.late.electronicRatio !== null,
    );
    expect(both.length).toBeGreaterThanOrEqual(10);
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    const early = mean(both.map((a) => a.early.electronicRatio!));
    const late = mean(both.map((a) => a.late.electronicRatio!));
    expect(early).toBeLessThan(0.2);
    expect(late).toBeGreaterThan(0.8);
    expect(both.filter((a) => a.late.electronicRatio! > a.early.electronicRatio!).length).toBeGreaterThan(
      both.length * 0.9,
    );
  });

  test('the published figure comes out exactly: Bắc Từ Liêm 2014, 90% electronic', async () => {
    const r = await h.gql(`{ agency(code: "${BTL}") { ${stats('2014-01-01', '2014-12-31')} } }`);
    const s = r.data!.agency.documentStats;
    expect(s.electronicRatio).toBe(0.9);
    expect(s.outgoingElectronic / s.outgoingTotal).toBe(0.9);
    expect(s.outgoingTotal).toBeGreaterThanOrEqual(20);
  });

  test('scale 1 seeds about 18,000 documents (docs/operations.md)', async () => {
    const [row] = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM documents');
    expect(row!.n).toBeGreaterThan(16_000);
    expect(row!.n).toBeLessThan(20_000);
  });
});
