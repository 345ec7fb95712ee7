/**
 * Masking of personal data (fields marked `@personalData` in the SDL) until access control lets the
 * right roles see it: every response shows only these masked forms.
 */

/** `Nguyễn Văn A` → `N*** V** A`: each word keeps its first letter; up to three stars hide the rest and its length. */
export const maskName = (name: string): string =>
  name
    .normalize('NFC')
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => {
      const chars = [...w];
      return chars[0]! + '*'.repeat(Math.min(chars.length - 1, 3));
    })
    .join(' ');

/** Identity numbers and phones: only the last 3 digits, e.g. `*********123`. */
export const maskDigits = (value: string): string => `*********${value.replace(/\D/g, '').slice(-3)}`;

/** An address keeps its administrative part (after the first comma); the house number and street are hidden. */
export function maskAddress(address: string): string {
  const comma = address.indexOf(',');
  return comma < 0 ? '***' : `***${address.slice(comma)}`;
}
