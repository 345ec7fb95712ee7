/**
 * One agency's outgoing register for one year: its public documents (the planned share electronic) and
 * ~2% secret ones on paper on top, numbered from 1 in date order as a real yearly register is, each sent
 * to the parent and a few subordinates that exist on the issue date.
 */
import { existsOn } from '../../../kit';
import { LEADER_POSITIONS, syntheticOfficial } from '../../../kit/synthetic';
import type { AgencySeed } from '../../../kit';
import type { Prng } from '../../../kit/synthetic';
import { searchKeys } from '../db/writes';
import { formatNumberSymbol } from '../numbering';
import { addDays } from './calendar';
import { deliver } from './incoming';
import type { DocumentInsert, SeedRows } from './rows';
import {
  organSymbol,
  seatPlace,
  subjectFor,
  TYPE_WEIGHTS,
  UNIT_SYMBOLS,
  URGENCY_WEIGHTS,
} from './vocabulary';
import { signedShare } from './volumes';
import type { YearPlan } from './volumes';

/** Who an agency writes to: its parent and its subordinates. */
export interface Correspondents {
  parentOf(a: AgencySeed): AgencySeed | null;
  childrenOf(a: AgencySeed): readonly AgencySeed[];
}

export interface RegisterYear {
  agency: AgencySeed;
  year: number;
  /** First day of the year the agency exists, and the number of days from it that it can issue. */
  start: string;
  days: number;
  plan: YearPlan;
}

export function outgoingRegister(rows: SeedRows, rng: Prng, people: Correspondents, r: RegisterYear): void {
  const { agency: a, year, plan } = r;
  const electronicFlags = rng.shuffle(
    Array.from({ length: plan.count }, (_, i) => i < Math.round(plan.electronicRatio * plan.count)),
  );
  // Secret documents are excluded from every KPI and never served.
  const secretCount = Array.from({ length: plan.count }, () => rng.chance(0.02)).filter(Boolean).length;
  const register = Array.from({ length: plan.count + secretCount }, (_, i) => ({
    isSecret: i >= plan.count,
    issued: addDays(r.start, rng.int(0, r.days - 1)),
  })).sort((x, y) => (x.issued < y.issued ? -1 : x.issued > y.issued ? 1 : 0));
  let publicIndex = 0;
  writeRegister(
    rows,
    rng,
    people,
    a,
    year,
    register.map((e) => ({ ...e, electronic: e.isSecret ? false : electronicFlags[publicIndex++]! })),
  );
}

/** A register entry before it is written: its issue day, secret or not, sent electronically or not. */
export interface RegisterEntry {
  isSecret: boolean;
  issued: string;
  electronic: boolean;
}

/**
 * Writes a year's register, `entries` in date order: numbered from 1, each public document delivered to
 * the parent and a few subordinates that exist on its issue date.
 */
export function writeRegister(
  rows: SeedRows,
  rng: Prng,
  people: Correspondents,
  a: AgencySeed,
  year: number,
  entries: readonly RegisterEntry[],
): void {
  entries.forEach(({ isSecret, issued, electronic }, i) => {
    const doc = outgoingDocument(rows, rng, a, { number: i + 1, year, issued, isSecret, electronic });
    rows.documents.push(doc);
    if (isSecret) return;
    const parent = people.parentOf(a);
    const pool = [...(parent ? [parent] : []), ...people.childrenOf(a)].filter((x) => existsOn(x, issued));
    deliver(rows, rng, doc, rng.shuffle([...pool]).slice(0, rng.int(1, 3)));
  });
}

interface Entry {
  number: number;
  year: number;
  issued: string;
  isSecret: boolean;
  electronic: boolean;
}

function outgoingDocument(
  rows: SeedRows,
  rng: Prng,
  a: AgencySeed,
  e: Entry,
): DocumentInsert & { id: number; issuedDate: string } {
  const typeCode = rng.weighted(TYPE_WEIGHTS);
  const legal = typeCode === 'QĐ' && rng.chance(0.05);
  const parts = {
    number: e.number,
    numberYear: legal ? e.year : null,
    typeCode,
    organSymbol: organSymbol(a),
    unitSymbol: typeCode === null ? rng.pick(UNIT_SYMBOLS) : null,
  };
  const numberSymbol = formatNumberSymbol(parts);
  const subject = subjectFor(rng, typeCode, e.issued);
  const signed = e.electronic && rng.chance(signedShare(e.year));
  const leader = rng.int(1, 3);
  const signer = syntheticOfficial(a.code, leader);
  const urgency = rng.weighted(URGENCY_WEIGHTS);
  const keys = searchKeys(numberSymbol, subject, a.name);
  return {
    id: rows.nextId(),
    direction: 'OUTGOING',
    agencyCode: a.code,
    issuerCode: a.code,
    issuerName: a.name,
    ...parts,
    numberSymbol,
    year: e.year,
    subject,
    issuedDate: e.issued,
    issuedPlace: seatPlace(a),
    signerOfficialId: signer.id,
    signerName: signer.fullName,
    signerPosition:
      a.level === 'DEPARTMENT' || a.level === 'CENTRAL' ? 'Giám đốc' : LEADER_POSITIONS[leader - 1],
    signerCompetence: leader === 1 ? 'TM.' : 'KT.',
    urgency,
    secrecy: e.isSecret ? rng.pick(['MAT', 'TOI_MAT'] as const) : 'THUONG',
    electronic: e.electronic,
    digitallySigned: signed,
    registerBook: 'Sổ văn bản đi',
    pageCount: rng.int(1, 12),
    copies: rng.int(1, 8),
    status: 'DA_PHAT_HANH',
    searchKey: keys.search,
    exactKey: keys.exact,
  };
}
