/**
 * Reads of the dossiers subgraph. Functions take arrays of keys so loaders can batch them; dossiers are
 * read through `dossier_view` (timeliness derived there). Rows come back camelCase (kit/runtime/table.ts).
 */
import { agencySubtree, cursorPart, rowCondition } from '../../../kit';
import type { Queryable, RowScope } from '../../../kit';
import type { DossierStatus, Timeliness } from '../generated/graphql';
import {
  dossierApologies,
  dossierSteps,
  dossierSupplements,
  dossierView,
  procedureOnlineService,
  procedures,
} from './tables';
import type {
  ApologyRow,
  DossierRow,
  OnlineServiceRow,
  ProcedureRow,
  StepRow,
  SupplementRow,
} from './tables';

const DOSSIER = dossierView.select('d');
const PROCEDURE = procedures.select('p');

export const proceduresByCodes = (db: Queryable, codes: readonly string[]): Promise<ProcedureRow[]> =>
  db.query(`SELECT ${PROCEDURE} FROM procedures p WHERE p.code = ANY($1::text[])`, [codes]);

/** Whether agency `agencyCode`'s procedure `nationalCode` is a land procedure; null when it does not carry it out. */
export async function isLandProcedure(
  db: Queryable,
  agencyCode: string,
  nationalCode: string,
): Promise<boolean | null> {
  const [row] = await db.query<{ land: boolean }>(
    `SELECT land_related AS land FROM procedures WHERE agency_code = $1 AND national_code = $2`,
    [agencyCode, nationalCode],
  );
  return row ? row.land : null;
}

export const onlineServiceByProcedures = (
  db: Queryable,
  codes: readonly string[],
): Promise<OnlineServiceRow[]> =>
  db.query(
    `SELECT ${procedureOnlineService.select('s')} FROM procedure_online_service s
     WHERE s.procedure_code = ANY($1::text[]) ORDER BY s.procedure_code, s.valid_from`,
    [codes],
  );

/**
 * Dossiers by code, in two steps: the codes' instants of receipt from `dossier_keys` (one unique index),
 * then the dossiers with those instants as constants, so that PostgreSQL plans the one partition of each
 * year (migration 006). `WHERE d.code = ANY(…)` alone plans and probes every year's partition: 1.7 ms of
 * planning at 16 partitions against 0.2 (docs/database.md "Partitioning by year").
 */
export async function dossiersByCodes(db: Queryable, codes: readonly string[]): Promise<DossierRow[]> {
  // As text: the instant to the microsecond, which a JavaScript Date would round to the millisecond.
  const keys = await db.query<{ at: string }>(
    `SELECT DISTINCT received_at::text AS at FROM dossier_keys WHERE code = ANY($1::text[])`,
    [codes],
  );
  if (!keys.length) return [];
  return db.query(
    `SELECT ${DOSSIER} FROM dossier_view d WHERE d.code = ANY($1::text[]) AND d.received_at = ANY($2::timestamptz[])`,
    [codes, keys.map((k) => k.at)],
  );
}

export const stepsByDossiers = (db: Queryable, ids: readonly number[]): Promise<StepRow[]> =>
  db.query(
    `SELECT ${dossierSteps.select('s')} FROM dossier_steps s WHERE s.dossier_id = ANY($1::bigint[]) ORDER BY s.dossier_id, s.seq`,
    [ids],
  );

export const supplementsByDossiers = (db: Queryable, ids: readonly number[]): Promise<SupplementRow[]> =>
  db.query(
    `SELECT ${dossierSupplements.select('s')} FROM dossier_supplements s WHERE s.dossier_id = ANY($1::bigint[]) ORDER BY s.dossier_id, s.seq`,
    [ids],
  );

export const apologiesByDossiers = (db: Queryable, ids: readonly number[]): Promise<ApologyRow[]> =>
  db.query(
    `SELECT ${dossierApologies.select('s')} FROM dossier_apologies s WHERE s.dossier_id = ANY($1::bigint[]) ORDER BY s.dossier_id, s.seq`,
    [ids],
  );

/** Keyset position in (received_at DESC, id DESC) order. */
export type DossierKey = [receivedAt: string, id: number];
export const isDossierKey = (v: unknown): v is DossierKey =>
  Array.isArray(v) && v.length === 2 && cursorPart.instant(v[0]) && cursorPart.id(v[1]);
export const dossierKey = (d: DossierRow): DossierKey => [d.receivedAt, d.id];

export interface DossierFilter {
  agencyCode?: string | null;
  includeSubordinates?: boolean;
  procedureCode?: string | null;
  nationalProcedureCode?: string | null;
  status?: DossierStatus | null;
  receivedFrom?: string | null;
  receivedTo?: string | null;
  finishedFrom?: string | null;
  finishedTo?: string | null;
  timeliness?: Timeliness | null;
}

/** The columns access rules read: a dossier belongs to its receiving agency and to its applicant. */
export const DOSSIER_OWNER = { agency: 'd.agency_code', citizen: 'd.applicant_id_number' };

export interface DossierQuery {
  filter: DossierFilter;
  /** The rows the caller may read (kit/runtime/access.ts). */
  scope: RowScope;
  after: DossierKey | null;
  limit: number;
}

export async function findDossiers(db: Queryable, q: DossierQuery): Promise<DossierRow[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  const add = (sql: (p: string) => string, v: unknown): void => {
    params.push(v);
    where.push(sql(`$${params.length}`));
  };
  const f = q.filter;
  const allowed = rowCondition(q.scope, DOSSIER_OWNER, params);
  if (allowed) where.push(allowed);
  if (f.agencyCode)
    add(
      (p) =>
        f.includeSubordinates
          ? `d.agency_code IN (SELECT s FROM ${agencySubtree(p)} AS s)`
          : `d.agency_code = ${p}`,
      f.agencyCode,
    );
  if (f.procedureCode) add((p) => `d.procedure_code = ${p}`, f.procedureCode);
  if (f.nationalProcedureCode) add((p) => `d.procedure_code LIKE ${p} || '.%'`, f.nationalProcedureCode);
  if (f.status) add((p) => `d.status = ${p}`, f.status);
  if (f.receivedFrom) add((p) => `d.received_at >= ${p}::date`, f.receivedFrom);
  if (f.receivedTo) add((p) => `d.received_at < ${p}::date + 1`, f.receivedTo);
  if (f.finishedFrom) add((p) => `d.finished_at >= ${p}::date`, f.finishedFrom);
  if (f.finishedTo) add((p) => `d.finished_at < ${p}::date + 1`, f.finishedTo);
  if (f.timeliness) add((p) => `d.timeliness = ${p}`, f.timeliness);
  if (q.after) {
    params.push(q.after[0], q.after[1]);
    where.push(`(d.received_at, d.id) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`);
  }
  params.push(q.limit);
  return db.query(
    `SELECT ${DOSSIER} FROM dossier_view d ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY d.received_at DESC, d.id DESC LIMIT $${params.length}`,
    params,
  );
}

/** The same page of dossiers for many parcels, of those the caller may read: one query. */
export function dossiersOfParcels(
  db: Queryable,
  parcelIds: readonly string[],
  page: { after: DossierKey | null; limit: number; scope: RowScope },
): Promise<DossierRow[]> {
  const params: unknown[] = [parcelIds, page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit];
  const allowed = rowCondition(page.scope, DOSSIER_OWNER, params);
  return db.query(
    `SELECT ${DOSSIER} FROM unnest($1::text[]) AS k(parcel_id)
     CROSS JOIN LATERAL (
       SELECT * FROM dossier_view d WHERE d.parcel_id = k.parcel_id
         AND ($2::timestamptz IS NULL OR (d.received_at, d.id) < ($2::timestamptz, $3::bigint))
         ${allowed ? `AND ${allowed}` : ''}
       ORDER BY d.received_at DESC, d.id DESC LIMIT $4
     ) d`,
    params,
  );
}

export interface ProcedureFilter {
  nationalCode?: string | null;
  fieldCode?: string | null;
  onlineLevel?: number | null;
  minOnlineLevel?: number | null;
  /** The period the level filters look at (default: today). */
  from: string;
  to: string;
}

/**
 * Procedures of many agencies (null = every agency) matching a filter, by code. A level filter holds
 * when the procedure's level (or the level its Decree 42 scope stands for: TOAN_TRINH 4, MOT_PHAN 3,
 * KHONG 2) meets it at some time in the period: on its first day, or from a change within it.
 */
function procedureSql(
  agencyCodes: readonly string[] | null,
  f: ProcedureFilter,
  page: { after: string | null; limit: number | null },
): [string, unknown[]] {
  return [
    `WITH levels AS (
       SELECT s.procedure_code, s.valid_from,
         coalesce(CASE s.online_scope WHEN 'TOAN_TRINH' THEN 4 WHEN 'MOT_PHAN' THEN 3 WHEN 'KHONG' THEN 2 END, s.online_level) AS level,
         lead(s.valid_from) OVER (PARTITION BY s.procedure_code ORDER BY s.valid_from) AS next_from
       FROM procedure_online_service s
     )
     SELECT ${PROCEDURE} FROM procedures p
     WHERE ($1::text[] IS NULL OR p.agency_code = ANY($1::text[]))
       AND ($2::text IS NULL OR p.national_code = $2) AND ($3::text IS NULL OR p.field_code = $3)
       AND ($4::int IS NULL AND $5::int IS NULL OR EXISTS (
         SELECT 1 FROM levels l WHERE l.procedure_code = p.code
           AND l.valid_from <= $7::date AND (l.next_from IS NULL OR l.next_from > $6::date)
           AND ($4::int IS NULL OR l.level = $4) AND ($5::int IS NULL OR l.level >= $5)))
       AND ($8::text IS NULL OR p.code > $8)
     ORDER BY p.code LIMIT $9`,
    [
      agencyCodes,
      f.nationalCode ?? null,
      f.fieldCode ?? null,
      f.onlineLevel ?? null,
      f.minOnlineLevel ?? null,
      f.from,
      f.to,
      page.after,
      page.limit,
    ],
  ];
}

/**
 * Procedures of many agencies (null = every agency) matching a filter, by code. A level filter holds
 * when the procedure's level (or the level its Decree 42 scope stands for: TOAN_TRINH 4, MOT_PHAN 3,
 * KHONG 2) meets it at some time in the period: on its first day, or from a change within it.
 */
export function findProcedures(
  db: Queryable,
  agencyCodes: readonly string[] | null,
  f: ProcedureFilter,
  page: { after: string | null; limit: number | null },
): Promise<ProcedureRow[]> {
  const [sql, params] = procedureSql(agencyCodes, f, page);
  return db.query(sql, params);
}

/** How many procedures match (every page). */
export async function countProcedures(
  db: Queryable,
  agencyCodes: readonly string[] | null,
  f: ProcedureFilter,
): Promise<number> {
  const [sql, params] = procedureSql(agencyCodes, f, { after: null, limit: null });
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) x`, params);
  return row!.n;
}
