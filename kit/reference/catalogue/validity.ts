/**
 * Validity of catalogue entries over time, and the format of agency codes. Agencies and units exist
 * over an interval [validFrom, validTo] (validTo null = still exists); records keep what was valid on
 * their event date.
 */
import { badInput } from '../../runtime/errors';

/** Something valid over an interval: an agency or an administrative unit. */
export interface Interval {
  validFrom: string;
  validTo: string | null;
}

/** Whether `row` exists on `date` (YYYY-MM-DD). */
export const existsOn = (row: Interval, date: string): boolean =>
  row.validFrom <= date && (!row.validTo || row.validTo >= date);

/**
 * SQL condition: the row aliased `alias` is valid on the date expression `on` (a parameter such as
 * `$2`); a NULL date means "any time".
 */
export const validOn = (alias: string, on: string): string =>
  `(${on}::date IS NULL OR (${alias}.valid_from <= ${on}::date AND (${alias}.valid_to IS NULL OR ${alias}.valid_to >= ${on}::date)))`;

/**
 * A QCVN 102 agency code (`000.00.21.H26`), as a regular-expression source without anchors: the one
 * spelling of the pattern, for codes that embed an agency code (dossier codes, official ids).
 */
export const AGENCY_CODE_PATTERN = '[0-9A-Z]{3}\\.[0-9A-Z]{2}\\.[0-9A-Z]{2}\\.[A-Z][0-9A-Z]{2}';
const AGENCY_CODE = new RegExp(`^${AGENCY_CODE_PATTERN}$`);

/** A QCVN 102 agency code as typed by a caller (trimmed, upper-cased); BAD_USER_INPUT naming `field` otherwise. */
export function parseAgencyCode(raw: string, field: string): string {
  const code = raw.trim().toUpperCase();
  if (!AGENCY_CODE.test(code))
    throw badInput(field, `"${raw}" is not a QCVN 102 agency code like 000.00.00.H41`);
  return code;
}

/**
 * SQL of "this agency and its descendants on a date" for use in FROM: one row `code` per member.
 * `root` and `on` are SQL expressions (a parameter, a column of a lateral join); `on` NULL = all time.
 * Backed by the catalogue's `catalogue_agency_subtree(code, on_date)` function.
 */
export const agencySubtree = (root: string, on = 'NULL'): string =>
  `catalogue_agency_subtree(${root}, ${on}::date)`;
