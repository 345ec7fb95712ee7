/**
 * The land subgraph's domain event (kit/events, docs/events.md#landchangeregistered): a land change
 * was registered, written in the transaction of the registration. The citizens it is about are the
 * holders (with an identity number) of the certificates it cancelled and issued: the parcel's holders
 * before and after.
 */
import { emitEvent } from '../../../kit';
import type { Queryable } from '../../../kit';
import type { CertificateRef } from './certificateWrites';

export interface RegisteredChangeFacts {
  id: number;
  kind: string;
  date: string;
  dossierCode: string;
  fromParcelIds: string[];
  toParcelIds: string[];
  cancelled: CertificateRef[];
  issued: CertificateRef[];
  /** The acting agency, which issued the new certificates. */
  agencyCode: string;
}

export async function emitLandChangeRegistered(tx: Queryable, c: RegisteredChangeFacts): Promise<string> {
  const holders = await tx.query<{ idNumber: string }>(
    `SELECT DISTINCT id_number AS "idNumber" FROM land_certificate_holders
     WHERE certificate_id = ANY($1::bigint[]) AND id_number IS NOT NULL ORDER BY 1`,
    [[...c.cancelled, ...c.issued].map((x) => x.id)],
  );
  return emitEvent(tx, {
    type: 'LandChangeRegistered',
    entity: { typename: 'LandChange', key: { id: String(c.id) } },
    agencyCode: c.agencyCode,
    citizenIds: holders.map((h) => h.idNumber),
    data: {
      id: String(c.id),
      kind: c.kind,
      date: c.date,
      dossierCode: c.dossierCode,
      fromParcelIds: c.fromParcelIds,
      toParcelIds: c.toParcelIds,
      cancelledCertificateIds: c.cancelled.map((x) => String(x.id)),
      issuedCertificateIds: c.issued.map((x) => String(x.id)),
    },
  });
}
