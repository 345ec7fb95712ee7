/**
 * Masking of holders' personal data (design.md: masked in every response until access control lets
 * the right roles see it). Raw values never leave the subgraph: the LandHolder resolvers return only
 * these masked forms, and nothing here is logged.
 */

/** `Nguyễn Văn A` → `N*** V** A`: each word keeps its first letter and at most three stars. */
export function maskName(name: string): string {
  return name
    .normalize('NFC')
    .trim()
    .split(/\s+/)
    .map((word) => {
      const letters = [...word];
      return letters[0]! + '*'.repeat(Math.min(letters.length - 1, 3));
    })
    .join(' ');
}

/** `001085012345` → `*********345`: only the last 3 digits show. */
export const maskIdNumber = (id: string): string =>
  id.length <= 3 ? '*'.repeat(id.length) : `${'*'.repeat(id.length - 3)}${id.slice(-3)}`;

/** `1985` → `19**`: the century only. */
export const maskBirthYear = (year: number): string => `${String(year).slice(0, 2)}**`;

/**
 * `Số 12 ngõ 34, Tổ dân phố 5, Phường Liên Mạc, Quận Bắc Từ Liêm, Thành phố Hà Nội` →
 * `***, Phường Liên Mạc, Quận Bắc Từ Liêm, Thành phố Hà Nội`: everything below the commune is hidden.
 */
export function maskAddress(address: string): string {
  const parts = address.split(',').map((p) => p.trim());
  const commune = parts.findIndex((p) => /^(Xã|Phường|Thị trấn|Đặc khu)\s/i.test(p));
  const kept = commune >= 0 ? parts.slice(commune) : parts.slice(-2);
  return ['***', ...kept].join(', ');
}
