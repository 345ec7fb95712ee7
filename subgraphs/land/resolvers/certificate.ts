/** LandCertificate, its holders (personal data, masked here and only here) and LandChange. */
import { maskAddress, maskBirthYear, maskDigits, maskName } from '../../../kit';
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
  holders: (c, _, ctx) => ctx.loaders.holders.load(c.id),
  termOfUse: (c) => c,
};

export const TermOfUse: TermOfUseResolvers = {
  longTerm: (c) => c.termUntil === null,
  until: (c) => c.termUntil,
};

/** Every personal field is masked; the raw value never reaches a response. */
export const LandHolder: LandHolderResolvers = {
  fullName: (h) => maskName(h.fullName),
  birthYear: (h) => (h.birthYear === null ? null : maskBirthYear(h.birthYear)),
  idNumber: (h) => (h.idNumber === null ? null : maskDigits(h.idNumber)),
  address: (h) => maskAddress(h.address),
};

export const LandChange: LandChangeResolvers = {
  id: (c) => String(c.id),
  date: (c) => c.changeDate,
  dossier: (c) => (c.dossierCode ? { __typename: 'Dossier', code: c.dossierCode } : null),
  fromParcels: (c, _, ctx) => ctx.loaders.changeSide.load(`${c.id}|FROM`),
  toParcels: (c, _, ctx) => ctx.loaders.changeSide.load(`${c.id}|TO`),
};
