/**
 * Where an agency's applicants live and which (old) communes its land dossiers point into, from the
 * shared catalogue: a commune committee's own commune, a district's communes, a province's communes
 * (through its predecessors after 2025), a post-2025 commune's predecessors. Parcels are those the land
 * seed creates (kit/reference/cadastre.ts), keyed by the commune as it was before the 2025 mergers.
 */
import { ADMIN_UNITS, SUCCESSIONS } from '../../../kit';
import type { AdminUnitSeed, AgencySeed } from '../../../kit';
import type { Locality } from './applicants';

const OLD_END = '2025-06-30';

const isOldCommune = (u: AdminUnitSeed): boolean => u.level === 3 && u.validTo === OLD_END;

function unitOf(code: string | null, validFrom: string | null): AdminUnitSeed | undefined {
  return ADMIN_UNITS.find((u) => u.code === code && u.validFrom === validFrom);
}

/** Units (code + first day) this unit succeeds, itself included. */
function withPredecessors(u: AdminUnitSeed): AdminUnitSeed[] {
  const preds = SUCCESSIONS.filter((s) => s.toCode === u.code && s.toValidFrom === u.validFrom)
    .map((s) => unitOf(s.fromCode, s.fromValidFrom))
    .filter((x): x is AdminUnitSeed => x !== undefined);
  return [u, ...preds];
}

const parentOf = (u: AdminUnitSeed): AdminUnitSeed | undefined =>
  ADMIN_UNITS.find(
    (p) => p.code === u.parentCode && p.validFrom <= u.validFrom && (!p.validTo || p.validTo >= u.validFrom),
  );

export interface AgencyPlaces {
  localities: Locality[];
  /** Old (pre-2025) commune codes whose parcels land dossiers may concern. */
  parcelCommunes: string[];
}

function locality(commune: AdminUnitSeed): Locality {
  const parent = parentOf(commune);
  const province = parent?.level === 1 ? parent : parent ? parentOf(parent) : undefined;
  return {
    commune: commune.name,
    district: parent && parent.level === 2 ? parent.name : null,
    province: province?.name ?? '',
    provinceCode: province?.code ?? '01',
  };
}

export function placesOf(a: AgencySeed): AgencyPlaces {
  const unit = unitOf(a.unitCode, a.unitValidFrom);
  if (!unit) return { localities: [], parcelCommunes: [] };
  const scope = withPredecessors(unit);
  const codes = new Set(scope.map((u) => u.code));
  let communes: AdminUnitSeed[];
  if (unit.level === 1) {
    const districts = ADMIN_UNITS.filter((d) => d.level === 2 && codes.has(d.parentCode ?? ''));
    const dcodes = new Set(districts.map((d) => d.code));
    communes = ADMIN_UNITS.filter((c) => isOldCommune(c) && dcodes.has(c.parentCode ?? ''));
  } else if (unit.level === 2 && unit.validTo === OLD_END) {
    communes = ADMIN_UNITS.filter((c) => isOldCommune(c) && c.parentCode === unit.code);
  } else {
    communes = scope.filter(isOldCommune);
  }
  const localities = communes.map(locality);
  if (unit.level === 2 && unit.validTo === null) localities.push(locality(unit)); // a post-2025 commune
  return { localities, parcelCommunes: communes.map((c) => c.code) };
}
