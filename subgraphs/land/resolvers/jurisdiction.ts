/**
 * registerLandChange within its jurisdiction (docs/jurisdiction.md "land"), checked before anything
 * is written, with the kit's helper (kit/runtime/jurisdiction.ts):
 *
 * 1. the acting agency is the dossier's (the agency part of its code): the caller is one of its
 *    officials (or of an agency above it), and it exists on the change date;
 * 2. every parcel lies in its territory on the change date (parcels keep their pre-2025 commune: the
 *    succession crosswalk says where they lie after);
 * 3. the dossier, asked of the dossiers system as the caller (one request): exists, is the acting
 *    agency's, under the land procedure of this kind (kit/synthetic/landChanges.ts), resolved or returned, names
 *    one of the parcels, and was resolved on or before the change date.
 *
 * Steps in order and one change per dossier are checked in the transaction (db/changeGuards.ts).
 */
import { actFor, badInput, LAND_CHANGE_PROCEDURES, notFound, vnDate } from '../../../kit';
import type { ActingAgency } from '../../../kit';
import type { LandChangeInput } from '../db/changes';
import { parcelsByIds } from '../db/reads';
import type { Ctx as Context } from './context';

/** The dossier as the land subgraph asks for it (dossiers subgraph, `_entities`). */
interface DossierFacts {
  code: string;
  status: string;
  finishedAt: string | null;
  agency: { code: string };
  procedure: { name: string };
  parcel: { id: string } | null;
}

const DOSSIER_FIELDS = 'code status finishedAt agency { code } procedure { name } parcel { id }';
/** National statuses after which a dossier's result may be recorded: resolved (9), returned (10). */
const DECIDED = new Set(['DA_XU_LY_XONG', 'DA_TRA_KET_QUA']);

/** Throws unless the caller may register `change`; resolves to the acting agency. */
export async function checkJurisdiction(ctx: Context, change: LandChangeInput): Promise<ActingAgency> {
  const agencyCode = change.dossierCode.slice(0, change.dossierCode.indexOf('-'));
  const acting = await actFor(ctx, agencyCode, { field: 'input.dossierCode', on: change.date });

  const parcels = new Map((await parcelsByIds(ctx.db, change.parcelIds)).map((p) => [p.id, p]));
  const missing = change.parcelIds.find((id) => !parcels.has(id));
  if (missing) throw notFound(`land parcel ${missing}`);
  await acting.requireUnits(
    change.parcelIds.map((id, i) => ({
      field: `input.parcelIds[${i}]`,
      what: `parcel ${id}`,
      unitId: parcels.get(id)!.originalUnitId,
      dividedIntoUnitId: parcels.get(id)!.dividedIntoUnitId,
    })),
  );

  const what = `dossier ${change.dossierCode}`;
  await acting.requirePeerRecords<DossierFacts>(
    'dossiers',
    'Dossier',
    [{ key: { code: change.dossierCode }, field: 'input.dossierCode', what }],
    DOSSIER_FIELDS,
    (d) => {
      if (d.agency.code !== acting.code)
        return `${what} belongs to agency ${d.agency.code}, not ${acting.code}`;
      const procedure = LAND_CHANGE_PROCEDURES[change.kind];
      if (d.procedure.name !== procedure)
        throw badInput(
          'input.dossierCode',
          `${what} is a "${d.procedure.name}" dossier; a ${change.kind} needs "${procedure}"`,
        );
      if (!DECIDED.has(d.status))
        throw badInput(
          'input.dossierCode',
          `${what} is ${d.status}; a land change needs a resolved dossier (DA_XU_LY_XONG or DA_TRA_KET_QUA)`,
        );
      if (!d.parcel || !change.parcelIds.includes(d.parcel.id))
        throw badInput(
          'input.dossierCode',
          `${what} names ${d.parcel ? `parcel ${d.parcel.id}` : 'no parcel'}, not one of the parcels changed`,
        );
      if (d.finishedAt && change.date < vnDate(d.finishedAt))
        throw badInput(
          'input.date',
          `${change.date} is before ${what} was resolved (${vnDate(d.finishedAt)})`,
        );
      return null;
    },
  );
  return acting;
}
