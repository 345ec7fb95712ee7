/**
 * Land vocabulary (domain guide §5): land-use codes with their code-list versions, certificate origins,
 * holder types, and the exact decimal areas the records keep.
 */
import { badInput } from '../../kit';

export type LandUseCodeVersion = 'TT25_2014' | 'TT27_2018' | 'TT08_2024';
export type LandChangeKind = 'SPLIT' | 'MERGE' | 'TRANSFER' | 'CHANGE_OF_USE';
export type FormOfUse = 'PRIVATE' | 'SHARED';
export type HolderType = 'CNV' | 'CDS' | 'TKT' | 'TCN' | 'TSN';
export type LandOrigin =
  | 'ALLOCATED_WITH_FEE'
  | 'ALLOCATED_WITHOUT_FEE'
  | 'LEASED'
  | 'RECOGNISED'
  | 'TRANSFERRED'
  | 'INHERITED'
  | 'GIFTED';

/** Mã loại đất, stable across the 2014/2018 and 2024 lists (domain guide §5.2), with their names. */
export const LAND_USE_NAMES: Readonly<Record<string, string>> = {
  LUC: 'Đất chuyên trồng lúa nước',
  LUK: 'Đất trồng lúa nước còn lại',
  HNK: 'Đất trồng cây hằng năm khác',
  CLN: 'Đất trồng cây lâu năm',
  RSX: 'Đất rừng sản xuất',
  RPH: 'Đất rừng phòng hộ',
  RDD: 'Đất rừng đặc dụng',
  NTS: 'Đất nuôi trồng thủy sản',
  LMU: 'Đất làm muối',
  NKH: 'Đất nông nghiệp khác',
  ONT: 'Đất ở tại nông thôn',
  ODT: 'Đất ở tại đô thị',
  TSC: 'Đất xây dựng trụ sở cơ quan',
  CQP: 'Đất quốc phòng',
  CAN: 'Đất an ninh',
  DGD: 'Đất xây dựng cơ sở giáo dục và đào tạo',
  DYT: 'Đất xây dựng cơ sở y tế',
  DVH: 'Đất xây dựng cơ sở văn hóa',
  DTT: 'Đất xây dựng cơ sở thể dục thể thao',
  TMD: 'Đất thương mại, dịch vụ',
  SKC: 'Đất cơ sở sản xuất phi nông nghiệp',
  SKS: 'Đất sử dụng cho hoạt động khoáng sản',
  DGT: 'Đất giao thông',
  DTL: 'Đất thủy lợi',
  DDT: 'Đất có di tích lịch sử - văn hóa',
  DRA: 'Đất bãi thải, xử lý chất thải',
  TON: 'Đất tôn giáo',
  TIN: 'Đất tín ngưỡng',
  NTD: 'Đất nghĩa trang, nhà tang lễ, cơ sở hỏa táng',
  SON: 'Đất sông, ngòi, kênh, rạch, suối',
  MNC: 'Đất có mặt nước chuyên dùng',
  PNK: 'Đất phi nông nghiệp khác',
  BCS: 'Đất bằng chưa sử dụng',
  DCS: 'Đất đồi núi chưa sử dụng',
  NCS: 'Núi đá không có rừng cây',
  CNT: 'Đất chăn nuôi tập trung', // added by Circular 08/2024/TT-BTNMT
};

/** Codes that only exist from Circular 08/2024. */
const ONLY_2024 = new Set(['CNT']);

/** The code list in force on a date: TT25/2014 until 13 Jan 2019, TT27/2018 until 31 Jul 2024, then TT08/2024. */
export function codeListOn(date: string): LandUseCodeVersion {
  if (date < '2019-01-14') return 'TT25_2014';
  if (date < '2024-08-01') return 'TT27_2018';
  return 'TT08_2024';
}

/** A land-use code as typed by a caller (upper-cased); BAD_USER_INPUT naming `field` when unknown. */
export function parseLandUseCode(raw: string, field: string, on?: string): string {
  const code = raw.trim().toUpperCase();
  if (!LAND_USE_NAMES[code]) throw badInput(field, `"${raw}" is not a land-use code (mã loại đất) like ONT`);
  if (on && ONLY_2024.has(code) && codeListOn(on) !== 'TT08_2024')
    throw badInput(field, `${code} only exists from Circular 08/2024/TT-BTNMT (1 August 2024)`);
  return code;
}

/** Residential codes are held long-term; agricultural land held by individuals for 50 years (Land Law 2024 art. 171–172). */
export const isLongTerm = (code: string): boolean =>
  !['LUC', 'LUK', 'HNK', 'CLN', 'NTS', 'RSX'].includes(code);

// Exact decimal areas: square metres with at most one decimal, kept as integer tenths in arithmetic.
const DECIMAL = /^(0|[1-9]\d{0,11})(\.\d)?$/;

/** An area in m² given as a decimal string (`152.5`), in tenths of m²; BAD_USER_INPUT naming `field` otherwise. */
export function parseArea(raw: string, field: string): number {
  if (!DECIMAL.test(raw))
    throw badInput(field, `"${raw}" is not an area in m² like 152.5 (one decimal at most)`);
  const [whole, frac] = raw.split('.');
  return Number(whole) * 10 + Number(frac ?? 0);
}

/** Tenths of m² as the exact decimal string (`1525` → `152.5`). */
export const formatTenths = (tenths: number): string => `${Math.floor(tenths / 10)}.${tenths % 10}`;

/** The same day `years` later (29 February becomes 28 February in a common year): a term's last day. */
export function plusYears(date: string, years: number): string {
  const year = Number(date.slice(0, 4)) + years;
  const md = date.slice(4);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return `${year}${md === '-02-29' && !leap ? '-02-28' : md}`;
}
