/**
 * The seeded cadastre's parcels, shared by the land and dossiers seeds: both derive the same parcels
 * (numbered as kit/reference/cadastre.ts says) from the commune code and the scale alone, so a
 * land-procedure dossier can point at a parcel that exists in the land database without either
 * subgraph importing the other. SYNTHETIC: no real parcel is described.
 */
import type { ParcelIdentity } from '../reference/cadastre';
import { Prng } from './prng';

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
