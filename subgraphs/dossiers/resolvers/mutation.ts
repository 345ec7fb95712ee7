/**
 * Mutation: receiving dossiers and moving them through the state machine (validated here, written by
 * db/writes.ts). Each needs an official of the dossier's agency (the receiving agency, which is also
 * the agency part of a dossier code), checked before anything is written.
 */
import { badInput, notFound } from '../../../kit';
import { parseDossierCode, parseProcedureCode } from '../codes';
import { setPlan } from '../db/plans';
import { issueApologyLetter, receiveDossier, transition } from '../db/writes';
import type { Actor } from '../db/writes';
import type { MutationResolvers } from '../generated/graphql';
import type { Ctx } from './context';
import * as v from './validate';

const now = (): string => new Date().toISOString();

const actor = (i: {
  officialId?: string | null;
  officialName?: string | null;
  unitName?: string | null;
}): Actor => ({
  officialId: v.officialId(i.officialId, 'input.officialId'),
  officialName: v.text(i.officialName, 'input.officialName', 200),
  unitName: v.text(i.unitName, 'input.unitName', 200),
});

const NOBODY: Actor = { officialId: null, officialName: null, unitName: null };

/** The dossier code from `input.code`, once the caller is known to be an official of its agency. */
async function dossierOf(ctx: Ctx, raw: string): Promise<string> {
  const code = parseDossierCode(raw, 'input.code');
  await ctx.access.requireOfficialOf(code.slice(0, code.indexOf('-')), 'input.code');
  return code;
}

export const Mutation: MutationResolvers = {
  setOnlineServicePlan: async (_, { input: i }, ctx) => {
    const agencyCode = v.agencyCode(i.agencyCode, 'input.agencyCode');
    const year = v.planYear(i.year, 'input.year');
    const plannedServices = v.plannedServices(i.plannedServices, 'input.plannedServices');
    await ctx.access.requireOfficialOf(agencyCode, 'input.agencyCode');
    if (!(await ctx.loaders.catalogue.agency.load(agencyCode))) throw notFound(`Agency ${agencyCode}`);
    return setPlan(ctx.db, { agencyCode, year, plannedServices, setBy: ctx.caller.subject });
  },
  receiveDossier: async (_, { input: i }, ctx) => {
    const agencyCode = v.agencyCode(i.agencyCode, 'input.agencyCode');
    await ctx.access.requireOfficialOf(agencyCode, 'input.agencyCode');
    return receiveDossier(ctx.db, {
      agencyCode,
      procedure: parseProcedureCode(i.procedureCode, 'input.procedureCode'),
      channel: i.channel,
      summary: v.text(i.summary, 'input.summary', 1000, true),
      applicant: v.applicant(i.applicant),
      receivedAt: i.receivedAt ?? now(),
      parcelId: v.parcelId(i.parcelId, 'input.parcelId'),
      actor: NOBODY,
    });
  },
  advanceDossierStatus: async (_, { input: i }, ctx) =>
    transition(ctx.db, {
      code: await dossierOf(ctx, i.code),
      to: i.status,
      at: i.at ?? now(),
      note: v.text(i.note, 'input.note', 2000),
      actor: actor(i),
    }),
  requestSupplement: async (_, { input: i }, ctx) =>
    transition(ctx.db, {
      code: await dossierOf(ctx, i.code),
      to: 'YEU_CAU_BO_SUNG_GIAY_TO',
      at: i.at ?? now(),
      note: null,
      reason: v.text(i.reason, 'input.reason', 2000, true),
      actor: NOBODY,
    }),
  recordDossierResult: async (_, { input: i }, ctx) => {
    const code = await dossierOf(ctx, i.code);
    const doc = i.resultDocumentId?.trim() || null;
    if (doc && !/^[1-9]\d{0,15}$/.test(doc))
      throw badInput('input.resultDocumentId', `"${doc}" is not a document id`);
    return transition(ctx.db, {
      code,
      to: 'DA_XU_LY_XONG',
      at: i.at ?? now(),
      note: null,
      resultDocumentId: doc,
      actor: NOBODY,
    });
  },
  issueApologyLetter: async (_, { input: i }, ctx) =>
    issueApologyLetter(ctx.db, {
      code: await dossierOf(ctx, i.code),
      reason: v.text(i.reason, 'input.reason', 2000, true),
      newAppointmentDate: i.newAppointmentDate,
      at: i.at ?? now(),
    }),
  returnDossierResult: async (_, { input: i }, ctx) =>
    transition(ctx.db, {
      code: await dossierOf(ctx, i.code),
      to: 'DA_TRA_KET_QUA',
      at: i.at ?? now(),
      note: null,
      actor: NOBODY,
    }),
};
