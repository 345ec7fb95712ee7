/**
 * The cadastral numbering plan shared by the land and dossiers seeds. A parcel is identified by the
 * commune it was registered in before the 2025 mergers (`originalCommuneCode`), its map sheet number
 * (tờ bản đồ số, restarting at 1 in each old commune) and its parcel number (thửa đất số) — and in
 * the graph by `LandParcel.id = "<originalCommuneCode>/<sheet>/<parcel>"`. Both seeds derive the same
 * parcels from the commune code and the scale alone, so a land-procedure dossier can point at a parcel
 * that exists in the land database without either subgraph importing the other.
 */
import { Prng } from '../synthetic/prng';

/** `00598/12/345` */
export const PARCEL_ID = /^(\d{5})\/([1-9]\d{0,3})\/([1-9]\d{0,5})$/;

export interface ParcelIdentity {
  readonly originalCommuneCode: string;
  readonly sheet: number;
  readonly parcel: number;
}

export const formatParcelId = (p: ParcelIdentity): string =>
  `${p.originalCommuneCode}/${p.sheet}/${p.parcel}`;

/** The identity in an id, or null when it is not of the form `<5-digit commune>/<sheet>/<parcel>`. */
export function parseParcelId(id: string): ParcelIdentity | null {
  const m = PARCEL_ID.exec(id);
  return m ? { originalCommuneCode: m[1]!, sheet: Number(m[2]), parcel: Number(m[3]) } : null;
}

/** Map sheets and parcels per sheet seeded for one (old) commune at a scale; deterministic. */
export function parcelPlan(
  originalCommuneCode: string,
  scale: number,
): { sheets: number; parcelsPerSheet: number } {
  const rng = new Prng(`cadastre:${originalCommuneCode}`);
  // Scale 1 ≈ 8 sheets × 40 parcels per commune (≈ 12,000 parcels over the catalogue's communes):
  // a seed of the same order as the other systems', quick on a first `npm start`.
  const sheets = Math.max(1, Math.round(rng.int(4, 12) * Math.min(1, Math.sqrt(scale))));
  const parcelsPerSheet = Math.max(2, Math.round(rng.int(20, 60) * Math.sqrt(scale)));
  return { sheets, parcelsPerSheet };
}

/** Every seeded parcel identity of one (old) commune, sheet by sheet. */
export function* seededParcels(originalCommuneCode: string, scale: number): Generator<ParcelIdentity> {
  const { sheets, parcelsPerSheet } = parcelPlan(originalCommuneCode, scale);
  for (let sheet = 1; sheet <= sheets; sheet++)
    for (let parcel = 1; parcel <= parcelsPerSheet; parcel++) yield { originalCommuneCode, sheet, parcel };
}
