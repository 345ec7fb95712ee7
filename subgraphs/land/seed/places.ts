/**
 * Where the seeded parcels lie. Coordinates are SYNTHETIC, in WGS84 longitude/latitude (EPSG:4326):
 * each district sits at its approximate real centre, its communes on a ring 2.5 km around it, and each
 * commune's map sheets in four columns of blocks east and north of the commune's point. Parcels are
 * parallelograms laid in rows on their sheet without overlapping, so a parcel's polygon area is its
 * recorded area exactly.
 */
import type { AdminUnitSeed } from '../../../kit';
import type { PolygonGeometry } from '../db/rows';

/** Approximate real centres (longitude, latitude) of the districts whose communes are seeded. */
const DISTRICT_CENTRES: Record<string, [number, number]> = {
  '021': [105.755, 21.07], // Quận Bắc Từ Liêm, Hà Nội
  '061': [105.73, 22.4], // Huyện Ba Bể, Bắc Kạn
  '094': [103.02, 21.385], // Thành phố Điện Biên Phủ
  '246': [105.46, 21.41], // Huyện Lập Thạch, Vĩnh Phúc
  '256': [106.07, 21.18], // Thành phố Bắc Ninh
};

const M_PER_DEG_LAT = 110_574;
const mPerDegLon = (lat: number): number => 111_320 * Math.cos((lat * Math.PI) / 180);
const round7 = (v: number): number => Math.round(v * 1e7) / 1e7;

/** The commune's reference point: on a 2.5 km ring around its district's centre, by its rank there. */
export function communeOrigin(commune: AdminUnitSeed, rank: number, count: number): [number, number] {
  const [lon, lat] = DISTRICT_CENTRES[commune.parentCode ?? ''] ?? [105.85, 21.03];
  const angle = (2 * Math.PI * rank) / Math.max(1, count);
  return [lon + (2500 * Math.cos(angle)) / mPerDegLon(lat), lat + (2500 * Math.sin(angle)) / M_PER_DEG_LAT];
}

/** A parcel's footprint in metres: width in decimetres (so area has one exact decimal) and height. */
export interface Footprint {
  widthDm: number;
  heightM: number;
  /** Horizontal shift of the top edge (m): a parallelogram keeps the rectangle's area. */
  skewM: number;
  /**
   * Laid against the previous footprint with no gap (same height and skew): the two share an edge, so
   * merging them gives one parallelogram whose area is exactly the sum of theirs.
   */
  joinsPrevious?: boolean;
}

export const areaTenthsOf = (f: Footprint): number => f.widthDm * f.heightM;

/** Footprints laid in rows of one sheet; returns each one's lower-left corner (m) and the sheet's size. */
export function layoutSheet(footprints: readonly Footprint[]): {
  corners: [number, number][];
  width: number;
  height: number;
} {
  const total = footprints.reduce((s, f) => s + areaTenthsOf(f) / 10, 0);
  const rowWidth = Math.max(150, Math.sqrt(total) * 1.4);
  const corners: [number, number][] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let width = 0;
  footprints.forEach((f, i) => {
    if (f.joinsPrevious && i > 0) {
      const [px, py] = corners[i - 1]!;
      const cx = px + footprints[i - 1]!.widthDm / 10;
      corners.push([cx, py]);
      x = cx + f.widthDm / 10 + Math.max(0, f.skewM) + 2;
      width = Math.max(width, x);
      return;
    }
    const w = f.widthDm / 10 + Math.abs(f.skewM);
    if (x > 0 && x + w > rowWidth) {
      y += rowHeight + 3;
      x = 0;
      rowHeight = 0;
    }
    corners.push([x + Math.max(0, -f.skewM), y]);
    x += w + 2;
    width = Math.max(width, x);
    rowHeight = Math.max(rowHeight, f.heightM);
  });
  return { corners, width, height: y + rowHeight };
}

/** The polygon of a footprint whose lower-left corner is `dx, dy` metres east/north of `origin`. */
export function polygonAt(origin: [number, number], dx: number, dy: number, f: Footprint): PolygonGeometry {
  const [lon0, lat0] = origin;
  const kx = mPerDegLon(lat0);
  const pt = (x: number, y: number): number[] => [
    round7(lon0 + (dx + x) / kx),
    round7(lat0 + (dy + y) / M_PER_DEG_LAT),
  ];
  const w = f.widthDm / 10;
  const ring = [pt(0, 0), pt(w, 0), pt(w + f.skewM, f.heightM), pt(f.skewM, f.heightM), pt(0, 0)];
  return { type: 'Polygon', coordinates: [ring] };
}
