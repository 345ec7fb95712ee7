/**
 * Deterministic seed of the dossiers subgraph (seeded PRNG; same scale, same data).
 *
 * The shared reference catalogue is loaded as is. Every people's committee (province, district,
 * commune) gets the procedures of its level (vocabulary.ts) with their online-service history
 * (procedures.ts), and dossiers per year while it exists, from 2013 to SEED_NOW (plan.ts), turned into
 * rows with codes, steps, supplements and apology letters (rows.ts). Published figures come out exactly:
 * Lập Thạch 2017 on-time ratio 0.96; Điện Biên Phủ 2013, 39 online services; Bắc Ninh 2013, three at level 3.
 *
 * Scale: `scale` multiplies dossier counts (1 ≈ 50,000 dossiers, 570 of them behind the seeded land changes
 * of kit/landChanges.ts, landChanges.ts here; tests use 0.05).
 */
import { AGENCIES, insertRows, Prng, referenceCatalogue } from '../../../kit';
import type { CatalogueSeedResult, Database, Queryable } from '../../../kit';
import {
  dossierApologies,
  dossierCodeCounters,
  dossiers,
  dossierSteps,
  dossierSupplements,
  procedureOnlineService,
  procedures,
} from '../db/tables';
import { placesOf } from './places';
import {
  agencyProfile,
  FIRST_YEAR,
  planYear,
  PUBLISHED_ON_TIME,
  publishOnTime,
  SEED_NOW,
  yearCount,
} from './plan';
import type { PlannedDossier } from './plan';
import { landChangeDossiers } from './landChanges';
import { onlineHistory, proceduresOf, servesDossiers } from './procedures';
import type { SeedOnlineService, SeedProcedure } from './procedures';
import { SeedRows } from './rows';

export { SEED_NOW, PUBLISHED_ON_TIME } from './plan';
export { BAC_NINH, DIEN_BIEN_PHU, DIEN_BIEN_PHU_ONLINE_2013 } from './procedures';

export interface SeedResult {
  catalogue: CatalogueSeedResult | null;
  procedures: number;
  dossiers: number;
}

/** Seeds an empty database in one transaction; returns null when data is already there. */
export async function seed(db: Database, scale: number): Promise<SeedResult | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM procedures');
    if (row!.n > 0) return null;
    const catalogue = await referenceCatalogue.seed(tx);
    return { catalogue, ...(await seedDossiers(tx, scale)) };
  });
}

async function seedDossiers(tx: Queryable, scale: number): Promise<{ procedures: number; dossiers: number }> {
  const rng = new Prng('dossiers:20130101');
  const procRows = [];
  const onlineRows: SeedOnlineService[] = [];
  let planned: PlannedDossier[] = [];
  const procsByAgency = new Map<string, SeedProcedure[]>();
  const online = new Map<string, SeedOnlineService[]>();
  for (const agency of AGENCIES.filter(servesDossiers)) {
    const procs = proceduresOf(agency);
    const history = onlineHistory(agency, procs);
    procRows.push(...procs);
    onlineRows.push(...history);
    procsByAgency.set(agency.code, procs);
    for (const h of history) online.set(h.procedureCode, [...(online.get(h.procedureCode) ?? []), h]);
    const places = placesOf(agency);
    const profile = agencyProfile(agency);
    for (let year = FIRST_YEAR; year <= Number(SEED_NOW.slice(0, 4)); year++) {
      const start = agency.validFrom > `${year}-01-01` ? agency.validFrom : `${year}-01-01`;
      const ends = [`${year}-12-31`, agency.validTo ?? '9999-12-31', SEED_NOW].sort();
      const end = ends[0]!;
      if (start > end) continue;
      const days = Math.round((Date.parse(end) - Date.parse(start)) / 86_400_000) + 1;
      const count = yearCount(agency, profile, year, days, scale);
      planned.push(
        ...planYear(rng, {
          agency,
          profile,
          year,
          start,
          end,
          count,
          procedures: procs,
          online,
          places,
          scale,
        }),
      );
    }
  }
  planned.push(...landChangeDossiers(scale, procsByAgency, online));
  for (const [code, years] of Object.entries(PUBLISHED_ON_TIME))
    for (const [year, ratio] of Object.entries(years))
      planned = publishOnTime(planned, code, Number(year), ratio);
  const rows = new SeedRows();
  rows.addAll(planned);
  await insertRows(tx, procedures, procRows);
  await insertRows(tx, procedureOnlineService, onlineRows);
  await insertRows(tx, dossiers, rows.dossiers);
  await insertRows(tx, dossierSteps, rows.steps);
  await insertRows(tx, dossierSupplements, rows.supplements);
  await insertRows(tx, dossierApologies, rows.apologies);
  await insertRows(tx, dossierCodeCounters, rows.counters);
  await tx.exec(`
    SELECT setval('dossiers_id_seq', greatest(1, (SELECT max(id) FROM dossiers)));
    ANALYZE procedures, procedure_online_service, dossiers, dossier_steps, dossier_supplements, dossier_apologies;
  `);
  return { procedures: procRows.length, dossiers: rows.dossiers.length };
}
