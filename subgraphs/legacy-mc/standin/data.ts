/**
 * The stand-in's records, in the vendor's own field names (Vietnamese, camel case), derived
 * deterministically from the codes the seeds use: a dossier code `<agency>-<yymmdd>-<seq>` always has
 * the same payment record, an agency of the reference catalogue the same receipts. Nothing is stored.
 */
import { createHash } from 'node:crypto';
import { AGENCIES } from '../../../kit';

const DOSSIER_CODE = /^(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(\d{2})(\d{2})(\d{2})-(\d{4})$/;
const AGENCY_CODES = new Set(AGENCIES.map((a) => a.code));

/** A number in [0, n) from a code: the same code, the same number. */
const pick = (code: string, n: number, salt = ''): number =>
  createHash('sha256')
    .update(salt + code)
    .digest()
    .readUInt32BE(0) % n;

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ'];
const MIDDLE = ['Văn', 'Thị', 'Đức', 'Minh', 'Thu'];
const GIVEN = ['An', 'Bình', 'Chi', 'Dũng', 'Hà', 'Lan', 'Nam', 'Tú'];

export interface ThanhToanHoSo {
  maHoSo: string;
  maDonVi: string;
  lePhi: number;
  trangThaiThanhToan: 'DA_NOP' | 'CHUA_NOP' | 'MIEN_PHI';
  kenhNop: 'TRUC_TUYEN' | 'TAI_QUAY';
  ngayNop: string | null;
  nguoiNop: { hoTen: string; soDienThoai: string };
}

/** The payment record of a dossier, or null for a code that is not a dossier code. */
export function paymentOf(maHoSo: string): ThanhToanHoSo | null {
  const m = DOSSIER_CODE.exec(maHoSo);
  if (!m) return null;
  const fee = [0, 15_000, 30_000, 50_000, 100_000][pick(maHoSo, 5)]!;
  const status = fee === 0 ? 'MIEN_PHI' : pick(maHoSo, 4, 's') === 0 ? 'CHUA_NOP' : 'DA_NOP';
  return {
    maHoSo,
    maDonVi: m[1]!,
    lePhi: fee,
    trangThaiThanhToan: status,
    kenhNop: pick(maHoSo, 2, 'k') ? 'TRUC_TUYEN' : 'TAI_QUAY',
    ngayNop: status === 'DA_NOP' ? `20${m[2]}-${m[3]}-${m[4]}` : null,
    nguoiNop: {
      hoTen: `${FAMILY[pick(maHoSo, FAMILY.length, 'f')]} ${MIDDLE[pick(maHoSo, MIDDLE.length, 'm')]} ${GIVEN[pick(maHoSo, GIVEN.length, 'g')]}`,
      soDienThoai: `09${String(pick(maHoSo, 100_000_000, 'p')).padStart(8, '0')}`,
    },
  };
}

export interface DonVi {
  maDonVi: string;
  tenHeThong: string;
  phienBan: string;
  soQuay: number;
}

/** The one-stop-shop desk of an agency of the catalogue, or null. */
export function deskOf(maDonVi: string): DonVi | null {
  if (!AGENCY_CODES.has(maDonVi)) return null;
  return {
    maDonVi,
    tenHeThong: 'MotCua 3.2',
    phienBan: `3.2.${pick(maDonVi, 9)}`,
    soQuay: 1 + pick(maDonVi, 6, 'q'),
  };
}

export interface BienLai {
  soBienLai: string;
  maHoSo: string;
  soTien: number;
}

/** How many receipts an agency has: 0–119, by its code. */
export const receiptCount = (maDonVi: string): number => pick(maDonVi, 120, 'n');

/** The agency's receipts, newest number first; `index` from 0. */
export function receiptAt(maDonVi: string, index: number): BienLai {
  const seq = String(index + 1).padStart(4, '0');
  return {
    soBienLai: `BL-${maDonVi}-${seq}`,
    maHoSo: `${maDonVi}-260105-${seq}`,
    soTien: [15_000, 30_000, 50_000][pick(`${maDonVi}/${seq}`, 3)]!,
  };
}
