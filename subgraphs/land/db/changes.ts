/**
 * Registering a land change (biến động): one transaction across parcels, certificates and history.
 * The source parcels are locked first (FOR UPDATE) and the map sheet's numbering with an advisory
 * lock, so concurrent changes neither interleave on a parcel nor allocate the same new parcel number.
 * Any error rolls everything back.
 */
import { badInput, conflict, insertOne, insertRows, notFound } from '../../../kit';
import type { Database, Queryable } from '../../../kit';
import { codeListOn, formatTenths } from '../domain';
import type { LandChangeKind } from '../domain';
import { cancelCertificates, issueCertificate, linkCertificates } from './certificateWrites';
import type { CertificateRef, HolderInput } from './certificateWrites';
import { requireInOrder, requireUnusedDossier } from './changeGuards';
import { emitLandChangeRegistered } from './events';
import { rectangle, splitGeometry } from './geometry';
import { insertParcels } from './parcelWrites';
import type { ParcelInsert } from './parcelWrites';
import type { ChangeRow, ParcelRow, PolygonGeometry } from './rows';
import { changeParcels, changes, PARCEL_COLUMNS } from './tables';

export type { CertificateRef, HolderInput } from './certificateWrites';

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

async function lockSources(tx: Queryable, ids: string[]): Promise<ParcelRow[]> {
  const rows = await tx.query<ParcelRow>(
    `SELECT ${PARCEL_COLUMNS} FROM land_parcels p WHERE p.id = ANY($1::text[]) ORDER BY p.id FOR UPDATE`,
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => {
    const p = byId.get(id);
    if (!p) throw notFound(`land parcel ${id}`);
    if (p.retiredOn) throw conflict(`land parcel ${id} was retired on ${p.retiredOn} and cannot change`);
    return p;
  });
}

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

/** A registered change, with the certificates it cancelled and issued (for its audit entry). */
export type RegisteredChange = ChangeRow & { cancelled: CertificateRef[]; issued: CertificateRef[] };

/**
 * Registers the change in one transaction. The caller has checked its jurisdiction (resolvers/
 * jurisdiction.ts); `issuer` is the acting agency, which issues the new certificates.
 */
export async function registerLandChange(
  db: Database,
  input: LandChangeInput,
  issuer: string,
): Promise<RegisteredChange> {
  return db.transaction(async (tx) => {
    const sources = await lockSources(tx, input.parcelIds);
    await requireInOrder(tx, sources, input.date);
    await requireUnusedDossier(tx, input.dossierCode);
    const change = await insertOne(tx, changes, {
      kind: input.kind,
      changeDate: input.date,
      dossierCode: input.dossierCode,
      note: input.note,
    });
    const cancelled: CertificateRef[] = [];
    const issued: CertificateRef[] = [];
    const issue = async (parcelId: string, landUseCode: string, people: HolderInput[], origin: string) => {
      const cert = await issueCertificate(tx, parcelId, landUseCode, input.date, people, origin, issuer);
      if (cert) issued.push(cert);
    };
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
      const old = await cancelCertificates(tx, input.parcelIds, input.date);
      cancelled.push(...old.cancelled);
      resultIds = rows.map((r) => `${r.originalCommuneCode}/${r.sheet}/${r.parcel}`);
      for (const r of rows)
        await issue(
          `${r.originalCommuneCode}/${r.sheet}/${r.parcel}`,
          r.landUseCode,
          old.people,
          'RECOGNISED',
        );
    } else if (input.kind === 'TRANSFER') {
      for (const s of sources) {
        cancelled.push(...(await cancelCertificates(tx, [s.id], input.date)).cancelled);
        await issue(s.id, s.landUseCode, input.newHolders, 'TRANSFERRED');
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
    await linkCertificates(tx, change.id, cancelled, issued);
    await emitLandChangeRegistered(tx, {
      id: change.id,
      kind: input.kind,
      date: input.date,
      dossierCode: input.dossierCode,
      fromParcelIds: sources.map((s) => s.id),
      toParcelIds: resultIds,
      cancelled,
      issued,
      agencyCode: issuer,
    });
    return { ...change, cancelled, issued };
  });
}
