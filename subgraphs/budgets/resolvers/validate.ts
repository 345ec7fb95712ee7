/** Input validation for the budgets subgraph: every failure is BAD_USER_INPUT naming the input field. */
import { badInput, parseAgencyCode, parseIntId, parseText } from '../../../kit';

export { parseAgencyCode as agencyCode };

export function year(raw: number, field: string): number {
  if (!Number.isInteger(raw) || raw < 2000 || raw > 2100)
    throw badInput(field, `${raw} is not a fiscal year (2000–2100)`);
  return raw;
}

export function digits(raw: string, n: number, field: string, what: string): string {
  const v = raw.trim();
  if (!new RegExp(`^\\d{${n}}$`).test(v)) throw badInput(field, `"${raw}" is not a ${what} (${n} digits)`);
  return v;
}

export function chapter(raw: string, field: string): string {
  const v = digits(raw, 3, field, 'chapter code');
  if (v === '000' || v > '989') throw badInput(field, `chapter ${v} is outside 001–989`);
  return v;
}

export const lineId = (raw: string, field = 'input.lineId'): number => parseIntId(raw, field);

export function amount(raw: bigint, field = 'input.amount'): bigint {
  if (raw === 0n) throw badInput(field, 'must not be zero');
  return raw;
}

export const note = (raw: string | null | undefined, field: string, required: boolean): string | null =>
  parseText(raw, field, 500, required);
