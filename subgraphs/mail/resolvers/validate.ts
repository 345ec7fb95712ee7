/** Input validation for the mail subgraph: every failure is BAD_USER_INPUT naming the input field. */
import { badInput, parseAgencyCode } from '../../../kit';

export { parseAgencyCode as agencyCode } from '../../../kit';

/** An officials-directory id `<agency code>/<n>`. */
export function officialId(raw: string, field: string): string {
  const slash = raw.trim().lastIndexOf('/');
  const n = Number(raw.trim().slice(slash + 1));
  if (slash < 0 || !Number.isSafeInteger(n) || n < 1)
    throw badInput(field, `"${raw}" is not an official id like 000.00.00.H26/1 (<agency code>/<n>)`);
  return `${parseAgencyCode(raw.trim().slice(0, slash), field)}/${n}`;
}

/** A mailbox address as typed (trimmed, lower-cased). */
export function address(raw: string, field: string): string {
  const a = raw.trim().toLowerCase();
  if (!/^[a-z0-9.]+@[a-z0-9.]+\.[a-z]+$/.test(a) || a.length > 120)
    throw badInput(field, `"${raw}" is not a mailbox address like nguyenvanan@hanoi.gov.vn`);
  return a;
}

export function windowDays(v: number | null | undefined, field: string): number {
  const d = v ?? 7;
  if (!Number.isInteger(d) || d < 1 || d > 366)
    throw badInput(field, 'must be a number of days from 1 to 366');
  return d;
}

export function count(v: number | null | undefined, field: string, max: number, dflt: number): number {
  const n = v ?? dflt;
  if (!Number.isInteger(n) || n < 0 || n > max) throw badInput(field, `must be an integer from 0 to ${max}`);
  return n;
}
