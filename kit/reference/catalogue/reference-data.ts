/**
 * Data of the shared reference catalogue (mounted by every subgraph): administrative units before and
 * after the 1 July 2025 reorganisation, the crosswalk between them, and agencies with their QCVN 102
 * identifiers.
 *
 * Sources
 * - [VP] github.com/sunshine-tech/VietnamProvinces, snapshot 809e91b (Feb 2026):
 *   - dev/seed-data/Pre-2025-07/Xa_2025-01-04.csv: GSO code list as of 4 Jan 2025.
 *   - vietnam_provinces/data/flat-divisions.json and nested-divisions.json: the 34 provinces and 3,321
 *     communes from 1 July 2025.
 *   - dev/seed-data/2025-07/BangChuyendoiĐVHCmoi_cu_khong_merge.csv: old → new commune crosswalk.
 *   - vietnam_provinces/_province_conversion_2025.py: old → new provinces.
 * - [HN] hanoimoi.vn and thanhtra.hanoi.gov.vn, reporting Quyết định 2918/QĐ-UBND (17 Aug 2022): H26 is the
 *   level-1 identifier of UBND thành phố Hà Nội.
 * - [CODE] public GitHub code using these identifiers: H55 in dichvucong.thainguyen.gov.vn links, and H18
 *   in a client of the Điện Biên one-stop system. G22, G12 and G09 come from the domain guide.
 *
 * Real (checked against a source above)
 * - Every unit code, name and type. Every district → province and commune → district parent.
 * - Every SUCCESSIONS row. Commune rows copy the crosswalk [VP]:
 *   - "Nhập toàn bộ" (the whole unit joins) becomes MERGE.
 *   - "Nhập một phần…" (part of the unit joins) becomes PARTIAL.
 *   - An old ward split this way has one PARTIAL row per new ward it feeds.
 * - Codes get reused, so a code alone does not identify a unit:
 *   - New Bắc Ninh takes 24, old Bắc Giang's code.
 *   - New Phường Vũ Ninh (09169) = old Phường Thị Cầu's code.
 *   - New Phường Thượng Cát (00598) = old Phường Liên Mạc's code.
 *   - New Phường Đông Ngạc (00602) = old Phường Đức Thắng's code.
 * - Agency codes: 000.00.00.H26 [HN]; H55 and H18 [CODE]; G22, G12 and G09 (domain guide).
 *
 * Synthetic or recalled (not checked here)
 * - validFrom EARLY ('2000-01-01') means "existed before any seeded event; real start date not researched".
 * - Recalled, not re-checked:
 *   - Hà Nội from 2008-08-01 (Nghị quyết 15/2008/QH12).
 *   - Điện Biên from 2004-01-01 (Nghị quyết 22/2003/QH11).
 *   - Bắc Từ Liêm and its 13 wards from 2014-04-01 (Nghị quyết 132/NQ-CP of 27 Dec 2013).
 *   A child never starts before its parent.
 * - Commune legalBasis after 2025: Hà Nội cites Nghị quyết 1656/NQ-UBTVQH15 (from the brief). The other
 *   provinces' Standing Committee resolutions were not found, so their communes cite
 *   Quyết định 19/2025/QĐ-TTg.
 * - Level-1 codes H44 (Phú Thọ), H62 (Vĩnh Phúc), H05 (Bắc Ninh), H03 (Bắc Kạn) and H02 (Bắc Giang) are
 *   INFERRED, NOT VERIFIED.
 *   - Assumption: the QCVN 102 list is alphabetical, ignoring diacritics and spaces.
 *   - That order fits every code seen: H14 Cao Bằng, H18 Điện Biên, H20 Đồng Tháp, H26 Hà Nội, H38 Lào Cai,
 *     H41 Nghệ An, H49 Quảng Ninh, H50 Quảng Trị, H55 Thái Nguyên, H56 Thanh Hóa, H59 Trà Vinh.
 *   - The Hà Nội–Hồ Chí Minh block is not strictly alphabetical, so the inference can be wrong.
 *   Replace these codes from the LGSP catalogue. Whether H-codes were reused after the 2025 mergers is
 *   unknown.
 * - Every level-2/3 agency code (departments, districts, communes) is synthetic, built by one scheme:
 *   - Departments: 000.00.8x.Hnn.
 *   - Districts: 000.00.<last two digits of the GSO district code>.Hnn.
 *   - Communes before 2025: 000.<seq>.<district>.Hnn.
 *   - Communes from 2025: 000.00.<41 + seq>.Hnn.
 * - An agency's unitCode/unitValidFrom is the unit it governs when its validity ends. Provincial committees
 *   that continue after a merger (Thái Nguyên, Phú Thọ, Bắc Ninh) point at the new unit; reach their pre-2025
 *   unit through SUCCESSIONS. Assumption: Bắc Ninh keeps old Bắc Ninh's committee and code.
 * - Sở Thông tin và Truyền thông ends 2025-02-28 (recalled: merged into Sở Khoa học và Công nghệ on
 *   1 March 2025).
 */

import type { AdministrativeUnitType as UnitType, AgencyLevel, SuccessionKind } from './types';

export interface AdminUnitSeed {
  code: string;
  name: string;
  type: UnitType;
  level: 1 | 2 | 3;
  parentCode: string | null;
  validFrom: string;
  validTo: string | null;
  legalBasis: string;
}

export interface SuccessionSeed {
  fromCode: string;
  fromValidFrom: string;
  toCode: string;
  toValidFrom: string;
  effectiveDate: string;
  kind: SuccessionKind;
}

export interface AgencySeed {
  code: string;
  name: string;
  level: AgencyLevel;
  parentCode: string | null;
  unitCode: string | null;
  unitValidFrom: string | null;
  validFrom: string;
  validTo: string | null;
}

const EARLY = '2000-01-01';
const HN_FROM = '2008-08-01';
const DB_FROM = '2004-01-01';
const BTL_FROM = '2014-04-01';
const OLD_END = '2025-06-30';
const REFORM = '2025-07-01';
const QD_124 = 'Quyết định 124/2004/QĐ-TTg';
const QD_19 = 'Quyết định 19/2025/QĐ-TTg';
const NQ_202 = 'Nghị quyết 202/2025/QH15';
const NQ_132 = 'Nghị quyết 132/NQ-CP';
const NQ_1656 = 'Nghị quyết 1656/NQ-UBTVQH15';

function unit(
  code: string,
  name: string,
  type: UnitType,
  level: 1 | 2 | 3,
  parentCode: string | null,
  validFrom: string,
  validTo: string | null,
  legalBasis: string,
): AdminUnitSeed {
  return { code, name, type, level, parentCode, validFrom, validTo, legalBasis };
}

/** Every succession in this file takes effect with the reform, so toValidFrom = effectiveDate = REFORM. */
function succession(
  fromCode: string,
  fromValidFrom: string,
  toCode: string,
  kind: SuccessionKind,
): SuccessionSeed {
  return { fromCode, fromValidFrom, toCode, toValidFrom: REFORM, effectiveDate: REFORM, kind };
}

function agency(
  code: string,
  name: string,
  level: AgencySeed['level'],
  parentCode: string | null,
  unitCode: string | null,
  unitValidFrom: string | null,
  validFrom: string,
  validTo: string | null,
): AgencySeed {
  return { code, name, level, parentCode, unitCode, unitValidFrom, validFrom, validTo };
}

/** Sub-provincial agencies: their unit starts with them, so unitValidFrom = validFrom. */
function local(level: 'DEPARTMENT' | 'DISTRICT' | 'COMMUNE') {
  return (
    code: string,
    parentCode: string,
    unitCode: string,
    name: string,
    validFrom: string,
    validTo: string | null,
  ): AgencySeed => agency(code, name, level, parentCode, unitCode, validFrom, validFrom, validTo);
}
const department = local('DEPARTMENT');
const district = local('DISTRICT');
const commune = local('COMMUNE');

export const ADMIN_UNITS: AdminUnitSeed[] = [
  // Provinces before 1 July 2025; Hà Nội and Điện Biên are unchanged by the reform
  unit('01', 'Thành phố Hà Nội', 'THANH_PHO_TW', 1, null, HN_FROM, null, 'Nghị quyết 15/2008/QH12'),
  unit('11', 'Tỉnh Điện Biên', 'TINH', 1, null, DB_FROM, null, 'Nghị quyết 22/2003/QH11'),
  unit('06', 'Tỉnh Bắc Kạn', 'TINH', 1, null, EARLY, OLD_END, QD_124),
  unit('17', 'Tỉnh Hòa Bình', 'TINH', 1, null, EARLY, OLD_END, QD_124),
  unit('19', 'Tỉnh Thái Nguyên', 'TINH', 1, null, EARLY, OLD_END, QD_124),
  unit('24', 'Tỉnh Bắc Giang', 'TINH', 1, null, EARLY, OLD_END, QD_124),
  unit('25', 'Tỉnh Phú Thọ', 'TINH', 1, null, EARLY, OLD_END, QD_124),
  unit('26', 'Tỉnh Vĩnh Phúc', 'TINH', 1, null, EARLY, OLD_END, QD_124),
  unit('27', 'Tỉnh Bắc Ninh', 'TINH', 1, null, EARLY, OLD_END, QD_124),
  // Provinces from 1 July 2025
  unit('19', 'Tỉnh Thái Nguyên', 'TINH', 1, null, REFORM, null, NQ_202),
  unit('24', 'Tỉnh Bắc Ninh', 'TINH', 1, null, REFORM, null, NQ_202),
  unit('25', 'Tỉnh Phú Thọ', 'TINH', 1, null, REFORM, null, NQ_202),
  // Districts; the district level stopped operating on 1 July 2025
  unit('001', 'Quận Ba Đình', 'QUAN', 2, '01', HN_FROM, OLD_END, QD_124),
  unit('003', 'Quận Tây Hồ', 'QUAN', 2, '01', HN_FROM, OLD_END, QD_124),
  unit('005', 'Quận Cầu Giấy', 'QUAN', 2, '01', HN_FROM, OLD_END, QD_124),
  unit('021', 'Quận Bắc Từ Liêm', 'QUAN', 2, '01', BTL_FROM, OLD_END, NQ_132),
  unit('061', 'Huyện Ba Bể', 'HUYEN', 2, '06', EARLY, OLD_END, QD_124),
  unit('094', 'Thành phố Điện Biên Phủ', 'THANH_PHO_THUOC_TINH', 2, '11', DB_FROM, OLD_END, QD_124),
  unit('246', 'Huyện Lập Thạch', 'HUYEN', 2, '26', EARLY, OLD_END, QD_124),
  unit('256', 'Thành phố Bắc Ninh', 'THANH_PHO_THUOC_TINH', 2, '27', EARLY, OLD_END, QD_124),
  // All 13 wards of Quận Bắc Từ Liêm
  unit('00595', 'Phường Thượng Cát', 'PHUONG', 3, '021', BTL_FROM, OLD_END, NQ_132),
  unit('00598', 'Phường Liên Mạc', 'PHUONG', 3, '021', BTL_FROM, OLD_END, NQ_132),
  unit('00601', 'Phường Đông Ngạc', 'PHUONG', 3, '021', BTL_FROM, OLD_END, NQ_132),
  unit('00602', 'Phường Đức Thắng', 'PHUONG', 3, '021', BTL_FROM, OLD_END, NQ_132),
  unit('00604', 'Phường Thụy Phương', 'PHUONG', 3, '021', BTL_FROM, OLD_END, NQ_132),
  unit('00607', 'Phường Tây Tựu', 'PHUONG', 3, '021', BTL_FROM, OLD_END, NQ_132),
  unit('00610', 'Phường Xuân Đỉnh', 'PHUONG', 3, '021', BTL_FROM, OLD_END, NQ_132),
  unit('00611', 'Phường Xuân Tảo', 'PHUONG', 3, '021', BTL_FROM, OLD_END, NQ_132),
  unit('00613', 'Phường Minh Khai', 'PHUONG', 3, '021', BTL_FROM, OLD_END, NQ_132),
  unit('00616', 'Phường Cổ Nhuế 1', 'PHUONG', 3, '021', BTL_FROM, OLD_END, NQ_132),
  unit('00617', 'Phường Cổ Nhuế 2', 'PHUONG', 3, '021', BTL_FROM, OLD_END, NQ_132),
  unit('00619', 'Phường Phú Diễn', 'PHUONG', 3, '021', BTL_FROM, OLD_END, NQ_132),
  unit('00620', 'Phường Phúc Diễn', 'PHUONG', 3, '021', BTL_FROM, OLD_END, NQ_132),
  // Communes of Huyện Lập Thạch (selection: whole merge groups)
  unit('08761', 'Thị trấn Lập Thạch', 'THI_TRAN', 3, '246', EARLY, OLD_END, QD_124),
  unit('08794', 'Xã Xuân Hòa', 'XA', 3, '246', EARLY, OLD_END, QD_124),
  unit('08797', 'Xã Vân Trục', 'XA', 3, '246', EARLY, OLD_END, QD_124),
  unit('08815', 'Xã Tử Du', 'XA', 3, '246', EARLY, OLD_END, QD_124),
  unit('08764', 'Xã Quang Sơn', 'XA', 3, '246', EARLY, OLD_END, QD_124),
  unit('08767', 'Xã Ngọc Mỹ', 'XA', 3, '246', EARLY, OLD_END, QD_124),
  unit('08770', 'Xã Hợp Lý', 'XA', 3, '246', EARLY, OLD_END, QD_124),
  // Communes of Huyện Ba Bể (selection: whole merge groups)
  unit('01888', 'Thị trấn Chợ Rã', 'THI_TRAN', 3, '061', EARLY, OLD_END, QD_124),
  unit('01912', 'Xã Thượng Giáo', 'XA', 3, '061', EARLY, OLD_END, QD_124),
  unit('01915', 'Xã Địa Linh', 'XA', 3, '061', EARLY, OLD_END, QD_124),
  unit('01900', 'Xã Cao Thượng', 'XA', 3, '061', EARLY, OLD_END, QD_124),
  unit('01906', 'Xã Khang Ninh', 'XA', 3, '061', EARLY, OLD_END, QD_124),
  unit('01909', 'Xã Nam Mẫu', 'XA', 3, '061', EARLY, OLD_END, QD_124),
  // Communes of Thành phố Điện Biên Phủ (selection: whole merge groups)
  unit('03127', 'Phường Him Lam', 'PHUONG', 3, '094', DB_FROM, OLD_END, QD_124),
  unit('03130', 'Phường Thanh Bình', 'PHUONG', 3, '094', DB_FROM, OLD_END, QD_124),
  unit('03133', 'Phường Tân Thanh', 'PHUONG', 3, '094', DB_FROM, OLD_END, QD_124),
  unit('03136', 'Phường Mường Thanh', 'PHUONG', 3, '094', DB_FROM, OLD_END, QD_124),
  unit('03124', 'Phường Noong Bua', 'PHUONG', 3, '094', DB_FROM, OLD_END, QD_124),
  unit('03139', 'Phường Nam Thanh', 'PHUONG', 3, '094', DB_FROM, OLD_END, QD_124),
  // Communes of Thành phố Bắc Ninh (selection: whole merge groups)
  unit('09163', 'Phường Vũ Ninh', 'PHUONG', 3, '256', EARLY, OLD_END, QD_124),
  unit('09166', 'Phường Đáp Cầu', 'PHUONG', 3, '256', EARLY, OLD_END, QD_124),
  unit('09169', 'Phường Thị Cầu', 'PHUONG', 3, '256', EARLY, OLD_END, QD_124),
  unit('09172', 'Phường Kinh Bắc', 'PHUONG', 3, '256', EARLY, OLD_END, QD_124),
  unit('09184', 'Phường Tiền Ninh Vệ', 'PHUONG', 3, '256', EARLY, OLD_END, QD_124),
  unit('09187', 'Phường Suối Hoa', 'PHUONG', 3, '256', EARLY, OLD_END, QD_124),
  // Communes from 1 July 2025 (level 2, directly under the province) succeeding the ones above
  unit('00091', 'Phường Phú Thượng', 'PHUONG', 2, '01', REFORM, null, NQ_1656),
  unit('00160', 'Phường Nghĩa Đô', 'PHUONG', 2, '01', REFORM, null, NQ_1656),
  unit('00598', 'Phường Thượng Cát', 'PHUONG', 2, '01', REFORM, null, NQ_1656),
  unit('00602', 'Phường Đông Ngạc', 'PHUONG', 2, '01', REFORM, null, NQ_1656),
  unit('00611', 'Phường Xuân Đỉnh', 'PHUONG', 2, '01', REFORM, null, NQ_1656),
  unit('00613', 'Phường Tây Tựu', 'PHUONG', 2, '01', REFORM, null, NQ_1656),
  unit('00619', 'Phường Phú Diễn', 'PHUONG', 2, '01', REFORM, null, NQ_1656),
  unit('00622', 'Phường Xuân Phương', 'PHUONG', 2, '01', REFORM, null, NQ_1656),
  unit('01906', 'Xã Ba Bể', 'XA', 2, '19', REFORM, null, QD_19),
  unit('01912', 'Xã Chợ Rã', 'XA', 2, '19', REFORM, null, QD_19),
  unit('03127', 'Phường Điện Biên Phủ', 'PHUONG', 2, '11', REFORM, null, QD_19),
  unit('03334', 'Phường Mường Thanh', 'PHUONG', 2, '11', REFORM, null, QD_19),
  unit('08761', 'Xã Lập Thạch', 'XA', 2, '25', REFORM, null, QD_19),
  unit('08770', 'Xã Hợp Lý', 'XA', 2, '25', REFORM, null, QD_19),
  unit('09169', 'Phường Vũ Ninh', 'PHUONG', 2, '24', REFORM, null, QD_19),
  unit('09187', 'Phường Kinh Bắc', 'PHUONG', 2, '24', REFORM, null, QD_19),
  unit('09817', 'Xã Ô Diên', 'XA', 2, '01', REFORM, null, NQ_1656),
  unit('09832', 'Xã Hoài Đức', 'XA', 2, '01', REFORM, null, NQ_1656),
];

export const SUCCESSIONS: SuccessionSeed[] = [
  // Provinces (_province_conversion_2025.py)
  succession('06', EARLY, '19', 'MERGE'),
  succession('19', EARLY, '19', 'MERGE'),
  succession('17', EARLY, '25', 'MERGE'),
  succession('25', EARLY, '25', 'MERGE'),
  succession('26', EARLY, '25', 'MERGE'),
  succession('24', EARLY, '24', 'MERGE'),
  succession('27', EARLY, '24', 'MERGE'),
  // Communes; the comment is the crosswalk wording
  succession('00601', BTL_FROM, '00091', 'PARTIAL'), // Nhập một phần
  succession('00610', BTL_FROM, '00091', 'PARTIAL'), // Nhập một phần
  succession('00611', BTL_FROM, '00091', 'PARTIAL'), // Nhập một phần
  succession('00611', BTL_FROM, '00160', 'PARTIAL'), // Nhập một phần
  succession('00616', BTL_FROM, '00160', 'PARTIAL'), // Nhập một phần
  succession('00595', BTL_FROM, '00598', 'MERGE'), // Nhập toàn bộ
  succession('00598', BTL_FROM, '00598', 'MERGE'), // Nhập toàn bộ
  succession('00604', BTL_FROM, '00598', 'PARTIAL'), // Nhập một phần
  succession('00607', BTL_FROM, '00598', 'PARTIAL'), // Nhập một phần diện tích
  succession('00613', BTL_FROM, '00598', 'PARTIAL'), // Nhập một phần diện tích
  succession('00617', BTL_FROM, '00598', 'PARTIAL'), // Nhập một phần
  succession('00601', BTL_FROM, '00602', 'PARTIAL'), // Nhập một phần
  succession('00602', BTL_FROM, '00602', 'MERGE'), // Nhập toàn bộ
  succession('00604', BTL_FROM, '00602', 'PARTIAL'), // Nhập một phần
  succession('00610', BTL_FROM, '00602', 'PARTIAL'), // Nhập một phần
  succession('00613', BTL_FROM, '00602', 'PARTIAL'), // Nhập một phần diện tích
  succession('00617', BTL_FROM, '00602', 'PARTIAL'), // Nhập một phần
  succession('00610', BTL_FROM, '00611', 'PARTIAL'), // Nhập một phần
  succession('00611', BTL_FROM, '00611', 'PARTIAL'), // Nhập một phần
  succession('00616', BTL_FROM, '00611', 'PARTIAL'), // Nhập một phần
  succession('00607', BTL_FROM, '00613', 'PARTIAL'), // Nhập một phần diện tích, toàn bộ dân số
  succession('00613', BTL_FROM, '00613', 'PARTIAL'), // Nhập một phần
  succession('00616', BTL_FROM, '00619', 'PARTIAL'), // Nhập một phần
  succession('00619', BTL_FROM, '00619', 'MERGE'), // Nhập toàn bộ
  succession('00620', BTL_FROM, '00619', 'PARTIAL'), // Nhập một phần
  succession('00613', BTL_FROM, '00622', 'PARTIAL'), // Nhập một phần
  succession('00620', BTL_FROM, '00622', 'PARTIAL'), // Nhập một phần
  succession('00607', BTL_FROM, '09817', 'PARTIAL'), // Nhập một phần diện tích
  succession('00607', BTL_FROM, '09832', 'PARTIAL'), // Nhập một phần diện tích
  succession('03127', DB_FROM, '03127', 'MERGE'), // Nhập toàn bộ
  succession('03130', DB_FROM, '03127', 'MERGE'), // Nhập toàn bộ
  succession('03133', DB_FROM, '03127', 'MERGE'), // Nhập toàn bộ
  succession('03136', DB_FROM, '03127', 'MERGE'), // Nhập toàn bộ
  succession('03124', DB_FROM, '03334', 'MERGE'), // Nhập toàn bộ
  succession('03139', DB_FROM, '03334', 'MERGE'), // Nhập toàn bộ
  succession('01900', EARLY, '01906', 'MERGE'), // Nhập toàn bộ
  succession('01906', EARLY, '01906', 'MERGE'), // Nhập toàn bộ
  succession('01909', EARLY, '01906', 'MERGE'), // Nhập toàn bộ
  succession('01888', EARLY, '01912', 'MERGE'), // Nhập toàn bộ
  succession('01912', EARLY, '01912', 'MERGE'), // Nhập toàn bộ
  succession('01915', EARLY, '01912', 'MERGE'), // Nhập toàn bộ
  succession('09163', EARLY, '09169', 'MERGE'), // Nhập toàn bộ
  succession('09166', EARLY, '09169', 'MERGE'), // Nhập toàn bộ
  succession('09169', EARLY, '09169', 'MERGE'), // Nhập toàn bộ
  succession('09172', EARLY, '09187', 'MERGE'), // Nhập toàn bộ
  succession('09184', EARLY, '09187', 'MERGE'), // Nhập toàn bộ
  succession('09187', EARLY, '09187', 'MERGE'), // Nhập toàn bộ
  succession('08761', EARLY, '08761', 'MERGE'), // Nhập toàn bộ
  succession('08794', EARLY, '08761', 'MERGE'), // Nhập toàn bộ
  succession('08797', EARLY, '08761', 'MERGE'), // Nhập toàn bộ
  succession('08815', EARLY, '08761', 'MERGE'), // Nhập toàn bộ
  succession('08764', EARLY, '08770', 'MERGE'), // Nhập toàn bộ
  succession('08767', EARLY, '08770', 'MERGE'), // Nhập toàn bộ
  succession('08770', EARLY, '08770', 'MERGE'), // Nhập toàn bộ
];

export const AGENCIES: AgencySeed[] = [
  // Central agencies (codes from the domain guide)
  agency('000.00.00.G22', 'Văn phòng Chính phủ', 'CENTRAL', null, null, null, EARLY, null),
  agency('000.00.00.G12', 'Bộ Tài chính', 'CENTRAL', null, null, null, EARLY, null),
  agency('000.00.00.G09', 'Bộ Nội vụ', 'CENTRAL', null, null, null, EARLY, null),
  // Provincial people's committees; see the header for which level-1 codes are verified
  // real: H26 per QĐ 2918/QĐ-UBND (2022)
  agency('000.00.00.H26', 'Ủy ban nhân dân thành phố Hà Nội', 'PROVINCE', null, '01', HN_FROM, HN_FROM, null),
  // H18 seen in Điện Biên one-stop integration code
  agency('000.00.00.H18', 'Ủy ban nhân dân tỉnh Điện Biên', 'PROVINCE', null, '11', DB_FROM, DB_FROM, null),
  // H55 seen in dichvucong.thainguyen.gov.vn links
  agency('000.00.00.H55', 'Ủy ban nhân dân tỉnh Thái Nguyên', 'PROVINCE', null, '19', REFORM, EARLY, null),
  // H44 inferred, unverified
  agency('000.00.00.H44', 'Ủy ban nhân dân tỉnh Phú Thọ', 'PROVINCE', null, '25', REFORM, EARLY, null),
  // H05 inferred, unverified
  agency('000.00.00.H05', 'Ủy ban nhân dân tỉnh Bắc Ninh', 'PROVINCE', null, '24', REFORM, EARLY, null),
  // H62 inferred, unverified
  agency('000.00.00.H62', 'Ủy ban nhân dân tỉnh Vĩnh Phúc', 'PROVINCE', null, '26', EARLY, EARLY, OLD_END),
  // H03 inferred, unverified
  agency('000.00.00.H03', 'Ủy ban nhân dân tỉnh Bắc Kạn', 'PROVINCE', null, '06', EARLY, EARLY, OLD_END),
  // H02 inferred, unverified
  agency('000.00.00.H02', 'Ủy ban nhân dân tỉnh Bắc Giang', 'PROVINCE', null, '24', EARLY, EARLY, OLD_END),
  // Departments of Hà Nội (synthetic codes)
  department(
    '000.00.81.H26',
    '000.00.00.H26',
    '01',
    'Văn phòng Ủy ban nhân dân thành phố Hà Nội',
    HN_FROM,
    null,
  ),
  department('000.00.82.H26', '000.00.00.H26', '01', 'Sở Nội vụ thành phố Hà Nội', HN_FROM, null),
  department('000.00.83.H26', '000.00.00.H26', '01', 'Sở Tài chính thành phố Hà Nội', HN_FROM, null),
  department(
    '000.00.84.H26',
    '000.00.00.H26',
    '01',
    'Sở Thông tin và Truyền thông thành phố Hà Nội',
    HN_FROM,
    '2025-02-28',
  ),
  // District people's committees (synthetic codes)
  district('000.00.01.H26', '000.00.00.H26', '001', 'Ủy ban nhân dân quận Ba Đình', HN_FROM, OLD_END),
  district('000.00.03.H26', '000.00.00.H26', '003', 'Ủy ban nhân dân quận Tây Hồ', HN_FROM, OLD_END),
  district('000.00.05.H26', '000.00.00.H26', '005', 'Ủy ban nhân dân quận Cầu Giấy', HN_FROM, OLD_END),
  district('000.00.21.H26', '000.00.00.H26', '021', 'Ủy ban nhân dân quận Bắc Từ Liêm', BTL_FROM, OLD_END),
  district('000.00.61.H03', '000.00.00.H03', '061', 'Ủy ban nhân dân huyện Ba Bể', EARLY, OLD_END),
  district(
    '000.00.94.H18',
    '000.00.00.H18',
    '094',
    'Ủy ban nhân dân thành phố Điện Biên Phủ',
    DB_FROM,
    OLD_END,
  ),
  district('000.00.46.H62', '000.00.00.H62', '246', 'Ủy ban nhân dân huyện Lập Thạch', EARLY, OLD_END),
  district('000.00.56.H05', '000.00.00.H05', '256', 'Ủy ban nhân dân thành phố Bắc Ninh', EARLY, OLD_END),
  // Commune people's committees before 2025 (synthetic codes)
  commune('000.01.21.H26', '000.00.21.H26', '00595', 'Ủy ban nhân dân phường Thượng Cát', BTL_FROM, OLD_END),
  commune('000.02.21.H26', '000.00.21.H26', '00598', 'Ủy ban nhân dân phường Liên Mạc', BTL_FROM, OLD_END),
  commune('000.03.21.H26', '000.00.21.H26', '00601', 'Ủy ban nhân dân phường Đông Ngạc', BTL_FROM, OLD_END),
  commune('000.04.21.H26', '000.00.21.H26', '00602', 'Ủy ban nhân dân phường Đức Thắng', BTL_FROM, OLD_END),
  commune('000.05.21.H26', '000.00.21.H26', '00604', 'Ủy ban nhân dân phường Thụy Phương', BTL_FROM, OLD_END),
  commune('000.06.21.H26', '000.00.21.H26', '00607', 'Ủy ban nhân dân phường Tây Tựu', BTL_FROM, OLD_END),
  commune('000.07.21.H26', '000.00.21.H26', '00610', 'Ủy ban nhân dân phường Xuân Đỉnh', BTL_FROM, OLD_END),
  commune('000.08.21.H26', '000.00.21.H26', '00611', 'Ủy ban nhân dân phường Xuân Tảo', BTL_FROM, OLD_END),
  commune('000.09.21.H26', '000.00.21.H26', '00613', 'Ủy ban nhân dân phường Minh Khai', BTL_FROM, OLD_END),
  commune('000.10.21.H26', '000.00.21.H26', '00616', 'Ủy ban nhân dân phường Cổ Nhuế 1', BTL_FROM, OLD_END),
  commune('000.11.21.H26', '000.00.21.H26', '00617', 'Ủy ban nhân dân phường Cổ Nhuế 2', BTL_FROM, OLD_END),
  commune('000.12.21.H26', '000.00.21.H26', '00619', 'Ủy ban nhân dân phường Phú Diễn', BTL_FROM, OLD_END),
  commune('000.13.21.H26', '000.00.21.H26', '00620', 'Ủy ban nhân dân phường Phúc Diễn', BTL_FROM, OLD_END),
  commune('000.01.46.H62', '000.00.46.H62', '08761', 'Ủy ban nhân dân thị trấn Lập Thạch', EARLY, OLD_END),
  commune('000.02.46.H62', '000.00.46.H62', '08794', 'Ủy ban nhân dân xã Xuân Hòa', EARLY, OLD_END),
  commune('000.03.46.H62', '000.00.46.H62', '08797', 'Ủy ban nhân dân xã Vân Trục', EARLY, OLD_END),
  commune('000.04.46.H62', '000.00.46.H62', '08815', 'Ủy ban nhân dân xã Tử Du', EARLY, OLD_END),
  commune('000.05.46.H62', '000.00.46.H62', '08764', 'Ủy ban nhân dân xã Quang Sơn', EARLY, OLD_END),
  commune('000.06.46.H62', '000.00.46.H62', '08767', 'Ủy ban nhân dân xã Ngọc Mỹ', EARLY, OLD_END),
  commune('000.07.46.H62', '000.00.46.H62', '08770', 'Ủy ban nhân dân xã Hợp Lý', EARLY, OLD_END),
  commune('000.01.61.H03', '000.00.61.H03', '01888', 'Ủy ban nhân dân thị trấn Chợ Rã', EARLY, OLD_END),
  commune('000.02.61.H03', '000.00.61.H03', '01912', 'Ủy ban nhân dân xã Thượng Giáo', EARLY, OLD_END),
  commune('000.03.61.H03', '000.00.61.H03', '01915', 'Ủy ban nhân dân xã Địa Linh', EARLY, OLD_END),
  commune('000.04.61.H03', '000.00.61.H03', '01900', 'Ủy ban nhân dân xã Cao Thượng', EARLY, OLD_END),
  commune('000.05.61.H03', '000.00.61.H03', '01906', 'Ủy ban nhân dân xã Khang Ninh', EARLY, OLD_END),
  commune('000.06.61.H03', '000.00.61.H03', '01909', 'Ủy ban nhân dân xã Nam Mẫu', EARLY, OLD_END),
  commune('000.01.94.H18', '000.00.94.H18', '03127', 'Ủy ban nhân dân phường Him Lam', DB_FROM, OLD_END),
  commune('000.02.94.H18', '000.00.94.H18', '03130', 'Ủy ban nhân dân phường Thanh Bình', DB_FROM, OLD_END),
  commune('000.03.94.H18', '000.00.94.H18', '03133', 'Ủy ban nhân dân phường Tân Thanh', DB_FROM, OLD_END),
  commune('000.04.94.H18', '000.00.94.H18', '03136', 'Ủy ban nhân dân phường Mường Thanh', DB_FROM, OLD_END),
  commune('000.05.94.H18', '000.00.94.H18', '03124', 'Ủy ban nhân dân phường Noong Bua', DB_FROM, OLD_END),
  commune('000.06.94.H18', '000.00.94.H18', '03139', 'Ủy ban nhân dân phường Nam Thanh', DB_FROM, OLD_END),
  commune('000.01.56.H05', '000.00.56.H05', '09163', 'Ủy ban nhân dân phường Vũ Ninh', EARLY, OLD_END),
  commune('000.02.56.H05', '000.00.56.H05', '09166', 'Ủy ban nhân dân phường Đáp Cầu', EARLY, OLD_END),
  commune('000.03.56.H05', '000.00.56.H05', '09169', 'Ủy ban nhân dân phường Thị Cầu', EARLY, OLD_END),
  commune('000.04.56.H05', '000.00.56.H05', '09172', 'Ủy ban nhân dân phường Kinh Bắc', EARLY, OLD_END),
  commune('000.05.56.H05', '000.00.56.H05', '09184', 'Ủy ban nhân dân phường Tiền Ninh Vệ', EARLY, OLD_END),
  commune('000.06.56.H05', '000.00.56.H05', '09187', 'Ủy ban nhân dân phường Suối Hoa', EARLY, OLD_END),
  // Commune people's committees from 1 July 2025 (synthetic codes)
  commune('000.00.41.H26', '000.00.00.H26', '00091', 'Ủy ban nhân dân phường Phú Thượng', REFORM, null),
  commune('000.00.42.H26', '000.00.00.H26', '00160', 'Ủy ban nhân dân phường Nghĩa Đô', REFORM, null),
  commune('000.00.43.H26', '000.00.00.H26', '00598', 'Ủy ban nhân dân phường Thượng Cát', REFORM, null),
  commune('000.00.44.H26', '000.00.00.H26', '00602', 'Ủy ban nhân dân phường Đông Ngạc', REFORM, null),
  commune('000.00.45.H26', '000.00.00.H26', '00611', 'Ủy ban nhân dân phường Xuân Đỉnh', REFORM, null),
  commune('000.00.46.H26', '000.00.00.H26', '00613', 'Ủy ban nhân dân phường Tây Tựu', REFORM, null),
  commune('000.00.47.H26', '000.00.00.H26', '00619', 'Ủy ban nhân dân phường Phú Diễn', REFORM, null),
  commune('000.00.48.H26', '000.00.00.H26', '00622', 'Ủy ban nhân dân phường Xuân Phương', REFORM, null),
  commune('000.00.41.H55', '000.00.00.H55', '01906', 'Ủy ban nhân dân xã Ba Bể', REFORM, null),
  commune('000.00.42.H55', '000.00.00.H55', '01912', 'Ủy ban nhân dân xã Chợ Rã', REFORM, null),
  commune('000.00.41.H18', '000.00.00.H18', '03127', 'Ủy ban nhân dân phường Điện Biên Phủ', REFORM, null),
  commune('000.00.42.H18', '000.00.00.H18', '03334', 'Ủy ban nhân dân phường Mường Thanh', REFORM, null),
  commune('000.00.41.H44', '000.00.00.H44', '08761', 'Ủy ban nhân dân xã Lập Thạch', REFORM, null),
  commune('000.00.42.H44', '000.00.00.H44', '08770', 'Ủy ban nhân dân xã Hợp Lý', REFORM, null),
  commune('000.00.41.H05', '000.00.00.H05', '09169', 'Ủy ban nhân dân phường Vũ Ninh', REFORM, null),
  commune('000.00.42.H05', '000.00.00.H05', '09187', 'Ủy ban nhân dân phường Kinh Bắc', REFORM, null),
  commune('000.00.49.H26', '000.00.00.H26', '09817', 'Ủy ban nhân dân xã Ô Diên', REFORM, null),
  commune('000.00.50.H26', '000.00.00.H26', '09832', 'Ủy ban nhân dân xã Hoài Đức', REFORM, null),
];
