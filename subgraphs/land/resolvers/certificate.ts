/** LandCertificate, its holders (personal data, masked by the kit from the SDL) and LandChange. */
import type { PersonalDataOwner } from '../../../kit';
import type { HolderRow } from '../db/rows';
import type {
  LandCertificateResolvers,
  LandChangeResolvers,
  LandHolderResolvers,
  TermOfUseResolvers,
} from '../generated/graphql';

export const LandCertificate: LandCertificateResolvers = {
  id: (c) => String(c.id),
  issuingAgency: (c) => (c.issuingAgencyCode ? { code: c.issuingAgencyCode } : null),
  parcel: async (c, _, ctx) => (await ctx.loaders.parcel.load(c.parcelId))!,
  // Each holder carries its certificate's issuing agency: whose personal data it is (holderOwner).
  holders: async (c, _, ctx) =>
    (await ctx.loaders.holders.load(c.id)).map((h) => ({ ...h, agencyCode: c.issuingAgencyCode })),
  termOfUse: (c) => c,
};

export const TermOfUse: TermOfUseResolvers = {
  longTerm: (c) => c.termUntil === null,
  until: (c) => c.termUntil,
};

/** A holder's personal data belongs to the holder and to the certificate's issuing agency. */
export const holderOwner = (h: HolderRow & { agencyCode: string | null }): PersonalDataOwner => ({
  id: `${h.certificateId}/${h.ord}`,
  agencyCode: h.agencyCode,
  citizenId: h.idNumber,
});

/** The raw values: `@personalData(mask: …)` in the SDL masks them for callers who may not see them. */
export const LandHolder: LandHolderResolvers = {
  birthYear: (h) => (h.birthYear === null ? null : String(h.birthYear)),
};

export const LandChange: LandChangeResolvers = {
  id: (c) => String(c.id),
  date: (c) => c.changeDate,
  dossier: (c) => (c.dossierCode ? { __typename: 'Dossier', code: c.dossierCode } : null),
  fromParcels: (c, _, ctx) => ctx.loaders.changeSide.load(`${c.id}|FROM`),
  toParcels: (c, _, ctx) => ctx.loaders.changeSide.load(`${c.id}|TO`),
  cancelledCertificates: async (c, _, ctx) =>
    ctx.loaders.changeCertificates.load({ id: `${c.id}|CANCELLED`, arg: { scope: await ctx.access.rows() } }),
  issuedCertificates: async (c, _, ctx) =>
    ctx.loaders.changeCertificates.load({ id: `${c.id}|ISSUED`, arg: { scope: await ctx.access.rows() } }),
};
