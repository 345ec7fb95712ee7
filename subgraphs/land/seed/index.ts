/**
 * Deterministic seed of the land subgraph (seeded PRNG; same scale, same data).
 *
 * For every commune-level unit of the catalogue that existed before the 1 July 2025 reorganisation,
 * exactly the parcels of the shared numbering plan (`seededParcels(code, scale)`, kit/reference/cadastre.ts) —
 * the dossiers seed points its land procedures at the same parcels. See records.ts for what each
 * parcel carries and places.ts for the (synthetic, WGS84 lon/lat) geometry.
 *
 * Scale: `scale` multiplies parcels per sheet by √scale (1 ≈ 14,000 parcels and 570 changes, measured by
 * scales.services.test.ts; tests use 0.05 and 0.2). The history is the shared plan, kit/synthetic/landChanges.ts.
 */
import { ADMIN_UNITS, insertRows, referenceCatalogue, SUCCESSIONS, unitId } from '../../../kit';
import { cadastralCommunes, districtAgencyOf } from '../../../kit/synthetic';
import type { AdminUnitSeed, CatalogueSeedResult, Database, Queryable } from '../../../kit';
import { insertParcels } from '../db/parcelWrites';
import { certificates, changeParcels, changes, holders, planningOverlays } from '../db/tables';
import { communeOrigin } from './places';
import { communeRecords, LandRows } from './records';
import type { CommuneContext } from './records';

export interface SeedResult {
  catalogue: CatalogueSeedResult | null;
  communes: number;
  parcels: number;
  certificates: number;
  changes: number;
}

const REFORM = '2025-07-01';

/** The commune-level units valid before the reorganisation: the old communes parcels were registered in. */
export const seededCommunes = cadastralCommunes;

function contexts(): CommuneContext[] {
  const before = (code: string): AdminUnitSeed | undefined =>
    ADMIN_UNITS.find((u) => u.code === code && u.validFrom < REFORM);
  const communes = seededCommunes();
  return communes.map((unit) => {
    const district = before(unit.parentCode!)!;
    const province = before(district.parentCode!)!;
    const siblings = communes.filter((u) => u.parentCode === unit.parentCode);
    const successors = SUCCESSIONS.filter(
      (s) => s.fromCode === unit.code && s.fromValidFrom === unit.validFrom,
    );
    return {
      unit,
      unitId: unitId(unit.code, unit.validFrom),
      district,
      province,
      districtAgency: districtAgencyOf(unit),
      origin: communeOrigin(unit, siblings.indexOf(unit), siblings.length),
      dividedInto: successors.length > 1 ? successors.map((s) => unitId(s.toCode, s.toValidFrom)).sort() : [],
    };
  });
}

/** Every seeded row, generated in memory (deterministic). */
export function generateLandRows(scale: number): LandRows {
  const rows = new LandRows();
  for (const c of contexts()) communeRecords(rows, c, scale);
  return rows;
}

/** Seeds an empty database in one transaction; returns null when data is already there. */
export async function seed(db: Database, scale: number): Promise<SeedResult | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM land_parcels');
    if (row!.n > 0) return null;
    const catalogue = await referenceCatalogue.seed(tx);
    const rows = generateLandRows(scale);
    await write(tx, rows);
    return {
      catalogue,
      communes: seededCommunes().length,
      parcels: rows.parcels.length,
      certificates: rows.certificates.length,
      changes: rows.changes.length,
    };
  });
}

async function write(tx: Queryable, rows: LandRows): Promise<void> {
  await insertParcels(tx, rows.parcels);
  await insertRows(tx, planningOverlays, rows.overlays);
  await insertRows(tx, certificates, rows.certificates);
  await insertRows(tx, holders, rows.holders);
  await insertRows(tx, changes, rows.changes);
  await insertRows(tx, changeParcels, rows.changeParcels);
  await tx.exec(`
    SELECT setval('land_certificates_id_seq', greatest(1, (SELECT max(id) FROM land_certificates)));
    SELECT setval('land_changes_id_seq', greatest(1, (SELECT max(id) FROM land_changes)));
    -- Which certificates each seeded change cancelled and issued (as in db/migrations/002_change_links.sql).
    INSERT INTO land_change_certificates (change_id, certificate_id, role)
    SELECT cp.change_id, k.id, CASE cp.role WHEN 'FROM' THEN 'CANCELLED' ELSE 'ISSUED' END
    FROM land_change_parcels cp
    JOIN land_changes c ON c.id = cp.change_id
    JOIN land_certificates k ON k.parcel_id = cp.parcel_id
      AND CASE cp.role WHEN 'FROM' THEN k.cancelled_on = c.change_date ELSE k.issue_date = c.change_date END;
    -- Fresh statistics, so the planner sees the bulk-loaded sizes (e.g. uses the bounding-box index).
    ANALYZE land_parcels, land_planning_overlays, land_certificates, land_certificate_holders, land_changes,
      land_change_parcels, land_change_certificates;
  `);
}
