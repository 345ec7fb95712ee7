import { openDatabase } from '../../../kit/db';
import { migrate } from '../../../kit/migrate';
import { documents } from '../subgraph';

async function seededDigest(scale: number): Promise<{ digest: string; count: number; again: unknown }> {
  const db = await openDatabase();
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
  const db = await openDatabase();
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
  expect(secret[0]!.n).toBeGreaterThan(0);
}, 60_000);
