/** What the seeded land looks like: land-use mixes by kind of commune, parcel sizes, plans and origins. */
import type { LandOrigin } from '../domain';

type Weighted<T> = readonly (readonly [T, number])[];

/** Land-use mix: LUC/CLN/ONT/ODT dominate; wards are mostly urban residential, rural communes paddy and homesteads. */
export const LAND_USE_MIX: Record<'PHUONG' | 'XA' | 'THI_TRAN' | 'MOUNTAIN', Weighted<string>> = {
  PHUONG: [
    ['ODT', 42],
    ['LUC', 12],
    ['CLN', 9],
    ['HNK', 4],
    ['TMD', 5],
    ['DGT', 6],
    ['SKC', 3],
    ['DTL', 3],
    ['NTS', 2],
    ['DGD', 2],
    ['DYT', 1],
    ['TSC', 1],
    ['TIN', 1],
    ['TON', 1],
    ['NTD', 1],
    ['DVH', 1],
  ],
  XA: [
    ['LUC', 30],
    ['ONT', 24],
    ['CLN', 18],
    ['HNK', 7],
    ['NTS', 5],
    ['RSX', 4],
    ['DGT', 4],
    ['DTL', 3],
    ['NTD', 1],
    ['DGD', 1],
    ['TSC', 1],
    ['TIN', 1],
    ['BCS', 1],
  ],
  THI_TRAN: [
    ['ODT', 30],
    ['LUC', 20],
    ['CLN', 15],
    ['HNK', 6],
    ['TMD', 6],
    ['DGT', 6],
    ['NTS', 3],
    ['SKC', 3],
    ['DGD', 2],
    ['TSC', 2],
    ['DYT', 1],
    ['TIN', 1],
  ],
  /** Communes of Huyện Ba Bể: forest, perennial crops and terraced paddy. */
  MOUNTAIN: [
    ['RSX', 18],
    ['CLN', 20],
    ['LUC', 22],
    ['ONT', 20],
    ['RPH', 5],
    ['HNK', 6],
    ['NTS', 3],
    ['DGT', 3],
    ['DCS', 2],
    ['TIN', 1],
  ],
};

/** Typical area range in m² by land-use code. */
export const AREA_RANGE: Record<string, [number, number]> = {
  ODT: [35, 220],
  ONT: [120, 600],
  LUC: [300, 2400],
  CLN: [200, 2500],
  HNK: [200, 1500],
  NTS: [500, 4000],
  RSX: [2000, 15000],
  RPH: [5000, 20000],
  TMD: [150, 3000],
  SKC: [500, 8000],
};
export const DEFAULT_AREA: [number, number] = [150, 2500];

/** Codes individuals and households hold (and get certificates for). */
export const HOUSEHOLD_USE = new Set(['ODT', 'ONT', 'LUC', 'LUK', 'CLN', 'HNK', 'NTS', 'RSX']);
/** Who holds the rest: economic organisations, state bodies, public units, communities; others none. */
export const ORGANISATION_USE: Record<string, 'TKT' | 'TCN' | 'TSN' | 'CDS'> = {
  TMD: 'TKT',
  SKC: 'TKT',
  TSC: 'TCN',
  DGD: 'TSN',
  DYT: 'TSN',
  DVH: 'TSN',
  TIN: 'CDS',
  TON: 'CDS',
};

export const ORIGINS: Weighted<LandOrigin> = [
  ['RECOGNISED', 40],
  ['ALLOCATED_WITHOUT_FEE', 20],
  ['ALLOCATED_WITH_FEE', 12],
  ['TRANSFERRED', 14],
  ['INHERITED', 8],
  ['GIFTED', 5],
  ['LEASED', 1],
];

export const VILLAGES = [
  'Đông',
  'Đoài',
  'Thượng',
  'Hạ',
  'Trung',
  'Tân Lập',
  'Đồng Tâm',
  'Hòa Bình',
  'Quyết Tiến',
  'Thống Nhất',
];

export const PLANNED_USES = ['DGT', 'DGT', 'DGT', 'DTL', 'DGD', 'DVH', 'DTT', 'TMD', 'ODT'];

/** Serial letters of GCN forms by period of issue (synthetic series). */
export function serialLetters(year: number): string[] {
  if (year < 2010) return ['AA', 'AB', 'AC'];
  if (year < 2014) return ['BA', 'BB', 'BC', 'BD'];
  if (year < 2018) return ['BX', 'CA', 'CB'];
  if (year < 2021) return ['CK', 'CN', 'CS'];
  return ['CY', 'DC', 'DE'];
}
