/**
 * The seeded history: each change the shared plan (kit/synthetic/landChanges.ts) gives an old commune, applied
 * to its records on the change's date and citing the dossier the dossiers seed creates for it. A
 * transfer reissues the certificate to the applicant; a change of use makes the parcel residential; a
 * split or merge retires its sources and creates the new parcels, whose footprints divide or join
 * theirs exactly (areas add up to the tenth of a m²), each certified to the same holders.
 */
import { formatParcelId } from '../../../kit';
import type { PlannedLandChange, Prng } from '../../../kit/synthetic';
import type { HolderInput } from '../db/changes';
import type { ParcelInsert } from '../db/parcelWrites';
import { codeListOn, formatTenths } from '../domain';
import type { LandOrigin } from '../domain';
import { soleHolder } from './people';
import { areaTenthsOf, polygonAt } from './places';
import type { Footprint } from './places';
import { issue } from './rows';
import type { CommuneContext, LandRows } from './rows';

/** What the sheet knows of a parcel a change starts from. */
export interface SourceParcel {
  row: ParcelInsert;
  foot: Footprint;
  /** Lower-left corner, metres east/north of the commune's origin. */
  at: [number, number];
  certificateId: number;
  holders: HolderInput[];
  origin: LandOrigin;
}

const TRANSFER_ORIGINS: readonly (readonly [LandOrigin, number])[] = [
  ['TRANSFERRED', 70],
  ['INHERITED', 20],
  ['GIFTED', 10],
];

export const residentialCode = (c: CommuneContext): string => (c.unit.type === 'XA' ? 'ONT' : 'ODT');

/** Two strips of one footprint, west to east, the first `share` of its width (same height and skew). */
function splitFeet(f: Footprint, share: number): Footprint[] {
  const first = Math.min(f.widthDm - 1, Math.max(1, Math.round(f.widthDm * share)));
  const { heightM, skewM } = f;
  return [
    { widthDm: first, heightM, skewM },
    { widthDm: f.widthDm - first, heightM, skewM },
  ];
}

export function recordChange(
  rows: LandRows,
  rng: Prng,
  c: CommuneContext,
  ch: PlannedLandChange,
  sources: SourceParcel[],
  nextRegistration: () => number,
): void {
  const changeId = rows.changes.length + 1;
  const { date } = ch;
  const first = sources[0]!;
  const fromIds = ch.from.map(formatParcelId);
  const toIds = ch.to.map(formatParcelId);
  let note: string | null = null;
  if (ch.kind === 'TRANSFER') {
    const a = ch.dossier.applicant;
    rows.certificates[first.certificateId - 1]!.cancelledOn = date;
    issue(
      rows,
      rng,
      c,
      nextRegistration(),
      fromIds[0]!,
      first.row.landUseCode,
      date,
      soleHolder(a, a.address),
      rng.weighted(TRANSFER_ORIGINS),
    );
  } else if (ch.kind === 'CHANGE_OF_USE') {
    const to = residentialCode(c);
    note = `Chuyển mục đích sử dụng từ ${first.row.landUseCode} sang ${to}`;
    first.row.landUseCode = to;
    first.row.landUseCodeVersion = codeListOn(date);
  } else {
    const feet =
      ch.kind === 'SPLIT'
        ? splitFeet(first.foot, ch.splitShare!)
        : [
            {
              widthDm: sources.reduce((w, s) => w + s.foot.widthDm, 0),
              heightM: first.foot.heightM,
              skewM: first.foot.skewM,
            },
          ];
    note =
      ch.kind === 'SPLIT'
        ? `Tách thửa ${fromIds[0]} thành ${toIds.join(', ')}`
        : `Hợp thửa ${fromIds.join(', ')} thành ${toIds[0]}`;
    for (const s of sources) {
      s.row.retiredOn = date;
      rows.certificates[s.certificateId - 1]!.cancelledOn = date;
    }
    let x = first.at[0];
    ch.to.forEach((p, i) => {
      const f = feet[i]!;
      rows.parcels.push({
        ...first.row,
        parcel: p.parcel,
        areaM2: formatTenths(areaTenthsOf(f)),
        landUseCodeVersion: codeListOn(date),
        geometry: polygonAt(c.origin, x, first.at[1], f),
        registeredOn: date,
        digitisedOn: date,
        retiredOn: null,
      });
      x += f.widthDm / 10;
      issue(
        rows,
        rng,
        c,
        nextRegistration(),
        toIds[i]!,
        first.row.landUseCode,
        date,
        first.holders,
        first.origin,
      );
    });
  }
  rows.changes.push({
    id: changeId,
    kind: ch.kind,
    changeDate: date,
    dossierCode: ch.dossier.code,
    note,
  });
  rows.changeParcels.push(
    ...fromIds.map((parcelId) => ({ changeId, parcelId, role: 'FROM' as const })),
    ...toIds.map((parcelId) => ({ changeId, parcelId, role: 'TO' as const })),
  );
}
