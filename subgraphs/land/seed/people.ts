/**
 * Synthetic land holders: Vietnamese names, birth years, citizen identity numbers and addresses. All
 * SYNTHETIC. A CCCD number is `PPP` (birth province, e.g. 001 Hà Nội) + a century/sex digit (0 male /
 * 1 female born 1900–1999, 2/3 from 2000) + the 2-digit birth year + 6 random digits.
 */
import type { Prng } from '../../../kit';
import type { HolderInput } from '../db/changes';

const SURNAMES: readonly (readonly [string, number])[] = [
  ['Nguyễn', 38],
  ['Trần', 11],
  ['Lê', 9],
  ['Phạm', 7],
  ['Hoàng', 5],
  ['Phan', 4],
  ['Vũ', 4],
  ['Đặng', 2],
  ['Bùi', 2],
  ['Đỗ', 2],
  ['Hồ', 1],
  ['Ngô', 1],
  ['Dương', 1],
  ['Lý', 1],
  ['Đào', 1],
  ['Đinh', 1],
];
const MIDDLE_M = ['Văn', 'Hữu', 'Đức', 'Minh', 'Quang', 'Công', 'Xuân', 'Đình', 'Ngọc', 'Mạnh'];
const MIDDLE_F = ['Thị', 'Thị', 'Thị', 'Thu', 'Ngọc', 'Thanh', 'Minh', 'Phương', 'Hồng', 'Kim'];
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
  'Toàn',
  'Tùng',
  'Lâm',
  'Phúc',
  'Thành',
  'Trung',
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
  'Hòa',
  'Thủy',
  'Loan',
  'Dung',
  'Oanh',
  'Liên',
];
const ORGANISATIONS: readonly string[] = [
  'Công ty TNHH Thương mại và Dịch vụ Minh Phát',
  'Công ty Cổ phần Đầu tư Xây dựng Hồng Hà',
  'Công ty TNHH Sản xuất Bao bì An Phú',
  'Hợp tác xã Dịch vụ Nông nghiệp Đoàn Kết',
];

export function syntheticPerson(
  rng: Prng,
  provinceCode: string,
  address: string,
  female = rng.chance(0.4),
): HolderInput {
  const fullName = `${rng.weighted(SURNAMES)} ${rng.pick(female ? MIDDLE_F : MIDDLE_M)} ${rng.pick(female ? GIVEN_F : GIVEN_M)}`;
  const birthYear = rng.int(1940, 1998);
  const born = rng.chance(0.85) ? provinceCode : rng.pick(['001', '030', '034', '036', '038', '040']);
  const centurySex = (birthYear >= 2000 ? 2 : 0) + (female ? 1 : 0);
  const idNumber = `${born}${centurySex}${String(birthYear % 100).padStart(2, '0')}${String(rng.int(0, 999_999)).padStart(6, '0')}`;
  return { holderType: 'CNV', fullName, birthYear, idNumber, address };
}

/** A household: one holder, or a married couple (both are listed on the certificate). */
export function household(rng: Prng, provinceCode: string, address: string): HolderInput[] {
  const head = syntheticPerson(rng, provinceCode, address, rng.chance(0.25));
  if (!rng.chance(0.55)) return [head];
  const spouse = syntheticPerson(rng, provinceCode, address, !isFemale(head));
  spouse.birthYear = Math.min(1998, Math.max(1940, head.birthYear! + rng.int(-6, 4)));
  spouse.idNumber = `${spouse.idNumber!.slice(0, 4)}${String(spouse.birthYear % 100).padStart(2, '0')}${spouse.idNumber!.slice(6)}`;
  return [head, spouse];
}

const isFemale = (h: HolderInput): boolean => Number(h.idNumber![3]) % 2 === 1;

export function organisation(
  rng: Prng,
  holderType: 'TKT' | 'TCN' | 'TSN' | 'CDS',
  communeName: string,
  address: string,
): HolderInput {
  const fullName =
    holderType === 'TKT'
      ? rng.pick(ORGANISATIONS)
      : holderType === 'CDS'
        ? `Cộng đồng dân cư ${address.split(',')[0]}`
        : holderType === 'TCN'
          ? `Ủy ban nhân dân ${communeName.replace(/^(Xã|Phường|Thị trấn)/, (t) => t.toLowerCase())}`
          : `Trường Tiểu học ${communeName.replace(/^(Xã|Phường|Thị trấn) /, '')}`;
  return { holderType, fullName, birthYear: null, idNumber: null, address };
}
