/** Mutation: receiving dossiers and moving them through the state machine (validated here, written by db/writes.ts). */
import { badInput } from '../../../kit';
import { parseDossierCode, parseProcedureCode } from '../codes';
import { issueApologyLetter, receiveDossier, transition } from '../db/writes';
import type { Actor } from '../db/writes';
import type { MutationResolvers } from '../generated/graphql';
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

export const Mutation: MutationResolvers = {
  receiveDossier: (_, { input: i }, ctx) =>
    receiveDossier(ctx.db, {
      agencyCode: v.agencyCode(i.agencyCode, 'input.agencyCode'),
      procedure: parseProcedureCode(i.procedureCode, 'input.procedureCode'),
      channel: i.channel,
      summary: v.text(i.summary, 'input.summary', 1000, true),
      applicant: v.applicant(i.applicant),
      receivedAt: i.receivedAt ?? now(),
      parcelId: v.parcelId(i.parcelId, 'input.parcelId'),
      actor: NOBODY,
    }),
  advanceDossierStatus: (_, { input: i }, ctx) =>
    transition(ctx.db, {
      code: parseDossierCode(i.code, 'input.code'),
      to: i.status,
      at: i.at ?? now(),
      note: v.text(i.note, 'input.note', 2000),
      actor: actor(i),
    }),
  requestSupplement: (_, { input: i }, ctx) =>
    transition(ctx.db, {
      code: parseDossierCode(i.code, 'input.code'),
      to: 'YEU_CAU_BO_SUNG_GIAY_TO',
      at: i.at ?? now(),
      note: null,
      reason: v.text(i.reason, 'input.reason', 2000, true),
      actor: NOBODY,
    }),
  recordDossierResult: (_, { input: i }, ctx) => {
    const doc = i.resultDocumentId?.trim() || null;
    if (doc && !/^[1-9]\d{0,15}$/.test(doc))
      throw badInput('input.resultDocumentId', `"${doc}" is not a document id`);
    return transition(ctx.db, {
      code: parseDossierCode(i.code, 'input.code'),
      to: 'DA_XU_LY_XONG',
      at: i.at ?? now(),
      note: null,
      resultDocumentId: doc,
      actor: NOBODY,
    });
  },
  issueApologyLetter: (_, { input: i }, ctx) =>
    issueApologyLetter(ctx.db, {
      code: parseDossierCode(i.code, 'input.code'),
      reason: v.text(i.reason, 'input.reason', 2000, true),
      newAppointmentDate: i.newAppointmentDate,
      at: i.at ?? now(),
    }),
  returnDossierResult: (_, { input: i }, ctx) =>
    transition(ctx.db, {
      code: parseDossierCode(i.code, 'input.code'),
      to: 'DA_TRA_KET_QUA',
      at: i.at ?? now(),
      note: null,
      actor: NOBODY,
    }),
};
