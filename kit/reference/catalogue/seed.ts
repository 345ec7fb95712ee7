/** Loads the catalogue's data (data.ts) into an empty catalogue; parents are written before children. */
import type { Queryable } from '../../runtime/db';
import { insertRows } from '../../runtime/table';
import { ADMIN_UNITS, AGENCIES, SUCCESSIONS } from './reference-data';
import type { AgencySeed } from './reference-data';
import { adminUnits, agencies, unitSuccessions } from './tables';
import { existsOn } from './validity';

/** The id of a unit version: statistics-office code and first day. */
export const unitId = (code: string, validFrom: string): string => `${code}@${validFrom}`;

export interface CatalogueSeedResult {
  units: number;
  successions: number;
  agencies: number;
}

/** Agencies ordered so that every parent comes before its children. */
export function parentsFirst(list: readonly AgencySeed[]): AgencySeed[] {
  const ordered: AgencySeed[] = [];
  const placed = new Set<string>();
  while (ordered.length < list.length) {
    const before = ordered.length;
    for (const a of list)
      if (!placed.has(a.code) && (!a.parentCode || placed.has(a.parentCode))) {
        ordered.push(a);
        placed.add(a.code);
      }
    if (ordered.length === before) throw new Error('catalogue: agency parent cycle or missing parent');
  }
  return ordered;
}

/** Seeds an empty catalogue; returns null when it already holds data. Run it inside the caller's transaction. */
export async function seedCatalogue(db: Queryable): Promise<CatalogueSeedResult | null> {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM agencies');
  if (row!.n > 0) return null;
  const parentOf = (code: string | null, from: string): string | null => {
    if (!code) return null;
    // The parent valid when the child starts.
    const p = ADMIN_UNITS.find((u) => u.code === code && existsOn(u, from));
    if (!p) throw new Error(`catalogue: no parent unit ${code} valid on ${from}`);
    return unitId(p.code, p.validFrom);
  };
  await insertRows(
    db,
    adminUnits,
    [...ADMIN_UNITS]
      .sort((a, b) => a.level - b.level)
      .map((u) => ({
        id: unitId(u.code, u.validFrom),
        code: u.code,
        name: u.name.normalize('NFC'),
        type: u.type,
        level: u.level,
        parentId: parentOf(u.parentCode, u.validFrom),
        validFrom: u.validFrom,
        validTo: u.validTo,
        legalBasis: u.legalBasis,
      })),
  );
  await insertRows(
    db,
    unitSuccessions,
    SUCCESSIONS.map((s) => ({
      fromId: unitId(s.fromCode, s.fromValidFrom),
      toId: unitId(s.toCode, s.toValidFrom),
      effectiveDate: s.effectiveDate,
      kind: s.kind,
    })),
  );
  await insertRows(
    db,
    agencies,
    parentsFirst(AGENCIES).map((a) => ({
      code: a.code,
      name: a.name.normalize('NFC'),
      level: a.level,
      parentCode: a.parentCode,
      unitId: a.unitCode && a.unitValidFrom ? unitId(a.unitCode, a.unitValidFrom) : null,
      validFrom: a.validFrom,
      validTo: a.validTo,
    })),
  );
  await db.exec('ANALYZE admin_units, admin_unit_successions, agencies');
  return { units: ADMIN_UNITS.length, successions: SUCCESSIONS.length, agencies: AGENCIES.length };
}
