/**
 * Dossier codes (Circular 01/2018/TT-VPCP art. 19): `<agency code per QCVN 102>-YYMMDD-XXXX`, the
 * receipt date and the sequence number of that agency's day, e.g. `000.00.46.H62-170314-0007`.
 */
import { AGENCY_CODE_PATTERN, badInput } from '../../kit';

export const DOSSIER_CODE = new RegExp(`^(${AGENCY_CODE_PATTERN})-(\\d{2})(\\d{2})(\\d{2})-(\\d{4})$`);
const PROCEDURE_CODE = new RegExp(`^([12]\\.\\d{6})(?:\\.(${AGENCY_CODE_PATTERN}))?$`);

export const formatDossierCode = (agencyCode: string, receiptDay: string, seq: number): string =>
  `${agencyCode}-${receiptDay.slice(2, 4)}${receiptDay.slice(5, 7)}${receiptDay.slice(8, 10)}-${String(seq).padStart(4, '0')}`;

/** A dossier code as typed by a caller (trimmed, upper-cased); BAD_USER_INPUT naming `field` otherwise. */
export function parseDossierCode(raw: string, field: string): string {
  const code = raw.trim().toUpperCase();
  const m = DOSSIER_CODE.exec(code);
  const [mm, dd, seq] = m ? [Number(m[3]), Number(m[4]), Number(m[5])] : [0, 0, 0];
  if (!m || mm < 1 || mm > 12 || dd < 1 || dd > 31 || seq < 1)
    throw badInput(
      field,
      `"${raw}" is not a dossier code like 000.00.46.H62-170314-0007 (<agency code>-YYMMDD-XXXX)`,
    );
  return code;
}

/** National (`1.000656`) or local (`1.000656.000.00.46.H62`) procedure code; BAD_USER_INPUT otherwise. */
export function parseProcedureCode(raw: string, field: string): { national: string; local: string | null } {
  const code = raw.trim().toUpperCase();
  const m = PROCEDURE_CODE.exec(code);
  if (!m) throw badInput(field, `"${raw}" is not a procedure code like 1.000656 or 1.000656.000.00.46.H62`);
  return { national: m[1]!, local: m[2] ? code : null };
}
