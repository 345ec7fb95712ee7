/** Input validation for the documents subgraph: every failure names the input field. */
import { badInput } from '../../../kit';
import { canonicalTypeCode, documentType, SIGNING_COMPETENCES } from '../numbering';

/** QCVN 102 agency codes are the catalogue's: one format check for every subgraph. */
export { parseAgencyCode as agencyCode } from '../../../kit';

import { parseText as text } from '../../../kit';

export { text };

/** A filter's type code: `CV` or null means công văn; otherwise a Decree 30 (or legacy) code. */
export function filterTypeCode(raw: string | null | undefined): string | null | undefined {
  if (raw == null) return undefined;
  const code = canonicalTypeCode(raw.normalize('NFC').trim());
  if (code === undefined) throw badInput('filter.typeCode', `"${raw}" is not a Decree 30/2020 document type`);
  return code;
}

export function issueTypeCode(raw: string | null | undefined): string | null {
  if (raw == null || raw.trim() === '' || raw.trim() === 'CV') return null;
  const code = canonicalTypeCode(raw.normalize('NFC').trim());
  if (code === undefined) documentType(raw, 'input.typeCode'); // throws the catalogued error
  return code ?? null;
}

export function unitSymbol(raw: string | null | undefined, field: string): string | null {
  const v = raw?.normalize('NFC').trim().toUpperCase();
  if (!v) return null;
  if (!/^[\p{Lu}0-9&]+(-[\p{Lu}0-9&]+)*$/u.test(v))
    throw badInput(field, `"${raw}" is not a symbol like KT or VP-TH`);
  return v;
}

export function competence(raw: string | null | undefined): string | null {
  if (raw == null || raw.trim() === '') return null;
  const v = raw.trim().toUpperCase().replace(/\.?$/, '.');
  if (!(SIGNING_COMPETENCES as readonly string[]).includes(v))
    throw badInput('input.signer.competence', `must be one of ${SIGNING_COMPETENCES.join(', ')}`);
  return v;
}

export function positiveInt(v: number | null | undefined, field: string): number | null {
  if (v == null) return null;
  if (!Number.isInteger(v) || v < 1) throw badInput(field, 'must be a positive integer');
  return v;
}
