/**
 * What a dossier write names outside this subgraph, checked before anything is written with the kit's
 * jurisdiction helper (kit/runtime/jurisdiction.ts `actFor`: the dossier's agency acting on the date of the
 * step), which asks the subgraph that owns the record as the caller (kit/runtime/peers.ts): the official who
 * performs a step (mail's directory, kit/runtime/officials.ts), the parcel of a land dossier (land) and the
 * result document (documents). Each must belong to the dossier's agency or an agency under it
 * (docs/jurisdiction.md "## dossiers"); a refusal names the input field.
 */
import { actFor, badInput, requireOfficialsInPost, vnDate } from '../../../kit';
import type { Actor } from '../db/writes';
import type { Ctx } from './context';
import * as v from './validate';

/**
 * The actor of a step of a dossier of `agencyCode` at `at`: none (the one-stop desk) without
 * `officialId`; otherwise an official of that agency or one under it, in post on the step's date,
 * named as the directory names them (a name given must be theirs).
 */
export async function stepActor(
  ctx: Ctx,
  agencyCode: string,
  at: string,
  i: { officialId?: string | null; officialName?: string | null; unitName?: string | null },
): Promise<Actor> {
  const officialId = v.officialId(i.officialId, 'input.officialId');
  const officialName = v.text(i.officialName, 'input.officialName', 200);
  const unitName = v.text(i.unitName, 'input.unitName', 200);
  if (!officialId) {
    if (officialName)
      throw badInput(
        'input.officialName',
        'needs input.officialId: names come from the directory of officials',
      );
    return { officialId: null, officialName: null, unitName };
  }
  const acting = await actFor(ctx, agencyCode, { field: 'input.code', on: vnDate(at) });
  const [o] = await requireOfficialsInPost(acting, [
    { id: officialId, field: 'input.officialId', name: { value: officialName, field: 'input.officialName' } },
  ]);
  return { officialId: o!.id, officialName: o!.fullName, unitName };
}

/**
 * The parcel of a land dossier received by `agencyCode` at `receivedAt`: it exists in the land records,
 * was current on the day of receipt, and lies in the agency's territory on that date (through the 2025
 * succession for a parcel registered in a commune that was merged).
 */
export async function requireParcelOf(
  ctx: Ctx,
  agencyCode: string,
  receivedAt: string,
  parcelId: string,
  field: string,
): Promise<void> {
  const acting = await actFor(ctx, agencyCode, { field: 'input.agencyCode', on: vnDate(receivedAt) });
  const what = `parcel ${parcelId}`;
  const [parcel] = await acting.requirePeerRecords<{
    registeredOn: string;
    retiredOn: string | null;
    commune: { id: string };
    currentCommune: { id: string } | null;
  }>(
    'land',
    'LandParcel',
    [{ key: { id: parcelId }, field, what }],
    'registeredOn retiredOn commune { id } currentCommune { id }',
    (p) => {
      // The parcel as it was on the day of receipt: registered by then, not yet retired.
      if (p.registeredOn > acting.on)
        throw badInput(field, `${what} was registered on ${p.registeredOn}, after ${acting.on}`);
      if (p.retiredOn && p.retiredOn <= acting.on)
        throw badInput(field, `${what} was retired on ${p.retiredOn}`);
      return null;
    },
  );
  await acting.requireUnits([
    { field, what, unitId: parcel!.commune.id, dividedIntoUnitId: parcel!.currentCommune?.id ?? null },
  ]);
}

/**
 * The result document of a dossier of `agencyCode` resolved at `at`: it exists in the documents system,
 * belongs to the agency or one under it (its register), and was issued on or before the resolution.
 */
export async function requireResultDocument(
  ctx: Ctx,
  agencyCode: string,
  documentId: string,
  at: string,
  field: string,
): Promise<void> {
  const acting = await actFor(ctx, agencyCode, { field: 'input.code', on: vnDate(at) });
  const subtree = await acting.subtree();
  await acting.requirePeerRecords<{ issuedDate: string; agency: { code: string } }>(
    'documents',
    'Document',
    [{ key: { id: documentId }, field, what: `document ${documentId}` }],
    'issuedDate agency { code }',
    (d) => {
      if (!subtree.has(d.agency.code))
        return `document ${documentId} belongs to agency ${d.agency.code}, not to agency ${agencyCode} or an agency under it`;
      if (d.issuedDate > acting.on)
        throw badInput(
          field,
          `document ${documentId} was issued on ${d.issuedDate}, after the dossier was resolved`,
        );
      return null;
    },
  );
}
