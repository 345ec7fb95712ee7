/**
 * Reads of the land records. Functions take arrays of keys so loaders can batch them; lists page by
 * keyset on the parcel identity (original commune code, sheet, parcel).
 */
import { cursorPart, rowCondition } from '../../../kit';
import type { Queryable, RowScope } from '../../../kit';
import type { CertificateRow, ChangeRow, HolderRow, LandStatsRow, OverlayRow, ParcelRow } from './rows';
import { certificates, changes, holders, OVERLAY_COLUMNS, PARCEL_COLUMNS } from './tables';

/** Keyset position in identity order: [originalCommuneCode, sheet, parcel]. */
export type ParcelKey = [string, number, number];

export const isParcelKey = (v: unknown): v is ParcelKey =>
  Array.isArray(v) &&
  v.length === 3 &&
  cursorPart.text()(v[0]) &&
  cursorPart.int(v[1]) &&
  cursorPart.int(v[2]);

export const parcelKey = (p: ParcelRow): ParcelKey => [p.originalCommuneCode, p.sheet, p.parcel];

const AFTER = (n: number): string =>
  `($${n}::text IS NULL OR (p.original_commune_code, p.sheet, p.parcel) > ($${n}::text, $${n + 1}::int, $${n + 2}::int))`;
const afterParams = (after: ParcelKey | null): unknown[] => (after ? [...after] : [null, null, null]);

export const parcelsByIds = (db: Queryable, ids: readonly string[]): Promise<ParcelRow[]> =>
  db.query<ParcelRow>(`SELECT ${PARCEL_COLUMNS} FROM land_parcels p WHERE p.id = ANY($1::text[])`, [ids]);

export interface ParcelListQuery {
  /** Catalogue unit id of the commune. */
  unitId: string;
  asOf: string;
  includePredecessors: boolean;
  landUseCode: string | null;
  areaMin: string | null;
  areaMax: string | null;
  after: ParcelKey | null;
  limit: number;
}

/**
 * The units whose parcels belong to each root unit: the root and, with predecessors, every unit that
 * became it through the crosswalk (transitively). A parcel of a predecessor divided between several
 * new units belongs to the one recorded on the parcel.
 */
export const UNITS_OF_ROOTS = (roots: string, withPredecessors: string): string => `
  units(root, id) AS (
    SELECT r, r FROM unnest(${roots}::text[]) AS r
    UNION
    SELECT u.root, s.from_id FROM units u JOIN admin_unit_successions s ON s.to_id = u.id
    WHERE ${withPredecessors}::boolean
  )`;
export const BELONGS = `(u.id = u.root OR p.divided_into_unit_id IS NULL OR p.divided_into_unit_id = u.root)`;
export const EXISTS_ON = (on: string): string =>
  `p.registered_on <= ${on}::date AND (p.retired_on IS NULL OR p.retired_on > ${on}::date)`;

export const findParcels = (db: Queryable, q: ParcelListQuery): Promise<ParcelRow[]> =>
  db.query<ParcelRow>(
    `WITH RECURSIVE ${UNITS_OF_ROOTS('ARRAY[$1]', '$3')}
     SELECT ${PARCEL_COLUMNS} FROM units u JOIN land_parcels p ON p.original_unit_id = u.id
     WHERE ${BELONGS} AND ${EXISTS_ON('$2')}
       AND ($4::text IS NULL OR p.land_use_code = $4)
       AND ($5::numeric IS NULL OR p.area_m2 >= $5::numeric)
       AND ($6::numeric IS NULL OR p.area_m2 <= $6::numeric)
       AND ${AFTER(7)}
     ORDER BY p.original_commune_code, p.sheet, p.parcel LIMIT $10`,
    [
      q.unitId,
      q.asOf,
      q.includePredecessors,
      q.landUseCode,
      q.areaMin,
      q.areaMax,
      ...afterParams(q.after),
      q.limit,
    ],
  );

export interface BoxQuery {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  after: ParcelKey | null;
  limit: number;
}

/** The SQL of the bounding-box query (exported so a test can EXPLAIN it). */
export const BOX_SQL = `SELECT ${PARCEL_COLUMNS} FROM land_parcels p
  WHERE p.bbox && box(point($1, $2), point($3, $4)) AND p.retired_on IS NULL AND ${AFTER(5)}
  ORDER BY p.original_commune_code, p.sheet, p.parcel LIMIT $8`;

export const boxParams = (q: BoxQuery): unknown[] => [
  q.minX,
  q.minY,
  q.maxX,
  q.maxY,
  ...afterParams(q.after),
  q.limit,
];

export const parcelsInBox = (db: Queryable, q: BoxQuery): Promise<ParcelRow[]> =>
  db.query<ParcelRow>(BOX_SQL, boxParams(q));

export const overlaysByParcelIds = (db: Queryable, ids: readonly string[]): Promise<OverlayRow[]> =>
  db.query<OverlayRow>(
    `SELECT ${OVERLAY_COLUMNS} FROM land_planning_overlays o WHERE o.parcel_id = ANY($1::text[])
     ORDER BY o.parcel_id, o.ord`,
    [ids],
  );

/** The SQL condition on certificate `c` for the caller's scope (appends its parameters); null = all. */
function readableCertificates(scope: RowScope, params: unknown[]): string | null {
  const holder = scope.kind === 'citizen' ? (params.push(scope.citizenId), `$${params.length}::text`) : null;
  return holder
    ? `EXISTS (SELECT 1 FROM land_certificate_holders h WHERE h.certificate_id = c.id AND h.id_number = ${holder})`
    : rowCondition(scope, { agency: 'c.issuing_agency_code' }, params);
}

/**
 * The certificates each change cancelled or issued that the caller may read: `key` is
 * `<changeId>|CANCELLED` or `<changeId>|ISSUED`.
 */
export function certificatesOfChanges(
  db: Queryable,
  keys: readonly string[],
  scope: RowScope,
): Promise<(CertificateRow & { key: string })[]> {
  const params: unknown[] = [keys];
  const allowed = readableCertificates(scope, params);
  return db.query(
    `SELECT cc.change_id::text || '|' || cc.role AS key, ${certificates.select('c')}
     FROM land_change_certificates cc JOIN land_certificates c ON c.id = cc.certificate_id
     WHERE cc.change_id::text || '|' || cc.role = ANY($1::text[]) ${allowed ? `AND ${allowed}` : ''}
     ORDER BY key, c.parcel_id, c.id`,
    params,
  );
}

/**
 * Certificates of each parcel that the caller may read (kit/runtime/access.ts): a certificate belongs to its
 * issuing agency and to each of its holders (a citizen reads the certificates naming their CCCD).
 */
export function certificatesByParcelIds(
  db: Queryable,
  ids: readonly string[],
  includeCancelled: boolean,
  scope: RowScope,
): Promise<CertificateRow[]> {
  const params: unknown[] = [ids, includeCancelled];
  const allowed = readableCertificates(scope, params);
  return db.query<CertificateRow>(
    `SELECT ${certificates.select('c')} FROM land_certificates c
     WHERE c.parcel_id = ANY($1::text[]) AND ($2::boolean OR c.cancelled_on IS NULL)
       ${allowed ? `AND ${allowed}` : ''}
     ORDER BY c.parcel_id, c.issue_date DESC, c.id DESC`,
    params,
  );
}

export const holdersByCertificateIds = (db: Queryable, ids: readonly number[]): Promise<HolderRow[]> =>
  db.query<HolderRow>(
    `SELECT ${holders.select('h')} FROM land_certificate_holders h WHERE h.certificate_id = ANY($1::bigint[])
     ORDER BY h.certificate_id, h.ord`,
    [ids],
  );

/** Changes each parcel took part in (either side), oldest first; `parcelId` says which parcel asked. */
export const changesByParcelIds = (
  db: Queryable,
  ids: readonly string[],
): Promise<(ChangeRow & { parcelId: string })[]> =>
  db.query(
    `SELECT DISTINCT cp.parcel_id AS "parcelId", ${changes.select('c')} FROM land_change_parcels cp
     JOIN land_changes c ON c.id = cp.change_id WHERE cp.parcel_id = ANY($1::text[])
     ORDER BY "parcelId", "changeDate", id`,
    [ids],
  );

/** Parcels on each side of each change: `key` is `<changeId>|FROM` or `<changeId>|TO`. */
export const changeSides = (
  db: Queryable,
  keys: readonly string[],
): Promise<(ParcelRow & { side: string })[]> =>
  db.query(
    `SELECT cp.change_id || '|' || cp.role AS side, ${PARCEL_COLUMNS} FROM land_change_parcels cp
     JOIN land_parcels p ON p.id = cp.parcel_id
     WHERE cp.change_id || '|' || cp.role = ANY($1::text[])
     ORDER BY side, p.original_commune_code, p.sheet, p.parcel`,
    [keys],
  );

export interface StatsQuery {
  asOf: string;
  includePredecessors: boolean;
}

/** Land statistics of many units on one date, in one statement. Units without parcels are absent. */
export const landStats = (
  db: Queryable,
  unitIds: readonly string[],
  q: StatsQuery,
): Promise<Omit<LandStatsRow, 'asOf'>[]> =>
  db.query(
    `WITH RECURSIVE ${UNITS_OF_ROOTS('$1', '$3')},
     live AS (
       SELECT u.root, p.land_use_code, p.area_m2, p.digitised_on FROM units u
       JOIN land_parcels p ON p.original_unit_id = u.id
       WHERE ${BELONGS} AND ${EXISTS_ON('$2')}
     ),
     by_use AS (
       SELECT root, land_use_code AS code, count(*)::int AS n, sum(area_m2) AS area FROM live GROUP BY root, land_use_code
     )
     SELECT t.root AS "unitId", t."parcelCount", t."digitisedCount", t."totalAreaM2",
       (SELECT json_agg(json_build_object('code', b.code, 'parcelCount', b.n, 'areaM2', b.area::text)
                        ORDER BY b.area DESC, b.code)
        FROM by_use b WHERE b.root = t.root) AS "byLandUse"
     FROM (
       SELECT root, count(*)::int AS "parcelCount",
              count(*) FILTER (WHERE digitised_on <= $2::date)::int AS "digitisedCount",
              sum(area_m2)::text AS "totalAreaM2"
       FROM live GROUP BY root
     ) t`,
    [unitIds, q.asOf, q.includePredecessors],
  );
