/**
 * The dossier state machine over the national portal's ten statuses: which status may follow which.
 * Supplement requests, results and returns are transitions too (their mutations add what they record).
 */
import { AppError, ErrorCode } from '../../kit';
import type { DossierStatus } from './generated/graphql';

/** National portal codes (TrangThaiHoSo). */
export const STATUS_CODE: Record<DossierStatus, number> = {
  MOI_DANG_KY: 1,
  DUOC_TIEP_NHAN: 2,
  KHONG_DUOC_TIEP_NHAN: 3,
  DANG_XU_LY: 4,
  YEU_CAU_BO_SUNG_GIAY_TO: 5,
  YEU_CAU_THUC_HIEN_NGHIA_VU_TAI_CHINH: 6,
  CONG_DAN_RUT_HO_SO: 7,
  DUNG_XU_LY: 8,
  DA_XU_LY_XONG: 9,
  DA_TRA_KET_QUA: 10,
};

const LEAVE: DossierStatus[] = ['CONG_DAN_RUT_HO_SO', 'DUNG_XU_LY'];
const WORK: DossierStatus[] = [
  'YEU_CAU_BO_SUNG_GIAY_TO',
  'YEU_CAU_THUC_HIEN_NGHIA_VU_TAI_CHINH',
  ...LEAVE,
  'DA_XU_LY_XONG',
];

export const ALLOWED: Record<DossierStatus, readonly DossierStatus[]> = {
  MOI_DANG_KY: ['DUOC_TIEP_NHAN', 'KHONG_DUOC_TIEP_NHAN', 'CONG_DAN_RUT_HO_SO'],
  DUOC_TIEP_NHAN: ['DANG_XU_LY', ...WORK],
  DANG_XU_LY: WORK,
  YEU_CAU_BO_SUNG_GIAY_TO: ['DANG_XU_LY', ...LEAVE],
  YEU_CAU_THUC_HIEN_NGHIA_VU_TAI_CHINH: ['DANG_XU_LY', ...LEAVE],
  DA_XU_LY_XONG: ['DA_TRA_KET_QUA'],
  KHONG_DUOC_TIEP_NHAN: [],
  CONG_DAN_RUT_HO_SO: [],
  DUNG_XU_LY: [],
  DA_TRA_KET_QUA: [],
};

/** Throws ILLEGAL_TRANSITION (naming both statuses) unless `to` may follow `from`. */
export function checkTransition(code: string, from: DossierStatus, to: DossierStatus): void {
  if (ALLOWED[from].includes(to)) return;
  const next = ALLOWED[from].length
    ? `allowed from ${from}: ${ALLOWED[from].join(', ')}`
    : `${from} is final`;
  throw new AppError(
    ErrorCode.ILLEGAL_TRANSITION,
    `dossier ${code} cannot move from ${from} (${STATUS_CODE[from]}) to ${to} (${STATUS_CODE[to]}); ${next}`,
  );
}
