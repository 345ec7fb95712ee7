/** Document, its Signer and Recipients: fields not read straight off the row. */
import { vnToday } from '../../../kit';
import type { DocumentResolvers, RecipientResolvers, SignerResolvers } from '../generated/graphql';
import { documentType } from '../numbering';
import { edxmlDocumentId } from '../edxml/write';
import { DocumentExchange, RecipientExchange } from './exchange';
import { readable, refId } from './paging';

export const Document: DocumentResolvers = {
  __resolveReference: async (ref, ctx) => {
    const id = refId(ref.id);
    return id === null ? null : readable(ctx, await ctx.loaders.document.load(id));
  },
  id: (d) => String(d.id),
  exchangeId: (d) => edxmlDocumentId(d),
  ...DocumentExchange,
  docType: (d) => documentType(d.typeCode),
  issuer: (d, _, ctx) => (d.issuerCode ? ctx.loaders.agency.load(d.issuerCode) : null),
  issuerUnit: (d, _, ctx) =>
    d.issuerCode ? ctx.loaders.unitGovernedOn.load(`${d.issuerCode}|${d.issuedDate}`) : null,
  agency: async (d, _, ctx) => (await ctx.loaders.agency.load(d.agencyCode))!,
  signer: (d) => (d.signerName ? d : null),
  recipients: (d, _, ctx) => ctx.loaders.recipients.load(d.id),
  overdue: (d) =>
    d.direction === 'INCOMING' && d.status !== 'HOAN_THANH' && d.dueDate !== null && d.dueDate < vnToday(),
  // Processing is internal: only for callers who may read the document's agency's records.
  assignments: async (d, _, ctx) =>
    (await ctx.access.canRead({ agencyCode: d.agencyCode }))
      ? ctx.loaders.assignmentsOfDocument.load(d.id)
      : [],
};

export const Signer: SignerResolvers = {
  // The signature block (name, position, competence) is public on a published document; the link into
  // the directory of officials is for signed-in callers (docs/access-policy.md): null for the public.
  official: (d, _, ctx) =>
    d.signerOfficialId && ctx.caller.role !== 'anonymous' ? { id: d.signerOfficialId } : null,
  fullName: (d) => d.signerName!,
  position: (d) => d.signerPosition,
  competence: (d) => d.signerCompetence,
};

export const Recipient: RecipientResolvers = {
  ...RecipientExchange,
  agency: (r, _, ctx) => (r.agencyCode ? ctx.loaders.agency.load(r.agencyCode) : null),
};
