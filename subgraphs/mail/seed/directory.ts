/**
 * The directory of officials and their mailbox addresses: officials per agency by level, with the
 * shared synthetic names (kit/synthetic/people.ts), so every id the documents and dossiers seeds cite exists here.
 */
import { foldKey } from '../../../kit';
import { LEADER_POSITIONS, syntheticOfficial } from '../../../kit/synthetic';
import type { AgencySeed, InsertOf } from '../../../kit';
import type { EmploymentType } from '../generated/graphql';
import type { officials } from '../db/tables';

export type OfficialInsert = InsertOf<typeof officials>;

/** Officials 1..20 of every agency are cited by the other seeds (signers 1–3, dossier desks 1–9, assignees 4–20). */
export const MIN_OFFICIALS = 20;
const BASE: Record<AgencySeed['level'], number> = {
  CENTRAL: 60,
  PROVINCE: 80,
  DEPARTMENT: 40,
  DISTRICT: 48,
  COMMUNE: 20,
};

/** Bắc Ninh's people's committee: the directory of the whole provincial apparatus (published: over 3,600 accounts in 2013). */
export const BAC_NINH = '000.00.00.H05';
export const BAC_NINH_OFFICIALS = 3_700;

/** Officials with message traffic and login history (the rest of a directory is accounts only). */
export const activeStaff = (a: AgencySeed, scale: number): number =>
  Math.max(MIN_OFFICIALS, Math.round(BASE[a.level] * scale));

export const headcount = (a: AgencySeed, scale: number): number =>
  a.code === BAC_NINH ? Math.max(BAC_NINH_OFFICIALS, activeStaff(a, scale)) : activeStaff(a, scale);

const STAFF_POSITIONS = ['Chuyên viên', 'Chuyên viên', 'Chuyên viên chính', 'Cán sự', 'Văn thư', 'Kế toán'];

function position(a: AgencySeed, n: number, pick: (xs: readonly string[]) => string): string {
  if (n <= 3) {
    if (a.level === 'CENTRAL') return n === 1 ? 'Bộ trưởng' : 'Thứ trưởng';
    if (a.level === 'DEPARTMENT') return n === 1 ? 'Giám đốc' : 'Phó Giám đốc';
    return LEADER_POSITIONS[n - 1]!;
  }
  if (n === 4) return 'Chánh Văn phòng';
  if (n <= 8) return n % 2 ? 'Phó Trưởng phòng' : 'Trưởng phòng';
  return pick(STAFF_POSITIONS);
}

function employment(a: AgencySeed, n: number, u: number): EmploymentType {
  if (n <= 3 || (a.level === 'COMMUNE' && n <= 8)) return 'CAN_BO';
  return u < 0.15 ? 'VIEN_CHUC' : 'CONG_CHUC';
}

export function officialRow(
  a: AgencySeed,
  n: number,
  u: number,
  pick: (xs: readonly string[]) => string,
): OfficialInsert {
  const o = syntheticOfficial(a.code, n);
  return {
    id: o.id,
    agencyCode: a.code,
    n,
    fullName: o.fullName,
    position: position(a, n, pick),
    employmentType: employment(a, n, u),
    activeFrom: a.validFrom,
    activeTo: a.validTo,
  };
}

const DOMAINS: Record<string, string> = {
  H26: 'hanoi.gov.vn',
  H18: 'dienbien.gov.vn',
  H55: 'thainguyen.gov.vn',
  H44: 'phutho.gov.vn',
  H05: 'bacninh.gov.vn',
  H62: 'vinhphuc.gov.vn',
  H03: 'backan.gov.vn',
  H02: 'bacgiang.gov.vn',
  G22: 'chinhphu.vn',
  G12: 'mof.gov.vn',
  G09: 'moha.gov.vn',
};

/** Allocates `nguyenvanan@hanoi.gov.vn`-style addresses, numbered on a clash (`nguyenvanan2@…`). */
export class Addresses {
  private readonly taken = new Set<string>();
  next(agencyCode: string, fullName: string): string {
    const domain = DOMAINS[agencyCode.slice(-3)] ?? 'gov.vn';
    const local = foldKey(fullName).replace(/[^a-z]/g, '');
    let address = `${local}@${domain}`;
    for (let i = 2; this.taken.has(address); i++) address = `${local}${i}@${domain}`;
    this.taken.add(address);
    return address;
  }
}
