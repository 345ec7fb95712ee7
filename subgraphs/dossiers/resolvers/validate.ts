/** Input validation for the dossiers subgraph: every failure is BAD_USER_INPUT naming the input field. */
import { AGENCY_CODE_PATTERN, badInput, parseParcelId } from '../../../kit';
import type { ApplicantInput } from '../generated/graphql';

export { parseAgencyCode as agencyCode } from '../../../kit';

import { parseText as text } from '../../../kit';

export { text };

export function level(v: number | null | undefined, field: string): number | null {
  if (v == null) return null;
  if (!Number.isInteger(v) || v < 1 || v > 4)
    throw badInput(field, 'must be an online service level from 1 to 4');
  return v;
}

export function parcelId(raw: string | null | undefined, field: string): string | null {
  if (raw == null || raw.trim() === '') return null;
  const p = parseParcelId(raw.trim());
  if (!p)
    throw badInput(field, `"${raw}" is not a parcel identity like 08761/3/45 (<commune>/<sheet>/<parcel>)`);
  return `${p.originalCommuneCode}/${p.sheet}/${p.parcel}`;
}

const OFFICIAL_ID = new RegExp(`^${AGENCY_CODE_PATTERN}/[1-9]\\d{0,4}$`);

/** An officials-directory id `<agency code>/<n>`. */
export function officialId(raw: string | null | undefined, field: string): string | null {
  if (raw == null || raw.trim() === '') return null;
  const v = raw.trim().toUpperCase();
  if (!OFFICIAL_ID.test(v)) throw badInput(field, `"${raw}" is not an official id like 000.00.46.H62/3`);
  return v;
}

export function applicant(a: ApplicantInput) {
  const idNumber = a.idNumber.replace(/\s/g, '');
  if (a.kind === 'CONG_DAN' && !/^(\d{12}|\d{9})$/.test(idNumber))
    throw badInput('input.applicant.idNumber', 'must be a 12-digit CCCD (or a 9-digit old ID card number)');
  if (a.kind === 'TO_CHUC' && !/^\d{10}(\d{3})?$/.test(idNumber))
    throw badInput('input.applicant.idNumber', 'must be a 10- or 13-digit tax code');
  const phone = a.phone?.replace(/[\s.-]/g, '') || null;
  if (phone && !/^(\+84|0)\d{9,10}$/.test(phone))
    throw badInput('input.applicant.phone', 'is not a Vietnamese phone number');
  return {
    kind: a.kind,
    name: text(a.name, 'input.applicant.name', 200, true),
    idNumber,
    phone,
    address: text(a.address, 'input.applicant.address', 300),
  };
}

/** A plan's year (kế hoạch năm): 2000–2100. */
export function planYear(v: number, field: string): number {
  if (!Number.isInteger(v) || v < 2000 || v > 2100) throw badInput(field, 'must be a year from 2000 to 2100');
  return v;
}

/** How many online public services a plan aims at: 1–10,000. */
export function plannedServices(v: number, field: string): number {
  if (!Number.isInteger(v) || v < 1 || v > 10_000)
    throw badInput(field, 'must be a number of services from 1 to 10000');
  return v;
}
