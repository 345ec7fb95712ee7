/**
 * Masking of personal data (fields marked `@personalData` in the SDL) until access control lets the
 * right roles see it: login times are cut to the day (Vietnam time), IP addresses keep their network part.
 */

/** `2014-03-05T01:23:45Z` → `2014-03-05` (the day in Vietnam, UTC+7). */
export const dayOf = (iso: string): string =>
  new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 10);

/** IPv4 `10.12.34.56` → `10.12.*.*`; anything else is hidden whole. */
export function maskIp(ip: string): string {
  const m = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(ip);
  return m ? `${m[1]}.${m[2]}.*.*` : '***';
}
