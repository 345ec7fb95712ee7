/**
 * The land subgraph's own tables, each declared once (kit/runtime/table.ts). Decimal areas are written as
 * numeric but never read back as JS numbers (which would lose precision): the select lists below read
 * them as text (`area_m2::text`). Parcels carry a GeoJSON geometry (jsonb), so they have their own
 * bulk insert (db/writes.ts).
 */
import { bigint, date, int, numeric, table, text } from '../../../kit';
import type { Column } from '../../../kit';
import type { FormOfUse, HolderType, LandChangeKind, LandOrigin, LandUseCodeVersion } from '../domain';

/** An exact decimal written from its string form (numeric accepts '152.5'); selected as text only. */
const decimal = (): Column<string, false> => (numeric() as unknown as Column<string>).writeOnly();

export const landParcels = table('land_parcels', {
  originalCommuneCode: text(),
  sheet: int(),
  parcel: int(),
  id: text().generated(),
  originalUnitId: text(),
  dividedIntoUnitId: text().nullable(),
  areaM2: decimal(),
  landUseCode: text(),
  landUseCodeVersion: text<LandUseCodeVersion>(),
  address: text(),
  minX: numeric(),
  minY: numeric(),
  maxX: numeric(),
  maxY: numeric(),
  registeredOn: date(),
  retiredOn: date().nullable(),
  digitisedOn: date().nullable(),
});

export const planningOverlays = table('land_planning_overlays', {
  parcelId: text(),
  ord: int(),
  planName: text(),
  plannedUseCode: text(),
  areaM2: decimal(),
  share: numeric(),
});

export const certificates = table('land_certificates', {
  id: bigint().generated(),
  parcelId: text(),
  issueSerial: text(),
  registrationNumber: text(),
  issueDate: date(),
  issuingAgencyCode: text().nullable(),
  formOfUse: text<FormOfUse>(),
  termUntil: date().nullable(),
  origin: text<LandOrigin>(),
  cancelledOn: date().nullable(),
});

export const holders = table('land_certificate_holders', {
  certificateId: bigint(),
  ord: int(),
  holderType: text<HolderType>(),
  fullName: text(),
  birthYear: int().nullable(),
  idNumber: text().nullable(),
  address: text(),
});

export const changes = table('land_changes', {
  id: bigint().generated(),
  kind: text<LandChangeKind>(),
  changeDate: date(),
  dossierCode: text().nullable(),
  note: text().nullable(),
});

export const changeParcels = table('land_change_parcels', {
  changeId: bigint(),
  parcelId: text(),
  role: text<'FROM' | 'TO'>(),
});

/** Select lists with the exact decimals as text. */
export const PARCEL_COLUMNS = `${landParcels.select('p')}, p.area_m2::text AS "areaM2", p.geometry AS "geometry"`;
export const OVERLAY_COLUMNS = `${planningOverlays.select('o')}, o.area_m2::text AS "areaM2"`;
