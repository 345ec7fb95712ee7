/**
 * Vietnamese text normalisation for search (domain guide §8).
 *
 * Vietnamese is written in syllables separated by spaces, so both keys are syllable sequences: runs of
 * letters and digits joined by single spaces, with anything else (punctuation such as `/ - , ( ) "`)
 * acting as a separator. `125/QĐ-UBND` gives the syllables `125 qđ ubnd`.
 * - `exactKey`: NFC, lower case, tone marks moved to one canonical placement (old style: hòa, thủy,
 *   khỏe), so that `Hoà`/`Hòa` and `Thuỷ`/`Thủy` compare equal while other diacritics still matter.
 * - `foldKey`: accent-insensitive key: all combining marks stripped and đ/Đ mapped to d (NFD alone does
 *   not fold đ, which is a separate letter), lower case.
 * Both are computed in the application so the same SQL runs on every engine without extensions; the
 * database only splits them at spaces (`to_tsvector('simple', …)`).
 */
const TONES = '\u0300\u0301\u0303\u0309\u0323'; // huyền, sắc, ngã, hỏi, nặng
// New-style placement puts the tone on the second vowel of open syllables oa, oe, uy ("hoà", "thuỷ");
// move it back onto the first vowel. "qu" + y is not such a pair ("quý" keeps its tone on y).
const NEW_STYLE = new RegExp(
  `(?<![qQ])([oO])([aAeE])([${TONES}])(?![\\p{L}\\p{M}])|(?<![qQ])([uU])([yY])([${TONES}])(?![\\p{L}\\p{M}])`,
  'gu',
);

export function normalizeTonePlacement(s: string): string {
  return s
    .normalize('NFD')
    .replace(NEW_STYLE, (_m, o, a, t1, u, y, t2) => (o ? `${o}${t1}${a}` : `${u}${t2}${y}`))
    .normalize('NFC');
}

/** Syllables joined by single spaces: every run of characters other than letters, marks and digits separates. */
export const syllables = (s: string): string => s.replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ').trim();

export function exactKey(s: string): string {
  return syllables(normalizeTonePlacement(s.normalize('NFC')).toLowerCase());
}

export function foldKey(s: string): string {
  return syllables(s.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase());
}

/** Escape LIKE wildcards so user text matches literally (used with `ESCAPE '\'`). */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
