/**
 * Synthetic applicants: Vietnamese names, addresses in the agency's own communes, CCCD numbers built
 * like real ones (`PPP` province of birth + century/sex digit + 2-digit birth year + 6 digits) but
 * random, phone numbers on real mobile prefixes, tax codes of 10 digits. Nobody here exists.
 */
import type { Prng } from '../../../kit';
import type { ApplicantKind } from '../generated/graphql';

const SURNAMES: [string, number][] = [
  ['Nguyễn', 38],
  ['Trần', 11],
  ['Lê', 9],
  ['Phạm', 7],
  ['Hoàng', 5],
  ['Vũ', 4],
  ['Phan', 4],
  ['Đặng', 2],
  ['Bùi', 2],
  ['Đỗ', 2],
  ['Hồ', 1],
  ['Ngô', 1],
  ['Dương', 1],
  ['Lý', 1],
  ['Đinh', 1],
  ['Lò', 1],
  ['Quàng', 1],
];
const MIDDLE_M = ['Văn', 'Hữu', 'Đức', 'Minh', 'Quang', 'Công', 'Xuân', 'Tiến', 'Thế', 'Ngọc'];
const MIDDLE_F = ['Thị', 'Thu', 'Ngọc', 'Thanh', 'Minh', 'Phương', 'Hồng', 'Kim', 'Thùy', 'Bích'];
const GIVEN_M = [
  'An',
  'Bình',
  'Cường',
  'Dũng',
  'Hải',
  'Hùng',
  'Khánh',
  'Long',
  'Nam',
  'Quân',
  'Sơn',
  'Thắng',
  'Tuấn',
  'Việt',
  'Phúc',
  'Trung',
  'Đạt',
  'Hiếu',
  'Kiên',
  'Toàn',
];
const GIVEN_F = [
  'Hà',
  'Hạnh',
  'Hương',
  'Lan',
  'Linh',
  'Mai',
  'Nga',
  'Phương',
  'Thảo',
  'Trang',
  'Yến',
  'Huyền',
  'Hoa',
  'Thủy',
  'Dung',
  'Ngân',
  'Oanh',
  'Vân',
];
const BUSINESS = [
  'Minh Phát',
  'Hưng Thịnh',
  'An Khang',
  'Thành Đạt',
  'Phú Cường',
  'Việt Tiến',
  'Hòa Bình',
  'Đại Dương',
  'Sao Mai',
  'Trường Sơn',
  'Hồng Hà',
  'Kim Long',
];
const ORG_FORMS = ['Công ty TNHH', 'Công ty cổ phần', 'Hợp tác xã', 'Doanh nghiệp tư nhân'];
const STREETS = [
  'Trần Phú',
  'Lê Lợi',
  'Nguyễn Trãi',
  'Quang Trung',
  'Hùng Vương',
  'Lý Thường Kiệt',
  'Hai Bà Trưng',
  'Võ Thị Sáu',
  'Phan Đình Phùng',
  'Nguyễn Du',
];
const PHONE_PREFIXES = [
  '091',
  '094',
  '088',
  '098',
  '097',
  '096',
  '086',
  '032',
  '035',
  '038',
  '070',
  '077',
  '083',
  '085',
];

export interface ApplicantSeed {
  kind: ApplicantKind;
  name: string;
  idNumber: string;
  phone: string | null;
  address: string;
}

const digits = (rng: Prng, n: number): string => Array.from({ length: n }, () => rng.int(0, 9)).join('');

function personName(rng: Prng, female: boolean): string {
  return `${rng.weighted(SURNAMES)} ${rng.pick(female ? MIDDLE_F : MIDDLE_M)} ${rng.pick(female ? GIVEN_F : GIVEN_M)}`;
}

/** A synthetic 12-digit CCCD: province of birth, century/sex (0/1 born 19xx, 2/3 born 20xx), year. */
export function syntheticCccd(rng: Prng, provinceCode: string, female: boolean, birthYear: number): string {
  const century = birthYear >= 2000 ? 2 : 0;
  return `0${provinceCode.padStart(2, '0')}${century + (female ? 1 : 0)}${String(birthYear % 100).padStart(2, '0')}${digits(rng, 6)}`;
}

/** Where applicants of an agency live: commune name, district name (if any), province name. */
export interface Locality {
  commune: string;
  district: string | null;
  province: string;
  provinceCode: string;
}

export function applicant(rng: Prng, place: Locality, year: number, organisation: boolean): ApplicantSeed {
  const where = [place.commune, place.district, place.province].filter(Boolean).join(', ');
  const street = rng.chance(0.5)
    ? `Số ${rng.int(1, 250)} đường ${rng.pick(STREETS)}`
    : `Thôn ${rng.int(1, 12)}`;
  const address = `${street}, ${where}`;
  const phone = rng.chance(0.9) ? `${rng.pick(PHONE_PREFIXES)}${digits(rng, 7)}` : null;
  if (organisation) {
    const form = rng.pick(ORG_FORMS);
    return {
      kind: 'TO_CHUC',
      name: `${form} ${rng.pick(BUSINESS)} ${place.province.replace(/^(Tỉnh|Thành phố) /, '')}`,
      idNumber: `${rng.int(1, 6)}${digits(rng, 9)}`,
      phone,
      address,
    };
  }
  const female = rng.chance(0.5);
  const birthYear = Math.min(year - 16, rng.int(1945, 2007));
  return {
    kind: 'CONG_DAN',
    name: personName(rng, female),
    idNumber: syntheticCccd(rng, place.provinceCode, female, birthYear),
    phone,
    address,
  };
}
