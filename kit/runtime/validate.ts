/** Input checks every subgraph shares; each failure is BAD_USER_INPUT naming the input field. */
import { badInput } from './errors';

/** Free text from an input: NFC, trimmed; empty is null (or an error when required); at most `max` characters. */
export function parseText(raw: string | null | undefined, field: string, max: number, required: true): string;
export function parseText(
  raw: string | null | undefined,
  field: string,
  max: number,
  required?: boolean,
): string | null;
export function parseText(
  raw: string | null | undefined,
  field: string,
  max: number,
  required = false,
): string | null {
  const v = raw?.normalize('NFC').trim() ?? '';
  if (!v) {
    if (required) throw badInput(field, 'must not be empty');
    return null;
  }
  if (v.length > max) throw badInput(field, `must be at most ${max} characters`);
  return v;
}

/** A reporting period (`PeriodInput`, dates already checked by the Date scalar); BAD_USER_INPUT when from > to. */
export function parsePeriod(p: { from: string; to: string }, field = 'period'): { from: string; to: string } {
  if (p.from > p.to) throw badInput(field, `from (${p.from}) is after to (${p.to})`);
  return { from: p.from, to: p.to };
}
