/**
 * Synthetic officials shared by every subgraph's seed. Official ids are `<agency code>/<n>`; the name
 * of official n of an agency is derived from the id alone, so the documents seed (signers) and the
 * mail seed (the directory of officials) agree without importing each other. All names are synthetic.
 */
import { fnv1a as hash, Prng } from './prng';

const SURNAMES = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
];
const MIDDLE_M = ['Văn', 'Hữu', 'Đức', 'Minh', 'Quang', 'Công', 'Xuân', 'Thanh'];
const MIDDLE_F = ['Thị', 'Thu', 'Ngọc', 'Thanh', 'Minh', 'Phương', 'Hồng', 'Kim'];
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
  'Hòa',
  'Thủy',
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
];

export const LEADER_POSITIONS = ['Chủ tịch', 'Phó Chủ tịch', 'Phó Chủ tịch'] as const;

export interface SyntheticOfficial {
  id: string;
  fullName: string;
  female: boolean;
}

export function officialId(agencyCode: string, n: number): string {
  return `${agencyCode}/${n}`;
}

export function syntheticOfficial(agencyCode: string, n: number): SyntheticOfficial {
  const id = officialId(agencyCode, n);
  const r = new Prng(hash(id));
  const female = r.chance(0.45);
  const fullName = `${r.pick(SURNAMES)} ${r.pick(female ? MIDDLE_F : MIDDLE_M)} ${r.pick(female ? GIVEN_F : GIVEN_M)}`;
  return { id, fullName, female };
}
