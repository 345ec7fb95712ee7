/**
 * Registering a land change (biến động): one transaction across parcels, certificates and history.
 * The source parcels are locked first (FOR UPDATE) and the map sheet's numbering with an advisory
 * lock, so concurrent changes neither interleave on a parcel nor allocate the same new parcel number.
 * Any error rolls everything back.
 */
import { badInput, conflict, insertOne, insertRows, notFound } from '../../../kit';
import type { Database, Queryable } from '../../../kit';
import { codeListOn, formatTenths, isLongTerm, plusYears } from '../domain';
import type { FormOfUse, HolderType, LandChangeKind } from '../domain';
import { insertParcels } from './parcelWrites';
import type { ParcelInsert } from './parcelWrites';
import type { ChangeRow, HolderRow, ParcelRow, PolygonGeometry } from './rows';
import { changeParcels, changes, holders, PARCEL_COLUMNS } from './tables';

export interface HolderInput {
  holderType: HolderType;
  fullName: string;
  birthYear: number | null;
  idNumber: string | null;
  address: string;
}

export interface ResultInput {
  parcelNumber: number | null;
  /** Tenths of m². */
  areaTenths: number;
  landUseCode: string | null;
}

export interface LandChangeInput {
  dossierCode: string;
  kind: LandChangeKind;
  date: string;
  parcelIds: string[];
  results: ResultInput[];
  landUseCode: string | null;
  newHolders: HolderInput[];
  note: string | null;
}

const tenths = (area: string): number => Math.round(Number(area) * 10);

async function lockSources(tx: Queryable, ids: string[], date: string): Promise<ParcelRow[]> {
  const rows = await tx.query<ParcelRow>(
    `SELECT ${PARCEL_COLUMNS} FROM land_parcels p WHERE p.id = ANY($1::text[]) ORDER BY p.id FOR UPDATE`,
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => {
    const p = byId.get(id);
    if (!p) throw notFound(`land parcel ${id}`);
    if (p.retiredOn) throw conflict(`land parcel ${id} was retired on ${p.retiredOn} and cannot change`);
    if (date < p.registeredOn)
      throw badInput('input.date', `is before parcel ${id} was registered (${p.registeredOn})`);
    return p;
  });
}

/** Strips of the source's bounding box, west to east, each as wide as its share of the area. */
function splitGeometry(src: ParcelRow, shares: number[]): PolygonGeometry[] {
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
const rectangle = (x0: number, y0: number, x1: number, y1: number): PolygonGeometry => ({
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

async function nextParcelNumbers(tx: Queryable, src: ParcelRow, results: ResultInput[]): Promise<number[]> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
    `land-sheet:${src.originalCommuneCode}/${src.sheet}`,
  ]);
  const [row] = await tx.query<{ max: number; taken: number[] }>(
    `SELECT coalesce(max(parcel), 0)::int AS max,
            coalesce(array_agg(parcel) FILTER (WHERE parcel = ANY($3::int[])), '{}') AS taken
     FROM land_parcels WHERE original_commune_code = $1 AND sheet = $2`,
    [src.originalCommuneCode, src.sheet, results.map((r) => r.parcelNumber).filter((n) => n !== null)],
  );
  if (row!.taken.length)
    throw conflict(
      `parcel number ${row!.taken[0]} already exists on sheet ${src.sheet} of ${src.originalCommuneCode}`,
    );
  let next = row!.max;
  return results.map((r) => r.parcelNumber ?? ++next);
}

/** Parcels merge only when the same people hold them (the merged parcel's certificate names them). */
async function sameHolders(tx: Queryable, parcelIds: string[]): Promise<void> {
  const rows = await tx.query<{ parcelId: string; holders: string }>(
    `SELECT p.id AS "parcelId", coalesce(string_agg(h.holder_type || ':' || h.full_name || ':' || coalesce(h.id_number, ''), '|'
              ORDER BY h.holder_type, h.full_name, h.id_number), '') AS holders
     FROM unnest($1::text[]) AS p(id)
     LEFT JOIN land_certificates c ON c.parcel_id = p.id AND c.cancelled_on IS NULL
     LEFT JOIN land_certificate_holders h ON h.certificate_id = c.id
     GROUP BY p.id`,
    [parcelIds],
  );
  if (new Set(rows.map((r) => r.holders)).size > 1)
    throw badInput('input.parcelIds', 'parcels merged must be held by the same holders');
}

/** The active certificates' holders of each parcel, then the certificates cancelled on `date`. */
async function cancelCertificates(tx: Queryable, parcelIds: string[], date: string): Promise<HolderRow[]> {
  const current = await tx.query<HolderRow>(
    `SELECT ${holders.select('h')} FROM land_certificate_holders h
     JOIN land_certificates c ON c.id = h.certificate_id
     WHERE c.parcel_id = ANY($1::text[]) AND c.cancelled_on IS NULL
     ORDER BY c.parcel_id, c.issue_date DESC, h.certificate_id DESC, h.ord`,
    [parcelIds],
  );
  await tx.query(
    `UPDATE land_certificates SET cancelled_on = $2 WHERE parcel_id = ANY($1::text[]) AND cancelled_on IS NULL`,
    [parcelIds, date],
  );
  const first = current[0]?.certificateId;
  return current.filter((h) => h.certificateId === first);
}

async function issueCertificate(
  tx: Queryable,
  parcelId: string,
  landUseCode: string,
  date: string,
  people: HolderInput[],
  origin: string,
  agencyCode: string,
): Promise<void> {
  if (!people.length) return;
  const form: FormOfUse = people.length > 1 ? 'SHARED' : 'PRIVATE';
  const termUntil = isLongTerm(landUseCode) ? null : plusYears(date, 50);
  const [cert] = await tx.query<{ id: number }>(
    `WITH n AS (SELECT nextval('land_issue_serials') AS n)
     INSERT INTO land_certificates (parcel_id, issue_serial, registration_number, issue_date, form_of_use, term_until, origin,
       issuing_agency_code)
     SELECT $1, 'DA ' || lpad(n::text, 6, '0'), 'CS' || lpad(n::text, 6, '0'), $2, $3, $4, $5,
       (SELECT a.code FROM agencies a WHERE a.code = $6) FROM n
     RETURNING id`,
    [parcelId, date, form, termUntil, origin, agencyCode],
  );
  await insertRows(
    tx,
    holders,
    people.map((h, ord) => ({ ...h, certificateId: cert!.id, ord })),
  );
}

function resultRow(
  src: ParcelRow,
  parcel: number,
  areaTenths: number,
  code: string,
  date: string,
  geometry: PolygonGeometry,
): ParcelInsert {
  return {
    originalCommuneCode: src.originalCommuneCode,
    sheet: src.sheet,
    parcel,
    originalUnitId: src.originalUnitId,
    dividedIntoUnitId: src.dividedIntoUnitId,
    areaM2: formatTenths(areaTenths),
    landUseCode: code,
    landUseCodeVersion: codeListOn(date),
    address: src.address,
    geometry,
    registeredOn: date,
    digitisedOn: date,
  };
}

export async function registerLandChange(db: Database, input: LandChangeInput): Promise<ChangeRow> {
  // New certificates are issued by the agency that decided the dossier (the agency part of its code).
  const issuer = input.dossierCode.slice(0, input.dossierCode.indexOf('-'));
  return db.transaction(async (tx) => {
    const sources = await lockSources(tx, input.parcelIds, input.date);
    const change = await insertOne(tx, changes, {
      kind: input.kind,
      changeDate: input.date,
      dossierCode: input.dossierCode,
      note: input.note,
    });
    let resultIds: string[] = sources.map((s) => s.id);
    if (input.kind === 'SPLIT' || input.kind === 'MERGE') {
      const src = sources[0]!;
      if (
        input.kind === 'MERGE' &&
        sources.some((s) => s.originalCommuneCode !== src.originalCommuneCode || s.sheet !== src.sheet)
      )
        throw badInput('input.parcelIds', 'parcels merged must lie on one map sheet of one commune');
      const sourceTenths = sources.reduce((sum, s) => sum + tenths(s.areaM2), 0);
      const resultTenths = input.results.reduce((sum, r) => sum + r.areaTenths, 0);
      if (resultTenths !== sourceTenths)
        throw badInput(
          'input.results',
          `areas add up to ${formatTenths(resultTenths)} m², not the ${formatTenths(sourceTenths)} m² of the source`,
        );
      const numbers = await nextParcelNumbers(tx, src, input.results);
      if (input.kind === 'MERGE') await sameHolders(tx, input.parcelIds);
      const geometries =
        input.kind === 'SPLIT'
          ? splitGeometry(
              src,
              input.results.map((r) => r.areaTenths),
            )
          : [
              rectangle(
                Math.min(...sources.map((s) => s.minX)),
                Math.min(...sources.map((s) => s.minY)),
                Math.max(...sources.map((s) => s.maxX)),
                Math.max(...sources.map((s) => s.maxY)),
              ),
            ];
      const rows = input.results.map((r, i) =>
        resultRow(
          src,
          numbers[i]!,
          r.areaTenths,
          r.landUseCode ?? src.landUseCode,
          input.date,
          geometries[i]!,
        ),
      );
      await insertParcels(tx, rows);
      await tx.query('UPDATE land_parcels SET retired_on = $2 WHERE id = ANY($1::text[])', [
        input.parcelIds,
        input.date,
      ]);
      const people = await cancelCertificates(tx, input.parcelIds, input.date);
      resultIds = rows.map((r) => `${r.originalCommuneCode}/${r.sheet}/${r.parcel}`);
      for (const r of rows)
        await issueCertificate(
          tx,
          `${r.originalCommuneCode}/${r.sheet}/${r.parcel}`,
          r.landUseCode,
          input.date,
          people,
          'RECOGNISED',
          issuer,
        );
    } else if (input.kind === 'TRANSFER') {
      for (const s of sources) {
        await cancelCertificates(tx, [s.id], input.date);
        await issueCertificate(tx, s.id, s.landUseCode, input.date, input.newHolders, 'TRANSFERRED', issuer);
      }
    } else {
      const same = sources.find((s) => s.landUseCode === input.landUseCode);
      if (same) throw badInput('input.landUseCode', `is already the land use of parcel ${same.id}`);
      await tx.query(
        'UPDATE land_parcels SET land_use_code = $2, land_use_code_version = $3 WHERE id = ANY($1::text[])',
        [input.parcelIds, input.landUseCode, codeListOn(input.date)],
      );
    }
    await insertRows(tx, changeParcels, [
      ...sources.map((s) => ({ changeId: change.id, parcelId: s.id, role: 'FROM' as const })),
      ...resultIds.map((id) => ({ changeId: change.id, parcelId: id, role: 'TO' as const })),
    ]);
    return change;
  });
}
