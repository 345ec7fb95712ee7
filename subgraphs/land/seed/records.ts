/**
 * The seeded records of one old commune: exactly the parcels `seededParcels(code, scale)` yields, each
 * with its land use, area, geometry, address and digitisation date; planning overlays on about a third
 * of them; certificates with holders; and the history the shared plan gives the commune
 * (kit/synthetic/landChanges.ts, applied in history.ts): its parcels are drawn to fit it — held by the dossier's
 * applicant's household, certified before the dossier, of a use the change makes sense for, neighbours
 * of a merge laid edge to edge.
 */
import { addDays, formatParcelId } from '../../../kit';
import { houseAddress, landChangesOf, Prng, seededParcels } from '../../../kit/synthetic';
import type { PlannedLandChange } from '../../../kit/synthetic';
import type { HolderInput } from '../db/changes';
import { codeListOn, formatTenths } from '../domain';
import { recordChange, residentialCode } from './history';
import type { SourceParcel } from './history';
import { household, organisation } from './people';
import { areaTenthsOf, layoutSheet, polygonAt } from './places';
import type { Footprint } from './places';
import { issue } from './rows';
import type { CommuneContext, LandRows } from './rows';
import * as vocab from './vocabulary';

export { LandRows } from './rows';
export type { CommuneContext } from './rows';

const LAST_DAY = '2025-06-30';
const DAY = 86_400_000;
const daysBetween = (a: string, b: string): number => Math.round((Date.parse(b) - Date.parse(a)) / DAY);
const dateIn = (rng: Prng, from: string, to: string, skew = 1): string =>
  addDays(from, Math.floor(rng.next() ** skew * Math.max(0, daysBetween(from, to))));
const maxDate = (a: string, b: string): string => (a > b ? a : b);
/** Uses a change of use turns residential (garden, annual crops, paddy, aquaculture). */
const CONVERTIBLE = new Set(['CLN', 'HNK', 'LUC', 'NTS']);

function mixOf(c: CommuneContext): (typeof vocab.LAND_USE_MIX)[keyof typeof vocab.LAND_USE_MIX] {
  if (c.district.code === '061') return vocab.LAND_USE_MIX.MOUNTAIN;
  return vocab.LAND_USE_MIX[
    c.unit.type === 'PHUONG' ? 'PHUONG' : c.unit.type === 'THI_TRAN' ? 'THI_TRAN' : 'XA'
  ];
}

/** The use a parcel a change starts from has: convertible for a change of use, a household's otherwise. */
function plannedUse(drawn: string, ch: PlannedLandChange | undefined, c: CommuneContext): string {
  if (!ch) return drawn;
  if (ch.kind === 'CHANGE_OF_USE') return CONVERTIBLE.has(drawn) ? drawn : 'CLN';
  return vocab.HOUSEHOLD_USE.has(drawn) ? drawn : residentialCode(c);
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

export function communeRecords(rows: LandRows, c: CommuneContext, scale: number): void {
  const rng = new Prng(`land:${c.unit.code}`);
  const mix = mixOf(c);
  const digitisation = digitisationProfile(rng, c);
  const planned = landChangesOf(c.unit.code, scale);
  const changeOf = new Map<string, PlannedLandChange>();
  for (const ch of planned) for (const p of ch.from) changeOf.set(formatParcelId(p), ch);
  const sources = new Map<string, SourceParcel>();
  const bySheet = new Map<number, number[]>();
  for (const p of seededParcels(c.unit.code, scale)) {
    const list = bySheet.get(p.sheet);
    if (list) list.push(p.parcel);
    else bySheet.set(p.sheet, [p.parcel]);
  }
  const sheets = [...bySheet.keys()];
  const columns = [0, 0, 0, 0];
  let registration = 0;
  const nextRegistration = (): number => ++registration;
  for (const sheet of sheets) {
    const numbers = bySheet.get(sheet)!;
    const ids = numbers.map((parcel) => `${c.unit.code}/${sheet}/${parcel}`);
    const village =
      c.unit.type === 'XA'
        ? `Thôn ${vocab.VILLAGES[(sheet - 1) % vocab.VILLAGES.length]}`
        : `Tổ dân phố ${sheet}`;
    const place = `${village}, ${c.unit.name}, ${c.district.name}, ${c.province.name}`;
    const registeredOn = maxDate(c.unit.validFrom, dateIn(rng, '2000-01-01', '2013-12-31'));
    // The second parcel of a merge joins the first: same use, same height and skew, laid edge to edge.
    const joins = ids.map(
      (id, i) =>
        i > 0 && changeOf.get(id)?.kind === 'MERGE' && changeOf.get(ids[i - 1]!) === changeOf.get(id),
    );
    const uses: string[] = [];
    ids.forEach((id, i) =>
      uses.push(joins[i] ? uses[i - 1]! : plannedUse(rng.weighted(mix), changeOf.get(id), c)),
    );
    const feet = uses.map((u) => footprint(rng, u));
    feet.forEach((f, i) => {
      if (joins[i])
        feet[i] = { ...f, heightM: feet[i - 1]!.heightM, skewM: feet[i - 1]!.skewM, joinsPrevious: true };
    });
    const layout = layoutSheet(feet);
    const col = (sheet - 1) % 4;
    const sheetOrigin: [number, number] = [col * 1200, columns[col]!];
    columns[col]! += layout.height + 60;
    const dividedInto = c.dividedInto.length
      ? c.dividedInto[Math.floor(((sheet - 1) * c.dividedInto.length) / sheets.length)]!
      : null;
    let previous: HolderInput[] | null = null;
    numbers.forEach((parcel, i) => {
      const id = ids[i]!;
      const ch = changeOf.get(id);
      const areaTenths = areaTenthsOf(feet[i]!);
      const digitisedOn = rng.chance(digitisation.share)
        ? maxDate(registeredOn, dateIn(rng, digitisation.start, LAST_DAY, 1.4))
        : null;
      const [dx, dy] = layout.corners[i]!;
      const at: [number, number] = [sheetOrigin[0] + dx, sheetOrigin[1] + dy];
      const row = {
        originalCommuneCode: c.unit.code,
        sheet,
        parcel,
        originalUnitId: c.unitId,
        dividedIntoUnitId: dividedInto,
        areaM2: formatTenths(areaTenths),
        landUseCode: uses[i]!,
        landUseCodeVersion: codeListOn(digitisedOn ?? '2014-07-01'),
        address: place,
        geometry: polygonAt(c.origin, at[0], at[1], feet[i]!),
        registeredOn,
        digitisedOn,
      };
      rows.parcels.push(row);
      overlays(rows, rng, c, id, areaTenths);
      const holders = ch
        ? joins[i]
          ? previous!
          : plannedHolders(rng, c, ch, place)
        : holdersFor(rng, c, uses[i]!, place);
      previous = holders;
      if (!holders) return;
      // A parcel that changes was certified at least 30 days before its dossier was lodged.
      const latest = ch ? addDays(ch.dossier.receivedOn, -30) : '2024-12-31';
      const issued = dateIn(rng, registeredOn, latest, 1.6);
      const origin = rng.weighted(vocab.ORIGINS);
      const certificateId = issue(rows, rng, c, nextRegistration(), id, uses[i]!, issued, holders, origin);
      if (ch) sources.set(id, { row, foot: feet[i]!, at, certificateId, holders, origin });
    });
  }
  for (const ch of planned)
    recordChange(
      rows,
      rng,
      c,
      ch,
      ch.from.map((p) => sources.get(formatParcelId(p))!),
      nextRegistration,
    );
}

/** The holders of a parcel a change starts from: the applicant's household, or for a transfer the transferor's. */
function plannedHolders(rng: Prng, c: CommuneContext, ch: PlannedLandChange, place: string): HolderInput[] {
  if (ch.kind === 'TRANSFER') return household(rng, c.province.code, houseAddress(rng, place));
  const a = ch.dossier.applicant;
  return household(rng, c.province.code, a.address, a);
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
  if (vocab.HOUSEHOLD_USE.has(use)) {
    if (!rng.chance(0.88)) return null;
    const home = use === 'ODT' || use === 'ONT' ? houseAddress(rng, place) : place;
    return household(rng, c.province.code, home);
  }
  const org = vocab.ORGANISATION_USE[use];
  if (!org || !rng.chance(0.6)) return null;
  return [organisation(rng, org, c.unit.name, c.province.name, place)];
}
