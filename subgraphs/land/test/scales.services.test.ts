/** The land seed at the smallest scale and npm start's default 1 (PostgreSQL server): its history is the shared plan, and it seeds fast. */
import { migrate } from '../../../kit';
import { createdParcelIds, landChangePlan, seededParcels } from '../../../kit/synthetic';
import { createTestDatabase } from '../../../kit/testing';
import { seed, seededCommunes } from '../seed';
import { land } from '../subgraph';

test.each([0.01, 1])(
  'scale %s: exactly the planned parcels and changes, each citing its planned dossier',
  async (scale) => {
    const db = await createTestDatabase('server');
    try {
      await migrate(db, land.databaseModules);
      const t0 = Date.now();
      const result = await seed(db, scale);
      const ms = Date.now() - t0;
      const plan = landChangePlan(scale);
      const parcels = seededCommunes().reduce((n, u) => n + [...seededParcels(u.code, scale)].length, 0);
      expect(result).toMatchObject({
        parcels: parcels + createdParcelIds(scale).length,
        changes: plan.length,
      });
      const cited = await db.query<{ code: string }>(
        'SELECT dossier_code AS code FROM land_changes ORDER BY 1',
      );
      expect(cited.map((c) => c.code)).toEqual(plan.map((c) => c.dossier.code).sort());
      expect(ms).toBeLessThan(120_000);
      process.stdout.write(
        `land scale ${scale}: ${JSON.stringify({ ...result, catalogue: undefined })} in ${ms} ms\n`,
      );
    } finally {
      await db.close();
    }
  },
  300_000,
);
