/** The published figures come out at any seed scale — the smallest and npm start's default 1 — not only the tests' (PostgreSQL server). */
import { migrate } from '../../../kit';
import { createTestDatabase } from '../../../kit/testing';
import { dossierStats } from '../db/stats';
import { countProcedures } from '../db/reads';
import { BAC_NINH, DIEN_BIEN_PHU, seed } from '../seed';
import { dossiers } from '../subgraph';

test.each([0.01, 1])(
  'scale %s: Lập Thạch 2017 0.96 on time, Điện Biên Phủ 39 and Bắc Ninh 3 online services in 2013',
  async (scale) => {
    const db = await createTestDatabase('server');
    try {
      await migrate(db, dossiers.databaseModules);
      const t0 = Date.now();
      const result = await seed(db, scale);
      const [s] = await dossierStats(db, ['000.00.46.H62'], {
        from: '2017-01-01',
        to: '2017-12-31',
        includeSubordinates: false,
      });
      expect(s!.onTimeRatio).toBe(0.96);
      const y2013 = { from: '2013-01-01', to: '2013-12-31' };
      expect(await countProcedures(db, [DIEN_BIEN_PHU], { ...y2013, minOnlineLevel: 3 })).toBe(39);
      expect(await countProcedures(db, [BAC_NINH], { ...y2013, minOnlineLevel: 3 })).toBe(3);
      expect(await countProcedures(db, [BAC_NINH], { ...y2013, onlineLevel: 3 })).toBe(3);
      const readmeExample = await db.query('SELECT code FROM dossiers WHERE code = $1', [
        '000.00.46.H62-170103-0001',
      ]);
      expect(readmeExample).toHaveLength(1);
      process.stdout.write(`scale ${scale}: ${JSON.stringify(result)} in ${Date.now() - t0} ms\n`);
    } finally {
      await db.close();
    }
  },
  300_000,
);
