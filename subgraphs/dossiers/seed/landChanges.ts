/**
 * The dossiers behind the seeded land changes: the shared plan (kit/synthetic/landChanges.ts) says which
 * district committee received which land dossier, for which parcel, under which procedure, when it was
 * resolved and returned, and who lodged it; the land seed records the change citing the same code.
 * They become planned dossiers like the others (same rows, steps and timeliness) but keep the plan's
 * code and return day, and publishOnTime leaves them alone.
 */
import { ADMIN_UNITS, AGENCIES, defaultCalendar, formatParcelId } from '../../../kit';
import { landChangePlan, Prng } from '../../../kit/synthetic';
import type { PlannedLandChange } from '../../../kit/synthetic';
import type { PlannedDossier } from './plan';
import { levelOn } from './procedures';
import type { SeedOnlineService, SeedProcedure } from './procedures';

const cal = defaultCalendar();

function plannedDossier(
  ch: PlannedLandChange,
  procedures: readonly SeedProcedure[],
  online: ReadonlyMap<string, readonly SeedOnlineService[]>,
): PlannedDossier {
  const d = ch.dossier;
  const agency = AGENCIES.find((a) => a.code === d.agencyCode)!;
  const procedure = procedures.find((p) => p.name === d.procedureName);
  if (!procedure) throw new Error(`seed: ${d.agencyCode} has no procedure "${d.procedureName}"`);
  const rng = new Prng(`land-dossier:${d.code}`);
  const online3 = levelOn(online.get(procedure.code) ?? [], d.receivedOn) >= 3;
  const due = cal.addWorkingDays(d.receivedOn, procedure.processingDays);
  if (d.finishedOn > due) throw new Error(`seed: land dossier ${d.code} would be late`);
  const commune = ADMIN_UNITS.find((u) => u.code === d.parcel.originalCommuneCode && u.level === 3)!;
  const a = d.applicant;
  return {
    agency,
    procedure,
    receiptDay: d.receivedOn,
    receiptMinute: d.receiptMinute,
    channel: online3 && rng.chance(0.4) ? 'TRUC_TUYEN' : 'TRUC_TIEP',
    applicant: {
      kind: 'CONG_DAN',
      name: a.fullName,
      idNumber: a.idNumber,
      phone: a.phone,
      address: a.address,
    },
    summary: `${procedure.name} — thửa đất số ${d.parcel.parcel}, tờ bản đồ số ${d.parcel.sheet}, ${commune.name}`,
    due,
    supplement: null,
    outcome: d.finishedOn < due ? 'EARLY' : 'ON_TIME',
    endDay: d.finishedOn,
    parcelId: formatParcelId(d.parcel),
    rng,
    fixed: { code: d.code, returnDay: d.returnedOn },
  };
}

/** The planned land dossiers of every agency the seed serves (`procedures`: agency code → its catalogue). */
export function landChangeDossiers(
  scale: number,
  procedures: ReadonlyMap<string, readonly SeedProcedure[]>,
  online: ReadonlyMap<string, readonly SeedOnlineService[]>,
): PlannedDossier[] {
  return landChangePlan(scale)
    .filter((ch) => procedures.has(ch.dossier.agencyCode))
    .map((ch) => plannedDossier(ch, procedures.get(ch.dossier.agencyCode)!, online));
}
