/**
 * Login times as the schema shows them: cut to the day (Vietnam time). The personal-data masking of
 * login history and IP addresses is declared in the SDL (`@personalData`) and applied by the kit.
 */

/** `2014-03-05T01:23:45Z` → `2014-03-05` (the day in Vietnam, UTC+7). */
export const dayOf = (iso: string): string =>
  new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 10);
