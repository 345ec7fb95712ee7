/**
 * Mutation: receiving dossiers and moving them through the state machine (validated here, written by
 * db/writes.ts). Each needs an official of the dossier's agency (the receiving agency, which is also
 * the agency part of a dossier code), checked before anything is written; what a write names in other
 * systems (the step's official, the parcel, the result document) must belong to that agency or one
 * under it (./references.ts). No instant is in the future beyond the clock skew (kit/runtime/timeRules.ts), and a
 * step is never dated before the dossier's previous step (db/writes.ts). The rules:
 * docs/jurisdiction.md "## dossiers".
 */
import { actFor, badInput, notFound, requireNotFutureInstant } from '../../../kit';
import { parseDossierCode, parseProcedureCode } from '../codes';
import { setPlan } from '../db/plans';
import { isLandProcedure } from '../db/reads';
import { issueApologyLetter, receiveDossier, transition } from '../db/writes';
import type { Actor } from '../db/writes';
import type { MutationResolvers } from '../generated/graphql';
import type { Ctx } from './context';
import { requireParcelOf, requireResultDocument, stepActor } from './references';
import * as v from './validate';
import { resend } from '../sync/outbox';

/** The one-stop desk (bộ phận một cửa), when no official is named. */
const DESK: Actor = { officialId: null, officialName: null, unitName: null };

/** `at` (default now), not in the future beyond the clock skew. */
function instant(at: string | null | undefined, field: string): string {
  const value = at ?? new Date().toISOString();
  requireNotFutureInstant(value, field);
  return value;
}

/** The dossier code from `input.code` and its agency, once the caller is known to be an official of it. */
async function dossierOf(
  ctx: Ctx,
  raw: string,
  field = 'input.code',
): Promise<{ code: string; agencyCode: string }> {
  const code = parseDossierCode(raw, field);
  const agencyCode = code.slice(0, code.indexOf('-'));
  await ctx.access.requireOfficialOf(agencyCode, field);
  return { code, agencyCode };
}

export const Mutation: MutationResolvers = {
  resendPortalSync: async (_, args, ctx) => {
    const { code } = await dossierOf(ctx, args.code, 'code');
    const [d] = await ctx.db.query<{ id: number }>(`SELECT id::int AS id FROM dossier_keys WHERE code = $1`, [
      code,
    ]);
    if (!d) throw notFound(`Dossier ${code} (code)`);
    await ctx.db.transaction((tx) => resend(tx, d.id));
    ctx.loaders.portalSync.clear(d.id);
    return (await ctx.loaders.dossier.load(code))!;
  },
  setOnlineServicePlan: async (_, { input: i }, ctx) => {
    const agencyCode = v.agencyCode(i.agencyCode, 'input.agencyCode');
    const year = v.planYear(i.year, 'input.year');
    const plannedServices = v.plannedServices(i.plannedServices, 'input.plannedServices');
    // The agency acts for its plan on the year's first day it exists (docs/jurisdiction.md).
    const from = (await ctx.loaders.catalogue.agency.load(agencyCode))?.validFrom ?? '';
    const on = [[`${year}-01-01`, from].sort()[1]!, `${year}-12-31`].sort()[0]!;
    await actFor(ctx, agencyCode, { field: 'input.agencyCode', on });
    return setPlan(ctx.db, { agencyCode, year, plannedServices, setBy: ctx.caller.subject });
  },
  receiveDossier: async (_, { input: i }, ctx) => {
    const agencyCode = v.agencyCode(i.agencyCode, 'input.agencyCode');
    await ctx.access.requireOfficialOf(agencyCode, 'input.agencyCode');
    const receivedAt = instant(i.receivedAt, 'input.receivedAt');
    const parcelId = v.parcelId(i.parcelId, 'input.parcelId');
    const procedure = parseProcedureCode(i.procedureCode, 'input.procedureCode');
    if (parcelId) {
      // The procedure first (db/writes.ts checks it again), and only a land procedure names a parcel,
      // so that a parcel is looked up in the land system only when it may be named.
      if (procedure.local && !procedure.local.endsWith(`.${agencyCode}`))
        throw badInput(
          'input.procedureCode',
          `${procedure.local} is carried out by another agency than ${agencyCode}`,
        );
      const land = await isLandProcedure(ctx.db, agencyCode, procedure.national);
      if (land === null)
        throw notFound(`Procedure ${procedure.national} of agency ${agencyCode} (input.procedureCode)`);
      if (!land) throw badInput('input.parcelId', 'is only for land procedures');
      await requireParcelOf(ctx, agencyCode, receivedAt, parcelId, 'input.parcelId');
    }
    return receiveDossier(ctx.db, {
      agencyCode,
      procedure,
      channel: i.channel,
      summary: v.text(i.summary, 'input.summary', 1000, true),
      applicant: v.applicant(i.applicant),
      receivedAt,
      parcelId,
      actor: DESK,
    });
  },
  advanceDossierStatus: async (_, { input: i }, ctx) => {
    const { code, agencyCode } = await dossierOf(ctx, i.code);
    const at = instant(i.at, 'input.at');
    return transition(ctx.db, {
      code,
      to: i.status,
      at,
      note: v.text(i.note, 'input.note', 2000),
      actor: await stepActor(ctx, agencyCode, at, i),
    });
  },
  requestSupplement: async (_, { input: i }, ctx) =>
    transition(ctx.db, {
      code: (await dossierOf(ctx, i.code)).code,
      to: 'YEU_CAU_BO_SUNG_GIAY_TO',
      at: instant(i.at, 'input.at'),
      note: null,
      reason: v.text(i.reason, 'input.reason', 2000, true),
      actor: DESK,
    }),
  recordDossierResult: async (_, { input: i }, ctx) => {
    const { code, agencyCode } = await dossierOf(ctx, i.code);
    const at = instant(i.at, 'input.at');
    const doc = i.resultDocumentId?.trim() || null;
    if (doc && !/^[1-9]\d{0,15}$/.test(doc))
      throw badInput('input.resultDocumentId', `"${doc}" is not a document id`);
    if (doc) await requireResultDocument(ctx, agencyCode, doc, at, 'input.resultDocumentId');
    return transition(ctx.db, {
      code,
      to: 'DA_XU_LY_XONG',
      at,
      note: null,
      resultDocumentId: doc,
      actor: DESK,
    });
  },
  issueApologyLetter: async (_, { input: i }, ctx) =>
    issueApologyLetter(ctx.db, {
      code: (await dossierOf(ctx, i.code)).code,
      reason: v.text(i.reason, 'input.reason', 2000, true),
      newAppointmentDate: i.newAppointmentDate,
      at: instant(i.at, 'input.at'),
    }),
  returnDossierResult: async (_, { input: i }, ctx) =>
    transition(ctx.db, {
      code: (await dossierOf(ctx, i.code)).code,
      to: 'DA_TRA_KET_QUA',
      at: instant(i.at, 'input.at'),
      note: null,
      actor: DESK,
    }),
};
