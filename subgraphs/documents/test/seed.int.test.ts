import { openDatabase } from '../../../kit/db';
import { migrate } from '../../../kit/migrate';
import { documents } from '../subgraph';

async function seededDigest(scale: number): Promise<{ digest: string; count: number; again: unknown }> {
  const db = await openDatabase();
  await migrate(db, documents.migrationsDir);
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
