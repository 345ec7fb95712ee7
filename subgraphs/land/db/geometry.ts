/** Geometry of parcels a split or merge creates: strips and bounding rectangles of their sources. */
import type { ParcelRow, PolygonGeometry } from './rows';

/** Strips of the source's bounding box, west to east, each as wide as its share of the area. */
export function splitGeometry(src: ParcelRow, shares: number[]): PolygonGeometry[] {
  const total = shares.reduce((s, x) => s + x, 0);
  let x = src.minX;
  return shares.map((share) => {
    const next = x + ((src.maxX - src.minX) * share) / total;
    const g = rectangle(x, src.minY, next, src.maxY);
    x = next;
    return g;
  });
}

const round7 = (v: number): number => Math.round(v * 1e7) / 1e7;
export const rectangle = (x0: number, y0: number, x1: number, y1: number): PolygonGeometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [round7(x0), round7(y0)],
      [round7(x1), round7(y0)],
      [round7(x1), round7(y1)],
      [round7(x0), round7(y1)],
      [round7(x0), round7(y0)],
    ],
  ],
});
