/**
 * Bulk insert of parcels: like kit/runtime/table.ts's insertRows (one `unnest` statement per chunk), with the
 * GeoJSON geometry cast to jsonb and the exact area to numeric from their text forms.
 */
import type { Queryable } from '../../../kit';
import type { PolygonGeometry } from './rows';

export interface ParcelInsert {
  originalCommuneCode: string;
  sheet: number;
  parcel: number;
  originalUnitId: string;
  dividedIntoUnitId: string | null;
  /** Exact decimal m², e.g. `152.5`. */
  areaM2: string;
  landUseCode: string;
  landUseCodeVersion: string;
  address: string;
  geometry: PolygonGeometry;
  registeredOn: string;
  digitisedOn: string | null;
  /** The day a split or merge retired it (seeded history); new parcels are current. */
  retiredOn?: string | null;
}

const COLUMNS: [keyof ParcelInsert, string, string][] = [
  ['originalCommuneCode', 'original_commune_code', 'text'],
  ['sheet', 'sheet', 'int'],
  ['parcel', 'parcel', 'int'],
  ['originalUnitId', 'original_unit_id', 'text'],
  ['dividedIntoUnitId', 'divided_into_unit_id', 'text'],
  ['areaM2', 'area_m2', 'numeric'],
  ['landUseCode', 'land_use_code', 'text'],
  ['landUseCodeVersion', 'land_use_code_version', 'text'],
  ['address', 'address', 'text'],
  ['geometry', 'geometry', 'text'],
  ['registeredOn', 'registered_on', 'date'],
  ['digitisedOn', 'digitised_on', 'date'],
  ['retiredOn', 'retired_on', 'date'],
];

/** The bounding box of a polygon's outer ring. */
export function boundsOf(g: PolygonGeometry): [number, number, number, number] {
  const ring = g.coordinates[0]!;
  const xs = ring.map((c) => c[0]!);
  const ys = ring.map((c) => c[1]!);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

export async function insertParcels(
  db: Queryable,
  rows: readonly ParcelInsert[],
  chunk = 5000,
): Promise<void> {
  const names = COLUMNS.map(([, sql]) => sql);
  const args = COLUMNS.map(([, , type], i) => `$${i + 1}::${type}[]`);
  // unnest of several arrays zips them into rows.
  const sql = `INSERT INTO land_parcels (${names.join(', ')}, min_x, min_y, max_x, max_y)
    SELECT ${names.map((n) => (n === 'geometry' ? 't.geometry::jsonb' : `t.${n}`)).join(', ')}, t.min_x, t.min_y, t.max_x, t.max_y
    FROM unnest(${args.join(', ')}, $${COLUMNS.length + 1}::float8[], $${COLUMNS.length + 2}::float8[],
                $${COLUMNS.length + 3}::float8[], $${COLUMNS.length + 4}::float8[])
         AS t(${names.join(', ')}, min_x, min_y, max_x, max_y)`;
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    const bounds = part.map((r) => boundsOf(r.geometry));
    await db.query(sql, [
      ...COLUMNS.map(([key]) =>
        part.map((r) => (key === 'geometry' ? JSON.stringify(r.geometry) : (r[key] ?? null))),
      ),
      ...[0, 1, 2, 3].map((i) => bounds.map((b) => b[i])),
    ]);
  }
}
