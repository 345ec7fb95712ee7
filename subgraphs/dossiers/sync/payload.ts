/**
 * The national portal's sync payloads (field names as OpenCPS's adapter sends them, docs/interop.md):
 * `DongBoHoSoMC` syncs a dossier as it stands, `CapNhatTienDoHoSoMC` reports one processing step.
 * Dates are `yyyyMMddHHmmss` in Vietnam's time (UTC+7, no daylight saving). Status codes are the
 * portal's (status.ts STATUS_CODE).
 */
import { STATUS_CODE } from '../status';
import type { DossierStatus } from '../generated/graphql';

export type SyncKind = 'DongBoHoSoMC' | 'CapNhatTienDoHoSoMC';

/** What a payload is built from: the dossier with its procedure and agency names, and the step. */
export interface SyncSource {
  code: string;
  procedureNationalCode: string;
  procedureName: string;
  fieldCode: string;
  fieldName: string;
  summary: string;
  agencyName: string;
  applicantKind: 'CONG_DAN' | 'TO_CHUC';
  applicantName: string;
  applicantIdNumber: string;
  channel: 'TRUC_TIEP' | 'TRUC_TUYEN' | 'BUU_CHINH';
  status: DossierStatus;
  receivedAt: string;
  dueDate: string;
  finishedAt: string | null;
  returnedAt: string | null;
  step: {
    seq: number;
    at: string;
    officialName: string;
    unitName: string;
    action: string;
    status: DossierStatus;
  };
}

const VN_OFFSET_MS = 7 * 3_600_000;

/** `yyyyMMddHHmmss` of an instant in Vietnam's time. */
export function portalTime(iso: string): string {
  return new Date(Date.parse(iso) + VN_OFFSET_MS).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** `yyyyMMddHHmmss` of the end of a calendar day (an appointment date). */
const portalDay = (date: string): string => `${date.replace(/-/g, '')}170000`;

const CHANNEL = { TRUC_TIEP: 1, TRUC_TUYEN: 2, BUU_CHINH: 3 } as const;

export function buildPayload(kind: SyncKind, s: SyncSource): Record<string, unknown> {
  if (kind === 'CapNhatTienDoHoSoMC')
    return {
      MaHoSo: s.code,
      NguoiXuLy: s.step.officialName,
      PhongBanXuLy: s.step.unitName,
      ThoiDiemXuLy: portalTime(s.step.at),
      NoiDungXuLy: s.step.action,
      TrangThai: STATUS_CODE[s.step.status],
      NgayKetThucTheoQuyDinh: portalDay(s.dueDate),
    };
  return {
    MaHoSo: s.code,
    MaTTHC: s.procedureNationalCode,
    TenTTHC: s.procedureName,
    MaLinhVuc: s.fieldCode,
    TenLinhVuc: s.fieldName,
    TrichYeuHoSo: s.summary,
    DonViXuLy: s.agencyName,
    ChuHoSo: s.applicantName,
    LoaiDoiTuong: s.applicantKind === 'CONG_DAN' ? 1 : 2,
    MaDoiTuong: s.applicantIdNumber,
    KenhThucHien: CHANNEL[s.channel],
    NgayTiepNhan: portalTime(s.receivedAt),
    NgayHenTra: portalDay(s.dueDate),
    NgayKetThucXuLy: s.finishedAt ? portalTime(s.finishedAt) : '',
    NgayTra: s.returnedAt ? portalTime(s.returnedAt) : '',
    // The status as of the step the row stands for, so the portal never sees a later state before an earlier one.
    TrangThaiHoSo: STATUS_CODE[s.step.status],
  };
}
