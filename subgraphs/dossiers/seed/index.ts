/**
 * Deterministic seed of the dossiers subgraph (seeded PRNG; same scale, same data).
 *
 * The shared reference catalogue is loaded as is. Every people's committee (province, district,
 * commune) gets the procedures of its level (vocabulary.ts) with their online-service history
 * (procedures.ts), and dossiers per year while it exists, from 2013 to SEED_NOW (plan.ts), turned into
 * rows with codes, steps, supplements and apology letters (rows.ts). Published figures come out exactly:
 * Lập Thạch 2017 on-time ratio 0.96; Điện Biên Phủ 2013, 39 online services; Bắc Ninh 2013, three at level 3;
 * Ba Bể, first nine months of 2018, 26 online services against a plan of 40 for the year (plans.ts).
 *
 * Scale: `scale` multiplies dossier counts (1 ≈ 50,000 dossiers, 570 of them behind the seeded land changes
 * of kit/synthetic/landChanges.ts, landChanges.ts here; tests use 0.05).
 */
import { AGENCIES, bulkLoad, insertRows, referenceCatalogue } from '../../../kit';
import { Prng } from '../../../kit/synthetic';
import type { AgencySeed, CatalogueSeedResult, Database, Queryable } from '../../../kit';
import {
  dossierApologies,
  dossierCodeCounters,
  dossiers,
  dossierSteps,
  dossierSupplements,
  onlineServicePlans,
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
import { plansOf } from './plans';
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
  const rows = new SeedRows();
  const agencies = AGENCIES.filter(servesDossiers);
  // Procedures of every agency first: the land-change plan (landChanges.ts) picks among them.
  const procsByAgency = new Map<string, SeedProcedure[]>();
  const histories = new Map<string, SeedOnlineService[]>();
  const online = new Map<string, SeedOnlineService[]>();
  for (const agency of agencies) {
    const procs = proceduresOf(agency);
    const history = onlineHistory(agency, procs);
    procsByAgency.set(agency.code, procs);
    histories.set(agency.code, history);
    for (const h of history) online.set(h.procedureCode, [...(online.get(h.procedureCode) ?? []), h]);
  }
  const landChange = new Map<string, PlannedDossier[]>();
  for (const d of landChangeDossiers(scale, procsByAgency, online))
    landChange.set(d.agency.code, [...(landChange.get(d.agency.code) ?? []), d]);
  const unserved = [...landChange.keys()].filter((code) => !procsByAgency.has(code));
  if (unserved.length) throw new Error(`seed: land-change dossiers for ${unserved.join(', ')}`);
  let procedureCount = 0;
  let dossierCount = 0;
  const tables = [
    procedures,
    procedureOnlineService,
    dossiers,
    dossierSteps,
    dossierSupplements,
    dossierApologies,
    onlineServicePlans,
  ];
  // A partition per year the seed writes (the migration made this year's and the next): none in the
  // default. Nothing at a schema from before the table was partitioned (the conversion test seeds one).
  await tx.query(
    `SELECT year_partitions_create(table_name, $1, $2) FROM year_partitioned_tables WHERE table_name = 'dossiers'`,
    [FIRST_YEAR, Number(SEED_NOW.slice(0, 4)) + 1],
  );
  await bulkLoad(tx, [...tables, dossierCodeCounters].map((t) => t.name).concat('dossier_keys'), async () => {
    // One agency at a time, written before the next is planned: memory stays that of one agency.
    for (const agency of agencies) {
      const procs = procsByAgency.get(agency.code)!;
      await insertRows(tx, procedures, procs);
      await insertRows(tx, procedureOnlineService, histories.get(agency.code)!);
      await insertRows(tx, onlineServicePlans, plansOf(agency, procs.length, Number(SEED_NOW.slice(0, 4))));
      procedureCount += procs.length;
      let planned = planAgency(rng, agency, procs, online, scale);
      planned.push(...(landChange.get(agency.code) ?? []));
      for (const [year, ratio] of Object.entries(PUBLISHED_ON_TIME[agency.code] ?? {}))
        planned = publishOnTime(planned, agency.code, Number(year), ratio);
      rows.addAll(planned);
      const batch = rows.take();
      dossierCount += batch.dossiers.length;
      await insertRows(tx, dossiers, batch.dossiers);
      await insertRows(tx, dossierSteps, batch.steps);
      await insertRows(tx, dossierSupplements, batch.supplements);
      await insertRows(tx, dossierApologies, batch.apologies);
      await insertRows(tx, dossierCodeCounters, batch.counters);
    }
  });
  await tx.exec(`
    SELECT setval('dossiers_id_seq', greatest(1, (SELECT max(id) FROM dossiers)));
    ANALYZE procedures, procedure_online_service, online_service_plans, dossiers, dossier_steps, dossier_supplements, dossier_apologies;
  `);
  return { procedures: procedureCount, dossiers: dossierCount };
}

/** Every dossier an agency receives from FIRST_YEAR to SEED_NOW, year by year. */
function planAgency(
  rng: Prng,
  agency: AgencySeed,
  procs: SeedProcedure[],
  online: ReadonlyMap<string, readonly SeedOnlineService[]>,
  scale: number,
): PlannedDossier[] {
  const places = placesOf(agency);
  const profile = agencyProfile(agency);
  const planned: PlannedDossier[] = [];
  for (let year = FIRST_YEAR; year <= Number(SEED_NOW.slice(0, 4)); year++) {
    const start = agency.validFrom > `${year}-01-01` ? agency.validFrom : `${year}-01-01`;
    const ends = [`${year}-12-31`, agency.validTo ?? '9999-12-31', SEED_NOW].sort();
    const end = ends[0]!;
    if (start > end) continue;
    const days = Math.round((Date.parse(end) - Date.parse(start)) / 86_400_000) + 1;
    const count = yearCount(agency, profile, year, days, scale);
    for (const d of planYear(rng, {
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
    }))
      planned.push(d);
  }
  return planned;
}
