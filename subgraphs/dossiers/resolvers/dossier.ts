/** Dossier, its public view, applicant (personal data, masked by the kit from the SDL) and steps. */
import type { PersonalDataOwner } from '../../../kit';
import type { DossierRow } from '../db/tables';
import type {
  ApplicantResolvers,
  DossierPublicStatusResolvers,
  DossierResolvers,
  DossierStepResolvers,
} from '../generated/graphql';
import { DOSSIER_CODE } from '../codes';
import { STATUS_CODE } from '../status';
import { portalSyncOf } from '../sync/outbox';

/** Whose a dossier is: its receiving agency's, and its applicant's (a citizen's CCCD or a tax code). */
export const dossierOwner = (d: DossierRow): PersonalDataOwner => ({
  id: d.code,
  agencyCode: d.agencyCode,
  citizenId: d.applicantIdNumber,
});

export const Dossier: DossierResolvers = {
  // Entity fetches (e.g. LandChange.dossier through the gateway) obey the same rule as Query.dossier.
  __resolveReference: async (ref, ctx) => {
    const row = DOSSIER_CODE.test(ref.code) ? await ctx.loaders.dossier.load(ref.code) : null;
    if (row) await ctx.access.requireRead(dossierOwner(row), `dossier ${row.code}`);
    return row;
  },
  procedure: async (d, _, ctx) => (await ctx.loaders.procedure.load(d.procedureCode))!,
  agency: (d) => ({ code: d.agencyCode }),
  applicant: (d) => d,
  statusCode: (d) => STATUS_CODE[d.status],
  supplementRequests: (d, _, ctx) => ctx.loaders.supplements.load(d.id),
  apologyLetters: (d, _, ctx) => ctx.loaders.apologies.load(d.id),
  steps: (d, _, ctx) => ctx.loaders.steps.load(d.id),
  // For the dossier's officials only: whether the national portal heard of it is internal processing.
  portalSync: async (d, _, ctx) => {
    if (ctx.caller.role !== 'official' || !(await ctx.access.canSeeAgency(d.agencyCode))) return null;
    return portalSyncOf(await ctx.loaders.portalSync.load(d.id));
  },
  resultDocument: (d) => (d.resultDocumentId ? { __typename: 'Document', id: d.resultDocumentId } : null),
  parcel: (d) => (d.parcelId ? { id: d.parcelId } : null),
};

export const DossierPublicStatus: DossierPublicStatusResolvers = {
  procedure: async (d, _, ctx) => (await ctx.loaders.procedure.load(d.procedureCode))!,
  agency: (d) => ({ code: d.agencyCode }),
  statusCode: (d) => STATUS_CODE[d.status],
};

/** The raw values: `@personalData(mask: …)` in the SDL masks them for callers who may not see them. */
export const Applicant: ApplicantResolvers = {
  kind: (d) => d.applicantKind,
  name: (d) => d.applicantName,
  idNumber: (d) => d.applicantIdNumber,
  phone: (d) => d.applicantPhone,
  address: (d) => d.applicantAddress,
};

export const DossierStep: DossierStepResolvers = {
  official: (s) => (s.officialId ? { id: s.officialId } : null),
};
