/** The land seed's rows in memory, the commune each is generated for, and issuing a certificate. */
import type { AdminUnitSeed, AgencySeed, RowOf } from '../../../kit';
import type { Prng } from '../../../kit/synthetic';
import type { HolderInput } from '../db/changes';
import type { ParcelInsert } from '../db/parcelWrites';
import type { certificates, changeParcels, changes, planningOverlays } from '../db/tables';
import { isLongTerm, plusYears } from '../domain';
import type { LandOrigin } from '../domain';
import * as vocab from './vocabulary';

export interface CommuneContext {
  unit: AdminUnitSeed;
  unitId: string;
  district: AdminUnitSeed;
  province: AdminUnitSeed;
  /** The district's people's committee: issues certificates, receives land dossiers. */
  districtAgency: AgencySeed | null;
  origin: [number, number];
  /** New units an old commune divided between several was split into (empty otherwise). */
  dividedInto: string[];
}

type Insert<T> = Omit<RowOf<T>, 'id'> & { id: number };

export class LandRows {
  parcels: ParcelInsert[] = [];
  overlays: (RowOf<typeof planningOverlays> & { areaM2: string })[] = [];
  certificates: Insert<typeof certificates>[] = [];
  holders: (HolderInput & { certificateId: number; ord: number })[] = [];
  changes: Insert<typeof changes>[] = [];
  changeParcels: RowOf<typeof changeParcels>[] = [];
  /** Issue serials run on over the whole seed; registration numbers per commune. */
  serial = 0;
}

/** Issues a certificate for a parcel to `people`; returns its id. */
export function issue(
  rows: LandRows,
  rng: Prng,
  c: CommuneContext,
  registration: number,
  parcelId: string,
  use: string,
  issued: string,
  people: HolderInput[],
  origin: LandOrigin,
): number {
  const id = rows.certificates.length + 1;
  const year = Number(issued.slice(0, 4));
  const agency = c.districtAgency && issued >= c.districtAgency.validFrom ? c.districtAgency.code : null;
  const individual = people[0]!.holderType === 'CNV';
  rows.certificates.push({
    id,
    parcelId,
    issueSerial: `${rng.pick(vocab.serialLetters(year))} ${String(100000 + rows.serial++).padStart(6, '0')}`,
    registrationNumber: `${year < 2014 ? 'CH' : individual ? 'CS' : 'CT'}${String(registration).padStart(5, '0')}`,
    issueDate: issued,
    issuingAgencyCode: agency,
    formOfUse: people.length > 1 ? 'SHARED' : 'PRIVATE',
    termUntil:
      isLongTerm(use) || !individual ? null : issued < '2014-07-01' ? '2043-10-15' : plusYears(issued, 50),
    origin,
    cancelledOn: null,
  });
  people.forEach((h, ord) => rows.holders.push({ ...h, certificateId: id, ord }));
  return id;
}
