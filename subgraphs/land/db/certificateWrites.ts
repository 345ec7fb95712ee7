/**
 * Certificates a land change cancels and issues, inside its transaction. Each is linked to the change
 * (land_change_certificates), so the change cites the victim's certificates as well as the new ones.
 */
import { insertRows } from '../../../kit';
import type { Queryable } from '../../../kit';
import { isLongTerm, plusYears } from '../domain';
import type { FormOfUse, HolderType } from '../domain';
import type { HolderRow } from './rows';
import { holders } from './tables';

export interface HolderInput {
  holderType: HolderType;
  fullName: string;
  birthYear: number | null;
  idNumber: string | null;
  address: string;
}

/** A certificate a change cancelled or issued, as its audit entry cites it. */
export interface CertificateRef {
  id: number;
  issueSerial: string;
  parcelId: string;
}

/**
 * Cancels the valid certificates of the parcels on `date`. Resolves to the holders of the first
 * parcel's newest one (a merge's parcels have the same holders) and the certificates cancelled.
 */
export async function cancelCertificates(
  tx: Queryable,
  parcelIds: string[],
  date: string,
): Promise<{ people: HolderRow[]; cancelled: CertificateRef[] }> {
  const current = await tx.query<HolderRow>(
    `SELECT ${holders.select('h')} FROM land_certificate_holders h
     JOIN land_certificates c ON c.id = h.certificate_id
     WHERE c.parcel_id = ANY($1::text[]) AND c.cancelled_on IS NULL
     ORDER BY c.parcel_id, c.issue_date DESC, h.certificate_id DESC, h.ord`,
    [parcelIds],
  );
  const cancelled = await tx.query<CertificateRef>(
    `UPDATE land_certificates SET cancelled_on = $2 WHERE parcel_id = ANY($1::text[]) AND cancelled_on IS NULL
     RETURNING id::int AS id, issue_serial AS "issueSerial", parcel_id AS "parcelId"`,
    [parcelIds, date],
  );
  const first = current[0]?.certificateId;
  return { people: current.filter((h) => h.certificateId === first), cancelled };
}

/** Issues a certificate for `people` (none: nothing issued, null). */
export async function issueCertificate(
  tx: Queryable,
  parcelId: string,
  landUseCode: string,
  date: string,
  people: HolderInput[],
  origin: string,
  agencyCode: string,
): Promise<CertificateRef | null> {
  if (!people.length) return null;
  const form: FormOfUse = people.length > 1 ? 'SHARED' : 'PRIVATE';
  const termUntil = isLongTerm(landUseCode) ? null : plusYears(date, 50);
  const [cert] = await tx.query<CertificateRef>(
    `WITH n AS (SELECT nextval('land_issue_serials') AS n)
     INSERT INTO land_certificates (parcel_id, issue_serial, registration_number, issue_date, form_of_use, term_until, origin,
       issuing_agency_code)
     SELECT $1, 'DA ' || lpad(n::text, 6, '0'), 'CS' || lpad(n::text, 6, '0'), $2, $3, $4, $5,
       (SELECT a.code FROM agencies a WHERE a.code = $6) FROM n
     RETURNING id::int AS id, issue_serial AS "issueSerial", parcel_id AS "parcelId"`,
    [parcelId, date, form, termUntil, origin, agencyCode],
  );
  await insertRows(
    tx,
    holders,
    people.map((h, ord) => ({ ...h, certificateId: cert!.id, ord })),
  );
  return cert!;
}

/** Links the certificates a change cancelled and issued to it. */
export async function linkCertificates(
  tx: Queryable,
  changeId: number,
  cancelled: readonly CertificateRef[],
  issued: readonly CertificateRef[],
): Promise<void> {
  const rows = [
    ...cancelled.map((c) => ({ id: c.id, role: 'CANCELLED' })),
    ...issued.map((c) => ({ id: c.id, role: 'ISSUED' })),
  ];
  if (!rows.length) return;
  await tx.query(
    `INSERT INTO land_change_certificates (change_id, certificate_id, role)
     SELECT $1, x.id, x.role FROM unnest($2::bigint[], $3::text[]) AS x(id, role)`,
    [changeId, rows.map((r) => r.id), rows.map((r) => r.role)],
  );
}
