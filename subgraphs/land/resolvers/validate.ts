/** Validation of the identities callers type: a malformed one is BAD_USER_INPUT naming the field. */
import { AGENCY_CODE_PATTERN, badInput, parseParcelId } from '../../../kit';

/** A parcel id `<5-digit commune>/<sheet>/<parcel>`, canonical (no leading zeros in numbers). */
export function parcelIdentity(raw: string, field: string): string {
  const p = parseParcelId(raw.trim());
  if (!p)
    throw badInput(
      field,
      `"${raw}" is not a parcel id <originalCommuneCode>/<sheet>/<parcel> like 00598/12/345`,
    );
  return `${p.originalCommuneCode}/${p.sheet}/${p.parcel}`;
}

/** A 5-digit commune code (statistics office). */
export function communeCode(raw: string, field: string): string {
  const code = raw.trim();
  if (!/^\d{5}$/.test(code)) throw badInput(field, `"${raw}" is not a 5-digit commune code like 00598`);
  return code;
}

export function sheetOrParcel(n: number, field: string, max: number): number {
  if (!Number.isInteger(n) || n < 1 || n > max) throw badInput(field, `must be an integer from 1 to ${max}`);
  return n;
}

const DOSSIER_CODE = new RegExp(`^${AGENCY_CODE_PATTERN}-\\d{6}-\\d{4}$`);

/** A one-stop dossier code `<agencyCode>-YYMMDD-XXXX`, e.g. `000.00.21.H26-170315-0007`. */
export function dossierCode(raw: string, field: string): string {
  const code = raw.trim().toUpperCase();
  if (!DOSSIER_CODE.test(code))
    throw badInput(
      field,
      `"${raw}" is not a dossier code <agencyCode>-YYMMDD-XXXX like 000.00.21.H26-170315-0007`,
    );
  return code;
}
