/**
 * Cadastral parcel numbering. A parcel is identified by the
 * commune it was registered in before the 2025 mergers (`originalCommuneCode`), its map sheet number
 * (tờ bản đồ số, restarting at 1 in each old commune) and its parcel number (thửa đất số) — and in
 * the graph by `LandParcel.id = "<originalCommuneCode>/<sheet>/<parcel>"`. The parcels the seeds
 * create from this plan are synthetic data (kit/synthetic/parcels.ts).
 */
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
