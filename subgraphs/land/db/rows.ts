/** Row shapes resolvers receive: the table declarations (camelCase) plus the columns read as text or JSON. */
import type { RowOf } from '../../../kit';
import type { LandUseCodeVersion } from '../domain';
import type { certificates, changes, holders, landParcels, planningOverlays } from './tables';

/** A GeoJSON Polygon: rings of [longitude, latitude] positions, the first ring the outer boundary. */
export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: number[][][];
}

export type ParcelRow = RowOf<typeof landParcels> & {
  /** Exact decimal m², e.g. `152.5`. */
  areaM2: string;
  geometry: PolygonGeometry;
};
export type OverlayRow = RowOf<typeof planningOverlays> & { areaM2: string };
export type CertificateRow = RowOf<typeof certificates>;
export type HolderRow = RowOf<typeof holders>;
export type ChangeRow = RowOf<typeof changes>;

/** Land statistics of one unit (a computed query). */
export interface LandStatsRow {
  unitId: string;
  asOf: string;
  parcelCount: number;
  digitisedCount: number;
  totalAreaM2: string;
  byLandUse: { code: string; parcelCount: number; areaM2: string }[];
}

/** An agency as the land subgraph knows it: by key (documents owns the type). */
export interface AgencyRef {
  code: string;
}

/** An administrative unit as the land subgraph knows it: by key (documents owns the type). */
export interface UnitRef {
  id: string;
}

/** A land-use code and its list version, as on a parcel. */
export interface LandUseRef {
  code: string;
  codeVersion: LandUseCodeVersion;
}

export type LandUseAreaRow = LandStatsRow['byLandUse'][number] & { totalAreaM2: string };
