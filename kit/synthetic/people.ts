/**
 * Synthetic people every subgraph's seed shares — all SYNTHETIC, nobody here exists.
 *
 * Officials: ids are `<agency code>/<n>`; the name of official n of an agency is derived from the id
 * alone, so the documents seed (signers) and the mail seed (the directory of officials) agree without
 * importing each other.
 *
 * Citizens (dossier applicants, land holders) and organisations: one generator for the dossiers and
 * land seeds (and the land changes both record, kit/synthetic/landChanges.ts). Names with surnames at about their
 * real frequencies; CCCD numbers built like real ones — `PPP` province of birth + a century/sex digit
 * (0 male / 1 female born 1900–1999, 2/3 from 2000) + the 2-digit birth year + 6 random digits — but
 * random; mobile numbers on real prefixes; street or village addresses; business names; tax codes.
 */
import { fnv1a as hash, Prng } from './prng';

/**
 * Name pools. Officials draw uniformly from the first `OFFICIAL_POOL` entries of each (the names the
 * first seeds used, so every seeded official keeps their name); citizens draw from all of them.
 */
const SURNAMES: readonly (readonly [string, number])[] = [
  ['Nguyễn', 38],
  ['Trần', 11],
  ['Lê', 9],
  ['Phạm', 7],
  ['Hoàng', 5],
  ['Huỳnh', 2],
  ['Phan', 4],
  ['Vũ', 4],
  ['Võ', 2],
  ['Đặng', 2],
  ['Bùi', 2],
  ['Đỗ', 2],
  ['Hồ', 1],
  ['Ngô', 1],
  ['Dương', 1],
  ['Lý', 1],
  ['Đinh', 1],
  ['Đào', 1],
  ['Lò', 1],
  ['Quàng', 1],
];
// prettier-ignore
const MIDDLE_M = ['Văn', 'Hữu', 'Đức', 'Minh', 'Quang', 'Công', 'Xuân', 'Thanh', 'Tiến', 'Thế', 'Ngọc', 'Đình', 'Mạnh'];
// prettier-ignore
const MIDDLE_F = ['Thị', 'Thu', 'Ngọc', 'Thanh', 'Minh', 'Phương', 'Hồng', 'Kim', 'Thùy', 'Bích'];
// prettier-ignore
const GIVEN_M = [
  'An', 'Bình', 'Cường', 'Dũng', 'Hải', 'Hùng', 'Khánh', 'Long', 'Nam', 'Quân', 'Sơn', 'Thắng', 'Tuấn', 'Việt',
  'Hòa', 'Thủy', 'Phúc', 'Trung', 'Đạt', 'Hiếu', 'Kiên', 'Toàn', 'Tùng', 'Lâm', 'Thành',
];
// prettier-ignore
const GIVEN_F = [
  'Hà', 'Hạnh', 'Hương', 'Lan', 'Linh', 'Mai', 'Nga', 'Phương', 'Thảo', 'Trang', 'Yến', 'Huyền', 'Hòa', 'Thủy',
  'Hoa', 'Dung', 'Ngân', 'Oanh', 'Vân', 'Loan', 'Liên',
];
const OFFICIAL_POOL = { surnames: 16, middleM: 8, middleF: 8, givenM: 16, givenF: 14 } as const;

// prettier-ignore
const STREETS = [
  'Trần Phú', 'Lê Lợi', 'Nguyễn Trãi', 'Quang Trung', 'Hùng Vương', 'Lý Thường Kiệt', 'Hai Bà Trưng', 'Võ Thị Sáu',
  'Phan Đình Phùng', 'Nguyễn Du',
];
// prettier-ignore
const PHONE_PREFIXES = ['091', '094', '088', '098', '097', '096', '086', '032', '035', '038', '070', '077', '083', '085'];
// prettier-ignore
const BUSINESS = [
  'Minh Phát', 'Hưng Thịnh', 'An Khang', 'Thành Đạt', 'Phú Cường', 'Việt Tiến', 'Hòa Bình', 'Đại Dương', 'Sao Mai',
  'Trường Sơn', 'Hồng Hà', 'Kim Long',
];
const BUSINESS_FORMS = ['Công ty TNHH', 'Công ty cổ phần', 'Hợp tác xã', 'Doanh nghiệp tư nhân'];
/** Provinces of birth for people not born where they live: Hà Nội, Thái Nguyên, Hòa Bình, Thái Bình, Hà Nam, Nam Định. */
const ELSEWHERE = ['01', '19', '17', '34', '35', '36'];

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
  const head = <T>(pool: readonly T[], n: number): readonly T[] => pool.slice(0, n);
  const surname = r.pick(head(SURNAMES, OFFICIAL_POOL.surnames))[0];
  const middle = r.pick(
    female ? head(MIDDLE_F, OFFICIAL_POOL.middleF) : head(MIDDLE_M, OFFICIAL_POOL.middleM),
  );
  const given = r.pick(female ? head(GIVEN_F, OFFICIAL_POOL.givenF) : head(GIVEN_M, OFFICIAL_POOL.givenM));
  return { id, fullName: `${surname} ${middle} ${given}`, female };
}

export interface SyntheticCitizen {
  fullName: string;
  female: boolean;
  birthYear: number;
  /** 12-digit CCCD. */
  idNumber: string;
}

const digits = (rng: Prng, n: number): string => Array.from({ length: n }, () => rng.int(0, 9)).join('');

/** `Nguyễn Thị Lan`: a surname by frequency, a middle and a given name of the sex. */
export function personName(rng: Prng, female: boolean): string {
  return `${rng.weighted(SURNAMES)} ${rng.pick(female ? MIDDLE_F : MIDDLE_M)} ${rng.pick(female ? GIVEN_F : GIVEN_M)}`;
}

/** A 12-digit CCCD for a person born in `provinceCode` (2-digit statistics-office code) in `birthYear`. */
export function syntheticCccd(rng: Prng, provinceCode: string, female: boolean, birthYear: number): string {
  const centurySex = (birthYear >= 2000 ? 2 : 0) + (female ? 1 : 0);
  return `0${provinceCode.padStart(2, '0')}${centurySex}${String(birthYear % 100).padStart(2, '0')}${digits(rng, 6)}`;
}

export interface CitizenOptions {
  /** Province the person lives in (2-digit code); most were born there. */
  provinceCode: string;
  bornFrom: number;
  bornTo: number;
  /** Default: a draw, 50% women. */
  female?: boolean;
}

/** A citizen: name, sex, birth year and CCCD (85% born in the province they live in). */
export function syntheticCitizen(rng: Prng, o: CitizenOptions): SyntheticCitizen {
  const female = o.female ?? rng.chance(0.5);
  const fullName = personName(rng, female);
  const birthYear = rng.int(o.bornFrom, Math.max(o.bornFrom, o.bornTo));
  const born = rng.chance(0.85) ? o.provinceCode : rng.pick(ELSEWHERE);
  return { fullName, female, birthYear, idNumber: syntheticCccd(rng, born, female, birthYear) };
}

/** A mobile number on a real carrier prefix, e.g. `0912345678`. */
export const syntheticPhone = (rng: Prng): string => `${rng.pick(PHONE_PREFIXES)}${digits(rng, 7)}`;

/** A home in `where` (commune, district, province): a house on a street, or a village (thôn) number. */
export const streetAddress = (rng: Prng, where: string): string =>
  `${rng.chance(0.5) ? `Số ${rng.int(1, 250)} đường ${rng.pick(STREETS)}` : `Thôn ${rng.int(1, 12)}`}, ${where}`;

/** A house number in a place that already names its village or street, e.g. `Số 12, Thôn Đông, Xã …`. */
export const houseAddress = (rng: Prng, place: string): string => `Số ${rng.int(1, 120)}, ${place}`;

/** A business, e.g. `Công ty TNHH Minh Phát Vĩnh Phúc` (`where`: a short place name, optional). */
export const businessName = (rng: Prng, where = ''): string =>
  `${rng.pick(BUSINESS_FORMS)} ${rng.pick(BUSINESS)}${where ? ` ${where}` : ''}`;

/** A 10-digit enterprise (tax) code. */
export const syntheticTaxCode = (rng: Prng): string => `${rng.int(1, 6)}${digits(rng, 9)}`;
