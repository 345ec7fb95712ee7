/**
 * What a dossier write names outside this subgraph, checked before anything is written by asking the
 * subgraph that owns it as the caller (`ctx.peers`, kit/peers.ts): the official who performs a step
 * (mail's directory, kit/officials.ts), the parcel of a land dossier (land) and the result document
 * (documents). Each must belong to the dossier's agency or an agency under it (docs/jurisdiction.md
 * "## dossiers"); a refusal names the input field.
 */
import {
  AppError,
  ErrorCode,
  agencyDirectory,
  badInput,
  catalogueReads,
  requireOfficialsInPost,
  subtreeCodes,
  vnDate,
} from '../../../kit';
import type { Actor } from '../db/writes';
import type { Ctx } from './context';
import * as v from './validate';

const outside = (field: string, what: string, owner: string, agencyCode: string): AppError =>
  new AppError(
    ErrorCode.FORBIDDEN,
    `${field}: ${what} belongs to ${owner}, not to agency ${agencyCode} or an agency under it`,
    { field, agencyCode },
  );

const subtree = async (ctx: Ctx, agencyCode: string): Promise<Set<string>> =>
  new Set(subtreeCodes(await agencyDirectory(ctx.db), agencyCode, null));

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
  const [o] = await requireOfficialsInPost(ctx.peers, ctx.db, agencyCode, [
    {
      id: officialId,
      field: 'input.officialId',
      on: vnDate(at),
      name: { value: officialName, field: 'input.officialName' },
    },
  ]);
  return { officialId: o!.id, officialName: o!.fullName, unitName };
}

/**
 * The parcel of a land dossier received by `agencyCode`: it exists in the land records, is not retired,
 * and lies in the agency's territory — the commune it was registered in (before the 2025 mergers) or
 * the commune it lies in today is governed by the agency or an agency under it.
 */
export async function requireParcelOf(
  ctx: Ctx,
  agencyCode: string,
  parcelId: string,
  field: string,
): Promise<void> {
  const [p] = await ctx.peers.entities<{
    id: string;
    retiredOn: string | null;
    commune: { id: string } | null;
    currentCommune: { id: string } | null;
  }>('land', 'LandParcel', [{ id: parcelId }], 'id retiredOn commune { id } currentCommune { id }');
  if (p?.errors.some((e) => e.code === ErrorCode.FORBIDDEN))
    throw outside(field, `parcel ${parcelId}`, 'another territory', agencyCode);
  const parcel = p?.value;
  if (!parcel) throw badInput(field, `no parcel ${parcelId} in the land records`);
  if (parcel.retiredOn) throw badInput(field, `parcel ${parcelId} was retired on ${parcel.retiredOn}`);
  const units = [parcel.commune?.id, parcel.currentCommune?.id].filter((u): u is string => !!u);
  const governing = await catalogueReads.agenciesByUnits(ctx.db, units);
  const mine = await subtree(ctx, agencyCode);
  if (!governing.some((a) => mine.has(a.code)))
    throw outside(
      field,
      `parcel ${parcelId}`,
      governing.map((a) => a.code).join(', ') || 'no agency in the catalogue',
      agencyCode,
    );
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
  const [d] = await ctx.peers.entities<{ id: string; issuedDate: string; agency: { code: string } | null }>(
    'documents',
    'Document',
    [{ id: documentId }],
    'id issuedDate agency { code }',
  );
  const doc = d?.value;
  if (d?.errors.some((e) => e.code === ErrorCode.FORBIDDEN))
    throw outside(field, `document ${documentId}`, 'another agency', agencyCode);
  if (!doc?.agency) throw badInput(field, `no document ${documentId} in the documents system`);
  if (!(await subtree(ctx, agencyCode)).has(doc.agency.code))
    throw outside(field, `document ${documentId}`, `agency ${doc.agency.code}`, agencyCode);
  if (doc.issuedDate > vnDate(at))
    throw badInput(
      field,
      `document ${documentId} was issued on ${doc.issuedDate}, after the dossier was resolved`,
    );
}
