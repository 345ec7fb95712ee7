/**
 * Masking of personal data (Decree 13/2023: names, ID numbers, phones, addresses, birth dates, online
 * activity) — the forms a caller sees who may not see the raw values. One set of rules, so a citizen's
 * name or ID number looks the same masked wherever it appears in the graph. Which masker a field gets
 * is declared in the SDL (`@personalData(mask: …)`); kit/runtime/personal-data/protect.ts applies it.
 */

/** `Nguyễn Văn A` → `N*** V** A`: each word keeps its first letter; at most three stars hide the rest and its length. */
export function maskName(name: string): string {
  return name
    .normalize('NFC')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => {
      const letters = [...word];
      return letters[0]! + '*'.repeat(Math.min(letters.length - 1, 3));
    })
    .join(' ');
}

/** ID numbers (CCCD) and phones: only the last 3 digits, behind a fixed nine stars that hide the length. */
export const maskDigits = (value: string): string => `*********${value.replace(/\D/g, '').slice(-3)}`;

/** `1985` → `19**`: the century only. */
export const maskBirthYear = (year: number): string => `${String(year).slice(0, 2)}**`;

/**
 * `Số 12 ngõ 34, Tổ dân phố 5, Phường Liên Mạc, Quận Bắc Từ Liêm, Thành phố Hà Nội` →
 * `***, Phường Liên Mạc, Quận Bắc Từ Liêm, Thành phố Hà Nội`: everything below the commune is hidden
 * (without a recognisable commune, all but the last two parts).
 */
export function maskAddress(address: string): string {
  const parts = address.split(',').map((p) => p.trim());
  const commune = parts.findIndex((p) => /^(Xã|Phường|Thị trấn|Đặc khu)\s/i.test(p));
  const kept = commune >= 0 ? parts.slice(commune) : parts.slice(-2);
  return ['***', ...kept].join(', ');
}

/** IPv4 `10.12.34.56` → `10.12.*.*` (the network part); anything else is hidden whole. */
export function maskIp(ip: string): string {
  const m = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(ip);
  return m ? `${m[1]}.${m[2]}.*.*` : '***';
}
