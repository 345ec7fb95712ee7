/**
 * The seeded records of one old commune: exactly the parcels `seededParcels(code, scale)` yields, each
 * with its land use, area, geometry, address and digitisation date; planning overlays on about a third
 * of them; certificates with holders; and a history of transfers and changes of use on a few.
 */
import { Prng, seededParcels } from '../../../kit';
import type { AdminUnitSeed, AgencySeed, RowOf } from '../../../kit';
import type { HolderInput } from '../db/changes';
import type { ParcelInsert } from '../db/parcelWrites';
import type { certificates, changeParcels, changes, planningOverlays } from '../db/tables';
import { codeListOn, formatTenths, isLongTerm, plusYears } from '../domain';
import type { LandOrigin } from '../domain';
import { household, organisation, syntheticPerson } from './people';
import { areaTenthsOf, layoutSheet, polygonAt } from './places';
import type { Footprint } from './places';
import * as vocab from './vocabulary';

export interface CommuneContext {
  unit: AdminUnitSeed;
  unitId: string;
  district: AdminUnitSeed;
  province: AdminUnitSeed;
  /** The district's people's committee: issues certificates, receives land dossiers. */
  districtAgency: AgencySeed | null;
  origin: [number, number];
  /** New units an old commune divided between several was split into (empty otherwise). */
  dividedInto: string[];
}

type Insert<T> = Omit<RowOf<T>, 'id'> & { id: number };

export class LandRows {
  parcels: ParcelInsert[] = [];
  overlays: (RowOf<typeof planningOverlays> & { areaM2: string })[] = [];
  certificates: Insert<typeof certificates>[] = [];
  holders: (HolderInput & { certificateId: number; ord: number })[] = [];
  changes: Insert<typeof changes>[] = [];
  changeParcels: RowOf<typeof changeParcels>[] = [];
  private dossierSeq = new Map<string, number>();

  dossierCode(agency: AgencySeed | null, date: string): string | null {
    if (!agency || date < agency.validFrom || (agency.validTo && date > agency.validTo)) return null;
    const day = date.slice(2).replaceAll('-', '');
    const key = `${agency.code}-${day}`;
    const n = (this.dossierSeq.get(key) ?? 8999) + 1; // 9000+: the range the one-stop seed leaves free
    this.dossierSeq.set(key, n);
    return `${key}-${n}`;
  }
}

const LAST_DAY = '2025-06-30';
const DAY = 86_400_000;
const addDays = (d: string, n: number): string =>
  new Date(Date.parse(d) + n * DAY).toISOString().slice(0, 10);
const daysBetween = (a: string, b: string): number => Math.round((Date.parse(b) - Date.parse(a)) / DAY);
const dateIn = (rng: Prng, from: string, to: string, skew = 1): string =>
  addDays(from, Math.floor(rng.next() ** skew * Math.max(0, daysBetween(from, to))));
const maxDate = (a: string, b: string): string => (a > b ? a : b);

function mixOf(c: CommuneContext): (typeof vocab.LAND_USE_MIX)[keyof typeof vocab.LAND_USE_MIX] {
  if (c.district.code === '061') return vocab.LAND_USE_MIX.MOUNTAIN;
  return vocab.LAND_USE_MIX[
    c.unit.type === 'PHUONG' ? 'PHUONG' : c.unit.type === 'THI_TRAN' ? 'THI_TRAN' : 'XA'
  ];
}

function footprint(rng: Prng, code: string): Footprint {
  const [lo, hi] = vocab.AREA_RANGE[code] ?? vocab.DEFAULT_AREA;
  const area = lo * (hi / lo) ** rng.next(); // log-uniform
  const aspect = 0.5 + rng.next() * 1.5;
  const heightM = Math.max(4, Math.round(Math.sqrt(area / aspect)));
  return { widthDm: Math.max(30, Math.round((area * 10) / heightM)), heightM, skewM: rng.int(-2, 2) };
}

/** Digitisation of a commune's records: starts some year, grows to a final share (higher in Hà Nội's wards). */
function digitisationProfile(rng: Prng, c: CommuneContext): { start: string; share: number } {
  const urban = c.unit.type === 'PHUONG';
  const startYear = urban ? rng.int(2012, 2016) : rng.int(2014, 2020);
  const share = c.province.code === '01' ? 0.85 + rng.next() * 0.13 : 0.45 + rng.next() * 0.45;
  return { start: `${startYear}-${String(rng.int(1, 12)).padStart(2, '0')}-01`, share };
}

export function communeRecords(
  rows: LandRows,
  c: CommuneContext,
  scale: number,
  serial: { n: number },
): void {
  const rng = new Prng(`land:${c.unit.code}`);
  const mix = mixOf(c);
  const digitisation = digitisationProfile(rng, c);
  const bySheet = new Map<number, number[]>();
  for (const p of seededParcels(c.unit.code, scale)) {
    const list = bySheet.get(p.sheet);
    if (list) list.push(p.parcel);
    else bySheet.set(p.sheet, [p.parcel]);
  }
  const sheets = [...bySheet.keys()];
  const columns = [0, 0, 0, 0];
  let registration = 0;
  for (const sheet of sheets) {
    const numbers = bySheet.get(sheet)!;
    const village =
      c.unit.type === 'XA'
        ? `Thôn ${vocab.VILLAGES[(sheet - 1) % vocab.VILLAGES.length]}`
        : `Tổ dân phố ${sheet}`;
    const place = `${village}, ${c.unit.name}, ${c.district.name}, ${c.province.name}`;
    const registeredOn = maxDate(c.unit.validFrom, dateIn(rng, '2000-01-01', '2013-12-31'));
    const uses = numbers.map(() => rng.weighted(mix));
    const feet = uses.map((u) => footprint(rng, u));
    const layout = layoutSheet(feet);
    const col = (sheet - 1) % 4;
    const sheetOrigin: [number, number] = [col * 1200, columns[col]!];
    columns[col]! += layout.height + 60;
    const dividedInto = c.dividedInto.length
      ? c.dividedInto[Math.floor(((sheet - 1) * c.dividedInto.length) / sheets.length)]!
      : null;
    numbers.forEach((parcel, i) => {
      const id = `${c.unit.code}/${sheet}/${parcel}`;
      const areaTenths = areaTenthsOf(feet[i]!);
      const digitisedOn = rng.chance(digitisation.share)
        ? maxDate(registeredOn, dateIn(rng, digitisation.start, LAST_DAY, 1.4))
        : null;
      const [dx, dy] = layout.corners[i]!;
      rows.parcels.push({
        originalCommuneCode: c.unit.code,
        sheet,
        parcel,
        originalUnitId: c.unitId,
        dividedIntoUnitId: dividedInto,
        areaM2: formatTenths(areaTenths),
        landUseCode: uses[i]!,
        landUseCodeVersion: codeListOn(digitisedOn ?? '2014-07-01'),
        address: place,
        geometry: polygonAt(c.origin, sheetOrigin[0] + dx, sheetOrigin[1] + dy, feet[i]!),
        registeredOn,
        digitisedOn,
      });
      overlays(rows, rng, c, id, areaTenths);
      const holders = holdersFor(rng, c, uses[i]!, place);
      if (holders) {
        const issued = dateIn(rng, registeredOn, '2024-12-31', 1.6);
        const certId = issue(
          rows,
          rng,
          c,
          serial,
          ++registration,
          id,
          uses[i]!,
          issued,
          holders,
          rng.weighted(vocab.ORIGINS),
        );
        if (vocab.HOUSEHOLD_USE.has(uses[i]!) && rng.chance(0.05))
          history(
            rows,
            rng,
            c,
            serial,
            () => ++registration,
            rows.parcels.at(-1)!,
            id,
            certId,
            issued,
            place,
          );
      }
    });
  }
}

function overlays(rows: LandRows, rng: Prng, c: CommuneContext, parcelId: string, areaTenths: number): void {
  if (!rng.chance(0.35)) return;
  const count = rng.weighted([
    [1, 70],
    [2, 25],
    [3, 5],
  ] as const);
  let left = 1;
  for (let ord = 0; ord < count && left > 0.05; ord++) {
    const share = ord === count - 1 && count > 1 ? left : Math.min(left, 0.05 + rng.next() * 0.55);
    left -= share;
    const t = Math.round(areaTenths * share);
    if (t <= 0) continue;
    rows.overlays.push({
      parcelId,
      ord,
      planName:
        c.province.code === '01'
          ? `Quy hoạch phân khu đô thị ${rng.pick(['S3', 'H2-1', 'H2-2', 'GS'])}, tỷ lệ 1/5000`
          : `Quy hoạch sử dụng đất đến năm 2030 của ${c.district.name.replace(/^(Huyện|Thành phố)/, (m) => m.toLowerCase())}`,
      plannedUseCode: rng.pick(vocab.PLANNED_USES),
      areaM2: formatTenths(t),
      share: Math.round((t / areaTenths) * 10000) / 10000,
    });
  }
}

function holdersFor(rng: Prng, c: CommuneContext, use: string, place: string): HolderInput[] | null {
  const pcode = `0${c.province.code}`;
  if (vocab.HOUSEHOLD_USE.has(use)) {
    if (!rng.chance(0.88)) return null;
    const home = use === 'ODT' || use === 'ONT' ? `Số ${rng.int(1, 120)}, ${place}` : place;
    return household(rng, pcode, home);
  }
  const org = vocab.ORGANISATION_USE[use];
  if (!org || !rng.chance(0.6)) return null;
  return [organisation(rng, org, c.unit.name, place)];
}

function issue(
  rows: LandRows,
  rng: Prng,
  c: CommuneContext,
  serial: { n: number },
  registration: number,
  parcelId: string,
  use: string,
  issued: string,
  people: HolderInput[],
  origin: LandOrigin,
): number {
  const id = rows.certificates.length + 1;
  const year = Number(issued.slice(0, 4));
  const agency = c.districtAgency && issued >= c.districtAgency.validFrom ? c.districtAgency.code : null;
  const individual = people[0]!.holderType === 'CNV';
  rows.certificates.push({
    id,
    parcelId,
    issueSerial: `${rng.pick(vocab.serialLetters(year))} ${String(100000 + serial.n++).padStart(6, '0')}`,
    registrationNumber: `${year < 2014 ? 'CH' : individual ? 'CS' : 'CT'}${String(registration).padStart(5, '0')}`,
    issueDate: issued,
    issuingAgencyCode: agency,
    formOfUse: people.length > 1 ? 'SHARED' : 'PRIVATE',
    termUntil:
      isLongTerm(use) || !individual ? null : issued < '2014-07-01' ? '2043-10-15' : plusYears(issued, 50),
    origin,
    cancelledOn: null,
  });
  people.forEach((h, ord) => rows.holders.push({ ...h, certificateId: id, ord }));
  return id;
}

/** A transfer (new holders, new certificate) or a change of use to residential, after the certificate. */
function history(
  rows: LandRows,
  rng: Prng,
  c: CommuneContext,
  serial: { n: number },
  nextRegistration: () => number,
  parcel: ParcelInsert,
  parcelId: string,
  certId: number,
  issued: string,
  place: string,
): void {
  if (issued >= '2025-01-01') return;
  const date = dateIn(rng, addDays(issued, 60), LAST_DAY);
  const changeId = rows.changes.length + 1;
  const residential = c.unit.type === 'XA' ? 'ONT' : 'ODT';
  const toResidential = parcel.landUseCode !== residential && parcel.landUseCode !== 'ODT' && rng.chance(0.3);
  rows.changes.push({
    id: changeId,
    kind: toResidential ? 'CHANGE_OF_USE' : 'TRANSFER',
    changeDate: date,
    dossierCode: rows.dossierCode(c.districtAgency, date),
    note: toResidential ? `Chuyển mục đích sử dụng từ ${parcel.landUseCode} sang ${residential}` : null,
  });
  rows.changeParcels.push({ changeId, parcelId, role: 'FROM' }, { changeId, parcelId, role: 'TO' });
  if (toResidential) {
    parcel.landUseCode = residential;
    parcel.landUseCodeVersion = codeListOn(date);
    return;
  }
  rows.certificates[certId - 1]!.cancelledOn = date;
  const buyers = rng.chance(0.6) ? [syntheticPerson(rng, `0${c.province.code}`, place)] : null;
  const people = buyers ?? [syntheticPerson(rng, `0${c.province.code}`, place)];
  issue(
    rows,
    rng,
    c,
    serial,
    nextRegistration(),
    parcelId,
    parcel.landUseCode,
    date,
    people,
    buyers ? 'TRANSFERRED' : 'INHERITED',
  );
}
