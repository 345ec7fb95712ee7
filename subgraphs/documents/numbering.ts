/**
 * Document numbers and symbols (số, ký hiệu) under Decree 30/2020/NĐ-CP.
 *
 *   125/QĐ-UBND       number 125, type QĐ, issuing organ UBND
 *   12/2024/QĐ-UBND   legal normative document: the year is part of the number
 *   45/UBND-KT        công văn: no type abbreviation; organ UBND, drafting unit KT
 *
 * Parsed into parts (stored separately) and rebuilt from them, so a stored symbol is always canonical.
 */
import { badInput } from '../../kit';

export interface DocumentTypeInfo {
  code: string | null;
  name: string;
}

/** Decree 30/2020/NĐ-CP, Appendix III. `null` code = công văn. */
export const DOCUMENT_TYPES: readonly DocumentTypeInfo[] = [
  { code: null, name: 'Công văn' },
  { code: 'NQ', name: 'Nghị quyết' },
  { code: 'QĐ', name: 'Quyết định' },
  { code: 'CT', name: 'Chỉ thị' },
  { code: 'QC', name: 'Quy chế' },
  { code: 'QyĐ', name: 'Quy định' },
  { code: 'TC', name: 'Thông cáo' },
  { code: 'TB', name: 'Thông báo' },
  { code: 'HD', name: 'Hướng dẫn' },
  { code: 'CTr', name: 'Chương trình' },
  { code: 'KH', name: 'Kế hoạch' },
  { code: 'PA', name: 'Phương án' },
  { code: 'ĐA', name: 'Đề án' },
  { code: 'DA', name: 'Dự án' },
  { code: 'BC', name: 'Báo cáo' },
  { code: 'BB', name: 'Biên bản' },
  { code: 'TTr', name: 'Tờ trình' },
  { code: 'HĐ', name: 'Hợp đồng' },
  { code: 'CĐ', name: 'Công điện' },
  { code: 'BGN', name: 'Bản ghi nhớ' },
  { code: 'BTT', name: 'Bản thỏa thuận' },
  { code: 'GUQ', name: 'Giấy ủy quyền' },
  { code: 'GM', name: 'Giấy mời' },
  { code: 'GGT', name: 'Giấy giới thiệu' },
  { code: 'GNP', name: 'Giấy nghỉ phép' },
  { code: 'PG', name: 'Phiếu gửi' },
  { code: 'PC', name: 'Phiếu chuyển' },
  { code: 'PB', name: 'Phiếu báo' },
];

/** Pre-2020 abbreviations (Circular 01/2011/TT-BNV) and their Decree 30 equivalents. */
export const LEGACY_TYPE_CODES: Readonly<Record<string, string>> = {
  GN: 'BGN',
  TTh: 'BTT',
  UQ: 'GUQ',
  NP: 'GNP',
};

const TYPE_BY_CODE = new Map(DOCUMENT_TYPES.filter((t) => t.code).map((t) => [t.code as string, t]));

export function documentType(code: string | null, field = 'typeCode'): DocumentTypeInfo {
  if (code === null) return DOCUMENT_TYPES[0]!;
  const t = TYPE_BY_CODE.get(code);
  if (!t) throw badInput(field, `"${code}" is not a document type of Decree 30/2020 (e.g. QĐ, TB, KH)`);
  return t;
}

/** Accepts a current or legacy code, returns the Decree 30 code; `CV` (not official) means công văn. */
export function canonicalTypeCode(code: string): string | null | undefined {
  if (code === 'CV') return null;
  if (TYPE_BY_CODE.has(code)) return code;
  return LEGACY_TYPE_CODES[code];
}

export interface NumberSymbol {
  number: number;
  numberYear: number | null;
  typeCode: string | null;
  organSymbol: string;
  unitSymbol: string | null;
}

const PATTERN = /^(\d{1,6})(?:\/(\d{4}))?\/(\p{L}+)-([\p{Lu}0-9&]+(?:-[\p{Lu}0-9&]+)*)$/u;

export function parseNumberSymbol(raw: string, field = 'numberSymbol'): NumberSymbol {
  const s = raw.normalize('NFC').replace(/\s+/g, '');
  const m = PATTERN.exec(s);
  if (!m)
    throw badInput(field, `"${raw}" is not a number/symbol like 125/QĐ-UBND, 12/2024/QĐ-UBND or 45/UBND-KT`);
  const [, num, year, head, tail] = m as unknown as [string, string, string | undefined, string, string];
  const number = Number(num);
  if (number < 1) throw badInput(field, 'number must start at 1');
  const typeCode = canonicalTypeCode(head);
  const tailParts = tail.split('-');
  if (typeCode === undefined) {
    // Công văn: <số>/<organ>-<drafting unit>
    if (!/^[\p{Lu}0-9&]+$/u.test(head))
      throw badInput(field, `"${head}" is neither a document type nor an organ symbol`);
    return {
      number,
      numberYear: year ? Number(year) : null,
      typeCode: null,
      organSymbol: head,
      unitSymbol: tail,
    };
  }
  return {
    number,
    numberYear: year ? Number(year) : null,
    typeCode,
    organSymbol: tailParts[0]!,
    unitSymbol: tailParts.length > 1 ? tailParts.slice(1).join('-') : null,
  };
}

export function formatNumberSymbol(p: NumberSymbol): string {
  const num = `${p.number}${p.numberYear ? `/${p.numberYear}` : ''}`;
  if (p.typeCode === null) return `${num}/${p.organSymbol}-${p.unitSymbol ?? ''}`.replace(/-$/, '');
  return `${num}/${p.typeCode}-${p.organSymbol}${p.unitSymbol ? `-${p.unitSymbol}` : ''}`;
}

export const SIGNING_COMPETENCES = ['TM.', 'KT.', 'TL.', 'TUQ.', 'Q.'] as const;
