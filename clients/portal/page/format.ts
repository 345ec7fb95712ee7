/** Vietnamese labels and date formats of the portal page. */

/** The national portal's ten dossier statuses (DossierStatus), as a citizen reads them. */
export const STATUS: Record<string, string> = {
  MOI_DANG_KY: 'Mới đăng ký',
  DUOC_TIEP_NHAN: 'Được tiếp nhận',
  KHONG_DUOC_TIEP_NHAN: 'Không được tiếp nhận',
  DANG_XU_LY: 'Đang xử lý',
  YEU_CAU_BO_SUNG_GIAY_TO: 'Yêu cầu bổ sung giấy tờ',
  YEU_CAU_THUC_HIEN_NGHIA_VU_TAI_CHINH: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  CONG_DAN_RUT_HO_SO: 'Công dân yêu cầu rút hồ sơ',
  DUNG_XU_LY: 'Dừng xử lý',
  DA_XU_LY_XONG: 'Đã xử lý xong',
  DA_TRA_KET_QUA: 'Đã trả kết quả',
};

/** Statuses after which nothing changes any more: the page stops watching. */
export const FINAL = new Set(['KHONG_DUOC_TIEP_NHAN', 'CONG_DAN_RUT_HO_SO', 'DUNG_XU_LY', 'DA_TRA_KET_QUA']);

export const TIMELINESS: Record<string, string> = {
  TRUOC_HAN: 'Trước hạn',
  DUNG_HAN: 'Đúng hạn',
  QUA_HAN: 'Quá hạn',
  TRONG_HAN: 'Trong hạn',
};

export const statusLabel = (status: string): string => STATUS[status] ?? status;

/** `2024-03-14` → `14/03/2024`. */
export const date = (value: string | null | undefined): string =>
  value ? value.slice(0, 10).split('-').reverse().join('/') : '—';

/** An ISO date-time in Vietnam's time: `14/03/2024 08:30`. */
export const dateTime = (value: string | null | undefined): string =>
  value
    ? new Date(value).toLocaleString('vi-VN', {
        timeZone: 'Asia/Ho_Chi_Minh',
        day: '2-digit',
        month: '2-digit',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hour12: false,
      })
    : '—';

/** The time of day now, for "updated at" notes. */
export const clock = (): string => new Date().toLocaleTimeString('vi-VN', { hour12: false });

/** A gateway error code as a citizen reads it. */
export function errorText(code: string, what: 'hồ sơ' | 'văn bản'): string {
  switch (code) {
    case 'BAD_USER_INPUT':
      return what === 'hồ sơ'
        ? 'Mã hồ sơ không đúng định dạng. Vui lòng kiểm tra lại trên giấy tiếp nhận.'
        : 'Từ khoá không hợp lệ.';
    case 'NOT_FOUND':
      return `Không tìm thấy ${what}.`;
    case 'RATE_LIMITED':
      return 'Bạn tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút.';
    default:
      return `Không tra cứu được ${what} lúc này (mã lỗi ${code}). Vui lòng thử lại sau.`;
  }
}
