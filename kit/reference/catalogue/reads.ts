/**
 * Reads of the reference catalogue. Functions take arrays of keys so loaders can batch them; rows come
 * back in the camelCase shape of the table declarations.
 */
import type { Queryable } from '../../runtime/db';
import { adminUnits, agencies, unitSuccessions } from './tables';
import type { AgencyRow, SuccessionRow, UnitRow } from './tables';
import { validOn } from './validity';

const AGENCY = agencies.select('a');
const UNIT = adminUnits.select('u');
const SUCCESSION = unitSuccessions.select('s');

export const agenciesByCodes = (db: Queryable, codes: readonly string[]): Promise<AgencyRow[]> =>
  db.query<AgencyRow>(`SELECT ${AGENCY} FROM agencies a WHERE a.code = ANY($1::text[])`, [codes]);

/** Children of each agency valid on `asOf` (null = every child ever), by code. */
export const agenciesByParents = (
  db: Queryable,
  parents: readonly string[],
  asOf: string | null,
): Promise<AgencyRow[]> =>
  db.query<AgencyRow>(
    `SELECT ${AGENCY} FROM agencies a WHERE a.parent_code = ANY($1::text[]) AND ${validOn('a', '$2')}
     ORDER BY a.code`,
    [parents, asOf],
  );

/** The people's committees governing each unit (departments excluded), by code. */
export const agenciesByUnits = (db: Queryable, unitIds: readonly string[]): Promise<AgencyRow[]> =>
  db.query<AgencyRow>(
    `SELECT ${AGENCY} FROM agencies a WHERE a.unit_id = ANY($1::text[]) AND a.level <> 'DEPARTMENT'
     ORDER BY a.code`,
    [unitIds],
  );

export interface AgencyListQuery {
  level?: string | null;
  parentCode?: string | null;
  asOf?: string | null;
  /** Keyset: codes after this one. */
  after: string | null;
  limit: number;
}

export const listAgencies = (db: Queryable, q: AgencyListQuery): Promise<AgencyRow[]> =>
  db.query<AgencyRow>(
    `SELECT ${AGENCY} FROM agencies a
     WHERE ($1::text IS NULL OR a.level = $1) AND ($2::text IS NULL OR a.parent_code = $2)
       AND ${validOn('a', '$3')} AND ($4::text IS NULL OR a.code > $4)
     ORDER BY a.code LIMIT $5`,
    [q.level ?? null, q.parentCode ?? null, q.asOf ?? null, q.after, q.limit],
  );

export const unitsByIds = (db: Queryable, ids: readonly string[]): Promise<UnitRow[]> =>
  db.query<UnitRow>(`SELECT ${UNIT} FROM admin_units u WHERE u.id = ANY($1::text[])`, [ids]);

/** The unit valid on `asOf` for each statistics-office code (codes are reused across 2025). */
export const unitsByCodesOn = (db: Queryable, codes: readonly string[], asOf: string): Promise<UnitRow[]> =>
  db.query<UnitRow>(
    `SELECT ${UNIT} FROM admin_units u WHERE u.code = ANY($1::text[]) AND ${validOn('u', '$2')} ORDER BY u.code`,
    [codes, asOf],
  );

export const unitsByParents = (
  db: Queryable,
  parents: readonly string[],
  asOf: string | null,
): Promise<UnitRow[]> =>
  db.query<UnitRow>(
    `SELECT ${UNIT} FROM admin_units u WHERE u.parent_id = ANY($1::text[]) AND ${validOn('u', '$2')}
     ORDER BY u.code`,
    [parents, asOf],
  );

export const listUnits = (
  db: Queryable,
  q: { level?: number | null; parentId?: string | null; asOf: string },
): Promise<UnitRow[]> =>
  db.query<UnitRow>(
    `SELECT ${UNIT} FROM admin_units u
     WHERE ($1::int IS NULL OR u.level = $1) AND ($2::text IS NULL OR u.parent_id = $2) AND ${validOn('u', '$3')}
     ORDER BY u.level, u.code LIMIT 5000`,
    [q.level ?? null, q.parentId ?? null, q.asOf],
  );

/** An (agency, date) pair: which unit did the agency govern on that date? */
export interface AgencyOn {
  agencyCode: string;
  date: string;
}

/** The unit each agency governed on each date, for many pairs in one query; `pair` is `<code>|<date>`. */
export const unitsGovernedOn = (
  db: Queryable,
  pairs: readonly AgencyOn[],
): Promise<(UnitRow & { pair: string })[]> =>
  db.query(
    `SELECT k.code || '|' || k.d AS pair, ${UNIT}
     FROM unnest($1::text[], $2::date[]) AS k(code, d)
     JOIN agency_units au ON au.agency_code = k.code AND au.valid_from <= k.d AND (au.valid_to IS NULL OR au.valid_to >= k.d)
     JOIN admin_units u ON u.id = au.unit_id`,
    [pairs.map((p) => p.agencyCode), pairs.map((p) => p.date)],
  );

export const successionsFrom = (db: Queryable, ids: readonly string[]): Promise<SuccessionRow[]> =>
  db.query<SuccessionRow>(
    `SELECT ${SUCCESSION} FROM admin_unit_successions s WHERE s.from_id = ANY($1::text[]) ORDER BY s.from_id, s.to_id`,
    [ids],
  );

export const successionsTo = (db: Queryable, ids: readonly string[]): Promise<SuccessionRow[]> =>
  db.query<SuccessionRow>(
    `SELECT ${SUCCESSION} FROM admin_unit_successions s WHERE s.to_id = ANY($1::text[]) ORDER BY s.to_id, s.from_id`,
    [ids],
  );

/**
 * The units covering each given unit on `asOf`, following successions transitively (one query for
 * all of them). Returns (start id, covering unit) pairs.
 */
export const currentUnits = (
  db: Queryable,
  ids: readonly string[],
  asOf: string,
): Promise<(UnitRow & { startId: string })[]> =>
  db.query(
    `WITH RECURSIVE chain(start_id, id, depth) AS (
       SELECT id, id, 0 FROM admin_units WHERE id = ANY($1::text[])
       UNION
       SELECT c.start_id, s.to_id, c.depth + 1 FROM chain c
       JOIN admin_unit_successions s ON s.from_id = c.id
       WHERE s.effective_date <= $2::date AND c.depth < 10
     )
     SELECT DISTINCT c.start_id AS "startId", ${UNIT}
     FROM chain c JOIN admin_units u ON u.id = c.id
     WHERE u.valid_from <= $2::date AND (u.valid_to IS NULL OR u.valid_to >= $2::date)
     ORDER BY "startId", u.code`,
    [ids, asOf],
  );
