/** What seeded documents say and how they are signed: types, topics, subjects, symbols, urgency. */
import type { AgencySeed } from '../../../kit';
import type { Prng } from '../../../kit/synthetic';
import type { Urgency } from '../generated/graphql';

/** Decree 30 type codes by weight (null = công văn, ≈60%). */
export const TYPE_WEIGHTS: [string | null, number][] = [
  [null, 60],
  ['QĐ', 15],
  ['TB', 7],
  ['KH', 6],
  ['BC', 6],
  ['GM', 4],
  ['TTr', 2],
];

export const URGENCY_WEIGHTS: [Urgency | null, number][] = [
  [null, 90],
  ['KHAN', 6],
  ['THUONG_KHAN', 3],
  ['HOA_TOC', 1],
];

/** Drafting units of công văn symbols (`KT` in `45/UBND-KT`). */
export const UNIT_SYMBOLS = ['VP', 'KT', 'NC', 'TH', 'VX', 'ĐT'];

const TOPICS = [
  'triển khai Kế hoạch cải cách hành chính năm {y}',
  'báo cáo tình hình ứng dụng công nghệ thông tin năm {y}',
  'tăng cường sử dụng thư điện tử công vụ trong cơ quan nhà nước',
  'đôn đốc giải quyết hồ sơ thủ tục hành chính quá hạn',
  'phối hợp rà soát hồ sơ cấp giấy chứng nhận quyền sử dụng đất',
  'chuẩn bị nội dung họp giao ban tháng {m}',
  'lấy ý kiến góp ý dự thảo Quy chế làm việc',
  'cử cán bộ tham gia tập huấn sử dụng chữ ký số',
  'tăng cường công tác phòng, chống thiên tai và tìm kiếm cứu nạn',
  'tổ chức thực hiện dự toán ngân sách nhà nước năm {y}',
  'đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình',
  'thực hiện chuyển đổi số trong giải quyết thủ tục hành chính',
  'kiện toàn Ban Chỉ đạo xây dựng Chính quyền điện tử',
  'công tác tiếp công dân, giải quyết khiếu nại, tố cáo',
  'rà soát, chuẩn hóa dữ liệu hộ tịch trên địa bàn',
];

const SUBJECT_BY_TYPE: Record<string, (topic: string) => string> = {
  CV: (t) => `V/v ${t}`,
  QĐ: (t) => `Quyết định về việc ${t}`,
  TB: (t) => `Thông báo kết luận về ${t}`,
  KH: (t) => `Kế hoạch ${t}`,
  BC: (t) => `Báo cáo ${t}`,
  GM: (t) => `Giấy mời họp về ${t}`,
  TTr: (t) => `Tờ trình đề nghị ${t}`,
};

/** A subject (trích yếu) of a document of this type issued on `issued`. */
export function subjectFor(rng: Prng, typeCode: string | null, issued: string): string {
  const topic = rng
    .pick(TOPICS)
    .replace('{y}', issued.slice(0, 4))
    .replace('{m}', String(Number(issued.slice(5, 7))));
  return SUBJECT_BY_TYPE[typeCode ?? 'CV']!(topic);
}

/** The organ part of an agency's symbols: UBND for people's committees, initials otherwise. */
export function organSymbol(a: AgencySeed): string {
  if (a.level === 'PROVINCE' || a.level === 'DISTRICT' || a.level === 'COMMUNE') return 'UBND';
  if (a.name.startsWith('Văn phòng Ủy ban')) return 'VP';
  return a.name
    .split(/\s+/)
    .filter((w) => w !== 'và')
    .map((w) => w[0]!.toUpperCase())
    .join('')
    .normalize('NFC');
}

/** Nơi ban hành: the agency's seat, from its name. */
export const seatPlace = (a: AgencySeed): string =>
  a.name.replace(/^(Ủy ban nhân dân|Văn phòng|Sở|Bộ)\s+/u, '');
