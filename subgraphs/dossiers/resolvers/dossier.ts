/** Dossier, its public view, applicant (masked personal data) and steps. */
import { maskAddress, maskDigits, maskName } from '../../../kit';
import type {
  ApplicantResolvers,
  DossierPublicStatusResolvers,
  DossierResolvers,
  DossierStepResolvers,
} from '../generated/graphql';
import { DOSSIER_CODE } from '../codes';
import { STATUS_CODE } from '../status';

export const Dossier: DossierResolvers = {
  __resolveReference: (ref, ctx) => (DOSSIER_CODE.test(ref.code) ? ctx.loaders.dossier.load(ref.code) : null),
  procedure: async (d, _, ctx) => (await ctx.loaders.procedure.load(d.procedureCode))!,
  agency: (d) => ({ code: d.agencyCode }),
  applicant: (d) => d,
  statusCode: (d) => STATUS_CODE[d.status],
  supplementRequests: (d, _, ctx) => ctx.loaders.supplements.load(d.id),
  apologyLetters: (d, _, ctx) => ctx.loaders.apologies.load(d.id),
  steps: (d, _, ctx) => ctx.loaders.steps.load(d.id),
  resultDocument: (d) => (d.resultDocumentId ? { __typename: 'Document', id: d.resultDocumentId } : null),
  parcel: (d) => (d.parcelId ? { id: d.parcelId } : null),
};

export const DossierPublicStatus: DossierPublicStatusResolvers = {
  procedure: async (d, _, ctx) => (await ctx.loaders.procedure.load(d.procedureCode))!,
  agency: (d) => ({ code: d.agencyCode }),
  statusCode: (d) => STATUS_CODE[d.status],
};

/** Personal data: masked in every response (see mask.ts). */
export const Applicant: ApplicantResolvers = {
  kind: (d) => d.applicantKind,
  name: (d) => maskName(d.applicantName),
  idNumber: (d) => maskDigits(d.applicantIdNumber),
  phone: (d) => (d.applicantPhone ? maskDigits(d.applicantPhone) : null),
  address: (d) => (d.applicantAddress ? maskAddress(d.applicantAddress) : null),
};

export const DossierStep: DossierStepResolvers = {
  official: (s) => (s.officialId ? { id: s.officialId } : null),
};
