/** The national portal's payloads: field names, codes and `yyyyMMddHHmmss` in Vietnam's time. */
import { buildPayload, portalTime } from '../sync/payload';
import type { SyncSource } from '../sync/payload';
import { backoff } from '../sync/sender';

const source: SyncSource = {
  code: '000.00.46.H62-250303-0001',
  procedureNationalCode: '1.000656',
  procedureName: 'Đăng ký khai sinh',
  fieldCode: 'G09-TP05',
  fieldName: 'Hộ tịch',
  summary: 'Đăng ký khai sinh cho con',
  agencyName: 'Ủy ban nhân dân huyện Lập Thạch',
  applicantKind: 'CONG_DAN',
  applicantName: 'Nguyễn Văn Bình',
  applicantIdNumber: '026090000123',
  channel: 'TRUC_TUYEN',
  status: 'DANG_XU_LY',
  receivedAt: '2025-03-03T01:10:00.000Z',
  dueDate: '2025-03-10',
  finishedAt: null,
  returnedAt: null,
  step: {
    seq: 1,
    at: '2025-03-03T01:10:00.000Z',
    officialName: 'Trần Thị Lan',
    unitName: 'Bộ phận một cửa',
    action: 'Tiếp nhận hồ sơ, viết giấy hẹn trả',
    status: 'DUOC_TIEP_NHAN',
  },
};

test('times are yyyyMMddHHmmss in Vietnam (UTC+7), across midnight too', () => {
  expect(portalTime('2025-03-03T01:10:05Z')).toBe('20250303081005');
  expect(portalTime('2024-12-31T17:30:00Z')).toBe('20250101003000');
});

test('DongBoHoSoMC carries the dossier with the status of its step', () => {
  expect(buildPayload('DongBoHoSoMC', source)).toEqual({
    MaHoSo: '000.00.46.H62-250303-0001',
    MaTTHC: '1.000656',
    TenTTHC: 'Đăng ký khai sinh',
    MaLinhVuc: 'G09-TP05',
    TenLinhVuc: 'Hộ tịch',
    TrichYeuHoSo: 'Đăng ký khai sinh cho con',
    DonViXuLy: 'Ủy ban nhân dân huyện Lập Thạch',
    ChuHoSo: 'Nguyễn Văn Bình',
    LoaiDoiTuong: 1,
    MaDoiTuong: '026090000123',
    KenhThucHien: 2,
    NgayTiepNhan: '20250303081000',
    NgayHenTra: '20250310170000',
    NgayKetThucXuLy: '',
    NgayTra: '',
    TrangThaiHoSo: 2,
  });
});

test('CapNhatTienDoHoSoMC reports one step', () => {
  expect(
    buildPayload('CapNhatTienDoHoSoMC', {
      ...source,
      step: { ...source.step, seq: 2, status: 'DANG_XU_LY' },
    }),
  ).toEqual({
    MaHoSo: '000.00.46.H62-250303-0001',
    NguoiXuLy: 'Trần Thị Lan',
    PhongBanXuLy: 'Bộ phận một cửa',
    ThoiDiemXuLy: '20250303081000',
    NoiDungXuLy: 'Tiếp nhận hồ sơ, viết giấy hẹn trả',
    TrangThai: 4,
    NgayKetThucTheoQuyDinh: '20250310170000',
  });
});

test('backoff is full jitter under min(max, base·2^attempt)', () => {
  const o = { baseDelayMs: 1000, maxDelayMs: 60_000 };
  const draws = Array.from({ length: 200 }, () => backoff(3, o));
  expect(Math.max(...draws)).toBeLessThan(8000);
  expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
  expect(Array.from({ length: 200 }, () => backoff(20, o)).every((d) => d < 60_000)).toBe(true);
});
