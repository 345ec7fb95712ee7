/**
 * The land changes (biến động) of the seeded cadastre, and the one-stop dossiers that decided them —
 * one deterministic plan that both the land seed and the dossiers seed read, so that every seeded
 * `LandChange.dossier` is a dossier the dossiers database really holds, without either subgraph
 * importing the other (they are separate services with separate databases).
 *
 * For each old (pre-2025) commune of the catalogue, a few parcels of the shared numbering plan
 * (kit/reference/cadastre.ts, kit/synthetic/parcels.ts) change once between mid-2014 and 30 June 2025: a transfer, a change of use, a split
 * into two new parcels or a merge of two neighbours on one sheet into one. Each is decided by a dossier
 * of the district's people's committee under the matching district land procedure, lodged by the
 * holder (for a transfer, the transferee): received on a working day, resolved within the procedure's
 * time and returned to the applicant; the change is recorded on the day the result is returned.
 * Dossier codes take the first sequence numbers of their agency's day (received 07:00–07:29, before
 * the seed's other receipts), so they never collide with the dossiers seed's own codes.
 *
 * New parcel numbers continue each sheet's numbering (after `parcelsPerSheet`), in date order.
 * Parcels 1 and 2 of every sheet never change (README examples and tests use them). One change is the
 * same at every scale (SHOWCASE, when its parcel exists): docs/systems/land.md's examples show it.
 */
import { addDays, defaultCalendar } from '../reference/calendar';
import { ADMIN_UNITS, AGENCIES } from '../reference/catalogue';
import type { AdminUnitSeed, AgencySeed } from '../reference/catalogue';
import { formatParcelId } from '../reference/cadastre';
import type { ParcelIdentity } from '../reference/cadastre';
import { LAND_CHANGE_PROCEDURES } from '../reference/landProcedures';
import type { LandChangeKind } from '../reference/landProcedures';
import { parcelPlan } from './parcels';
import { streetAddress, syntheticCitizen, syntheticPhone } from './people';
import type { SyntheticCitizen } from './people';
import { Prng } from './prng';

/** Working days the office takes to resolve a land-change dossier: within every land procedure's legal 10–15. */
const RESOLVE_DAYS: readonly [number, number] = [4, 10];
/** Share of the eligible parcels (sheet positions 3 and up) that change once. */
const CHANGE_RATE = 0.04;
const KINDS: readonly (readonly [LandChangeKind, number])[] = [
  ['TRANSFER', 55],
  ['CHANGE_OF_USE', 20],
  ['SPLIT', 15],
  ['MERGE', 10],
];
/** Parcel 00598/1/3 (old Phường Liên Mạc) split by dossier 000.00.21.H26-240311-0001: docs/systems/land.md's example. */
export const SHOWCASE = {
  parcel: { originalCommuneCode: '00598', sheet: 1, parcel: 3 },
  kind: 'SPLIT',
  receivedOn: '2024-03-11',
  dossierCode: '000.00.21.H26-240311-0001',
} as const;
const FIRST_RECEIPT = '2014-06-02';
const LAST_CHANGE = '2025-06-30';
const REFORM = '2025-07-01';
const COMMUNE_TYPES = new Set(['XA', 'PHUONG', 'THI_TRAN', 'DAC_KHU']);

export interface PlannedLandDossier {
  /** `<agencyCode>-YYMMDD-XXXX`, the first numbers of the agency's day. */
  code: string;
  /** The district people's committee that received it. */
  agencyCode: string;
  /** Name of the district land procedure (LAND_CHANGE_PROCEDURES). */
  procedureName: string;
  /** The parcel the dossier names: the changed parcel, the split parcel, the first of a merged pair. */
  parcel: ParcelIdentity;
  receivedOn: string;
  /** Minutes after midnight (Vietnam time) of the receipt: 07:00 + its sequence number − 1. */
  receiptMinute: number;
  /** The result signed (the dossier resolved). */
  finishedOn: string;
  /** The result handed to the applicant: the change's date. */
  returnedOn: string;
  applicant: SyntheticCitizen & { phone: string; address: string };
}

export interface PlannedLandChange {
  kind: LandChangeKind;
  /** The day the change is recorded: the dossier's return day. */
  date: string;
  /** Parcels before: one, or two neighbours on one sheet for a MERGE. */
  from: ParcelIdentity[];
  /** Parcels after: the same parcel (TRANSFER, CHANGE_OF_USE), two new ones (SPLIT), one new one (MERGE). */
  to: ParcelIdentity[];
  /** SPLIT: the first new parcel's share of the area (the rest is the second's). */
  splitShare: number | null;
  dossier: PlannedLandDossier;
}

/** The commune-level units valid before the 2025 reorganisation: the old communes parcels were registered in. */
export const cadastralCommunes = (): AdminUnitSeed[] =>
  ADMIN_UNITS.filter((u) => COMMUNE_TYPES.has(u.type) && u.validFrom < REFORM);

const before = (code: string | null): AdminUnitSeed | undefined =>
  ADMIN_UNITS.find((u) => u.code === code && u.validFrom < REFORM);

/** The people's committee of the commune's district, which receives land dossiers there. */
export function districtAgencyOf(commune: AdminUnitSeed): AgencySeed | null {
  const district = before(commune.parentCode);
  if (!district) return null;
  return (
    AGENCIES.find(
      (a) => a.level === 'DISTRICT' && a.unitCode === district.code && a.unitValidFrom === district.validFrom,
    ) ?? null
  );
}

const cal = defaultCalendar();
const later = (a: string, b: string): string => (a > b ? a : b);
const earlier = (a: string, b: string): string => (a < b ? a : b);
const formatDay = (d: string): string => d.slice(2).replaceAll('-', '');

type Draft = Omit<PlannedLandChange, 'dossier' | 'to'> & {
  to: ParcelIdentity[] | null;
  dossier: Omit<PlannedLandDossier, 'code' | 'receiptMinute'>;
};

function communeDrafts(commune: AdminUnitSeed, scale: number): Draft[] {
  const agency = districtAgencyOf(commune);
  if (!agency) return [];
  const district = before(commune.parentCode)!;
  const province = before(district.parentCode)!;
  const where = `${commune.name}, ${district.name}, ${province.name}`;
  const firstDay = later(later(FIRST_RECEIPT, addDays(commune.validFrom, 60)), addDays(agency.validFrom, 60));
  const lastDay = earlier(LAST_CHANGE, agency.validTo ?? LAST_CHANGE);
  const span = Math.round((Date.parse(lastDay) - Date.parse(firstDay)) / 86_400_000) - 30;
  if (span <= 0) return [];
  const rng = new Prng(`land-changes:${commune.code}`);
  const { sheets, parcelsPerSheet } = parcelPlan(commune.code, scale);
  const drafts: Draft[] = [];
  const at = (sheet: number, parcel: number): ParcelIdentity => ({
    originalCommuneCode: commune.code,
    sheet,
    parcel,
  });
  const showcase = SHOWCASE.parcel.originalCommuneCode === commune.code && parcelsPerSheet >= 3;
  const draft = (kind: LandChangeKind, from: ParcelIdentity[], receivedOn: string): void => {
    const finishedOn = cal.addWorkingDays(receivedOn, rng.int(...RESOLVE_DAYS));
    const returnedOn = cal.addWorkingDays(finishedOn, rng.int(1, 2));
    const person = syntheticCitizen(rng, {
      provinceCode: province.code,
      bornFrom: 1945,
      bornTo: Number(receivedOn.slice(0, 4)) - 20,
    });
    const applicant = { ...person, phone: syntheticPhone(rng), address: streetAddress(rng, where) };
    const splitShare = kind === 'SPLIT' ? rng.int(30, 70) / 100 : null;
    if (returnedOn > lastDay) return;
    drafts.push({
      kind,
      date: returnedOn,
      from,
      to: kind === 'SPLIT' || kind === 'MERGE' ? null : from,
      splitShare,
      dossier: {
        agencyCode: agency.code,
        procedureName: LAND_CHANGE_PROCEDURES[kind],
        parcel: from[0]!,
        receivedOn,
        finishedOn,
        returnedOn,
        applicant,
      },
    });
  };
  if (showcase) draft(SHOWCASE.kind, [SHOWCASE.parcel], SHOWCASE.receivedOn);
  for (let sheet = 1; sheet <= sheets; sheet++) {
    for (
      let parcel = showcase && sheet === SHOWCASE.parcel.sheet ? 4 : 3;
      parcel <= parcelsPerSheet;
      parcel++
    ) {
      if (!rng.chance(CHANGE_RATE)) continue;
      let kind = rng.weighted(KINDS);
      if (kind === 'MERGE' && parcel === parcelsPerSheet) kind = 'SPLIT';
      const from = kind === 'MERGE' ? [at(sheet, parcel), at(sheet, ++parcel)] : [at(sheet, parcel)];
      draft(kind, from, cal.addWorkingDays(addDays(firstDay, rng.int(0, span)), 0));
    }
  }
  // New parcel numbers continue each sheet's numbering, in the order the changes happened.
  const next = new Map<number, number>();
  for (const d of [...drafts].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))) {
    if (d.to) continue;
    const sheet = d.from[0]!.sheet;
    const n = next.get(sheet) ?? parcelsPerSheet;
    const count = d.kind === 'SPLIT' ? 2 : 1;
    d.to = Array.from({ length: count }, (_, i) => at(sheet, n + 1 + i));
    next.set(sheet, n + count);
  }
  return drafts;
}

const plans = new Map<number, PlannedLandChange[]>();

/**
 * Every seeded land change at a scale, in commune code and sheet order; deterministic. Dossier codes
 * are numbered per agency and receipt day over all communes (so the plan is computed whole, and cached).
 */
export function landChangePlan(scale: number): readonly PlannedLandChange[] {
  const cached = plans.get(scale);
  if (cached) return cached;
  const drafts = cadastralCommunes()
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .flatMap((c) => communeDrafts(c, scale));
  // The showcase is numbered first on its day, so its code is the same at every scale.
  const first = (d: Draft): number =>
    formatParcelId(d.from[0]!) === formatParcelId(SHOWCASE.parcel) ? 0 : 1;
  drafts.sort((a, b) => first(a) - first(b));
  const seq = new Map<string, number>();
  const plan = drafts.map((d): PlannedLandChange => {
    const key = `${d.dossier.agencyCode}-${formatDay(d.dossier.receivedOn)}`;
    const n = (seq.get(key) ?? 0) + 1;
    if (n > 30) throw new Error(`land change plan: more than 30 land dossiers on ${key}`);
    seq.set(key, n);
    return {
      ...d,
      to: d.to!,
      dossier: { ...d.dossier, code: `${key}-${String(n).padStart(4, '0')}`, receiptMinute: 7 * 60 + n - 1 },
    };
  });
  plans.set(scale, plan);
  return plan;
}

/** The planned changes of one old commune. */
export const landChangesOf = (originalCommuneCode: string, scale: number): PlannedLandChange[] =>
  landChangePlan(scale).filter((c) => c.from[0]!.originalCommuneCode === originalCommuneCode);

/** Every parcel id the land seed holds at a scale: the numbering plan's, plus those changes created. */
export const createdParcelIds = (scale: number): string[] =>
  landChangePlan(scale).flatMap((c) =>
    c.kind === 'SPLIT' || c.kind === 'MERGE' ? c.to.map(formatParcelId) : [],
  );

const successors = new Map<number, Map<string, { retiredOn: string; next: string }>>();

/**
 * The parcel a dossier received on `date` concerns when it names `parcelId`: the parcel itself, or —
 * when a planned split or merge retired it on or before that date — the first parcel it became.
 */
export function parcelOn(parcelId: string, date: string, scale: number): string {
  let retired = successors.get(scale);
  if (!retired) {
    retired = new Map();
    for (const c of landChangePlan(scale))
      if (c.kind === 'SPLIT' || c.kind === 'MERGE')
        for (const p of c.from)
          retired.set(formatParcelId(p), { retiredOn: c.date, next: formatParcelId(c.to[0]!) });
    successors.set(scale, retired);
  }
  let id = parcelId;
  for (let r = retired.get(id); r && r.retiredOn <= date; r = retired.get(id)) id = r.next;
  return id;
}
