/**
 * The State Budget Index codes the seed uses (Circular 324/2016/TT-BTC) and each agency's chapter.
 * Codes from domain.md §4.1 [S]: chapters 018/418/618/818 (finance bodies of each level), khoản 341
 * (state administration, loại 340) and 398 (social protection), tiểu mục 6001, 6049, 6101, 6102, 6112,
 * 6115, 6301, 6302. The other codes are illustrative [?]: they respect the index's shape (3-digit
 * chapters in the level's range, 4-digit sections holding their subsections by fifties, revenue on
 * 1xxx–4xxx and expenditure on 6xxx–9xxx) but are not checked against the Circular's tables.
 */
import type { AgencySeed } from '../../../kit';
import type { ExpenditureGroup } from '../generated/graphql';

export interface SubsectionSeed {
  code: string;
  description: string;
  /** Share of its direction's annual total. */
  weight: number;
  group: ExpenditureGroup | null;
}

export const REVENUE: SubsectionSeed[] = [
  { code: '1001', description: 'Thuế thu nhập cá nhân từ tiền lương, tiền công', weight: 14, group: null },
  { code: '1052', description: 'Thuế thu nhập doanh nghiệp', weight: 22, group: null },
  {
    code: '1701',
    description: 'Thuế giá trị gia tăng hàng sản xuất, kinh doanh trong nước',
    weight: 30,
    group: null,
  },
  { code: '1757', description: 'Thuế tiêu thụ đặc biệt', weight: 10, group: null },
  { code: '2801', description: 'Lệ phí trước bạ nhà đất', weight: 8, group: null },
  { code: '3601', description: 'Thu tiền cho thuê mặt đất, mặt nước', weight: 9, group: null },
  { code: '4251', description: 'Thu khác của ngân sách', weight: 7, group: null },
];

export const EXPENDITURE: SubsectionSeed[] = [
  { code: '6001', description: 'Lương theo ngạch, bậc', weight: 26, group: 'THUONG_XUYEN' },
  { code: '6049', description: 'Lương khác', weight: 2, group: 'THUONG_XUYEN' },
  { code: '6101', description: 'Phụ cấp chức vụ', weight: 3, group: 'THUONG_XUYEN' },
  { code: '6102', description: 'Phụ cấp khu vực', weight: 1, group: 'THUONG_XUYEN' },
  { code: '6112', description: 'Phụ cấp ưu đãi nghề', weight: 3, group: 'THUONG_XUYEN' },
  { code: '6115', description: 'Phụ cấp thâm niên vượt khung', weight: 1, group: 'THUONG_XUYEN' },
  { code: '6301', description: 'Bảo hiểm xã hội', weight: 5, group: 'THUONG_XUYEN' },
  { code: '6302', description: 'Bảo hiểm y tế', weight: 1, group: 'THUONG_XUYEN' },
  { code: '6501', description: 'Thanh toán tiền điện', weight: 2, group: 'THUONG_XUYEN' },
  { code: '6551', description: 'Văn phòng phẩm', weight: 1, group: 'THUONG_XUYEN' },
  { code: '7001', description: 'Chi mua hàng hóa, vật tư chuyên môn', weight: 10, group: 'THUONG_XUYEN' },
  { code: '9301', description: 'Chi xây dựng công trình', weight: 35, group: 'DAU_TU_PHAT_TRIEN' },
  { code: '7101', description: 'Trả lãi tiền vay', weight: 4, group: 'TRA_NO' },
  { code: '7951', description: 'Dự phòng ngân sách', weight: 6, group: 'DU_PHONG' },
];

/** Loại–khoản pairs of expenditure lines; the scale factor decides how many each agency uses. */
export const FUNCTIONS: readonly (readonly [string, string])[] = [
  ['340', '341'],
  ['370', '398'],
  ['070', '072'],
  ['280', '292'],
];

const CENTRAL_CHAPTERS: Record<string, string> = {
  '000.00.00.G22': '003',
  '000.00.00.G12': '018',
  '000.00.00.G09': '010',
};

const DEPARTMENT_CHAPTERS: [RegExp, string][] = [
  [/Tài chính/, '418'],
  [/Nội vụ/, '410'],
  [/Thông tin/, '437'],
];

/** The chapter of an agency's lines, in its level's range. */
export function chapterOf(a: AgencySeed): string {
  switch (a.level) {
    case 'CENTRAL':
      return CENTRAL_CHAPTERS[a.code] ?? '099';
    case 'PROVINCE':
      return '405';
    case 'DEPARTMENT':
      return DEPARTMENT_CHAPTERS.find(([re]) => re.test(a.name))?.[1] ?? '405';
    case 'DISTRICT':
      return '605';
    default:
      return '805';
  }
}
