/**
 * Mutation: registering, issuing and assigning documents (validated here, written by db/writes.ts and
 * db/assignments.ts). Each needs an official of the agency concerned — the registering or issuing
 * agency, or the agency whose register holds the document — checked before anything is written; the
 * officials it names (signer, assignee) are checked in the directory of officials (kit/runtime/officials.ts:
 * of that agency or one under it, in post on the date), and their names come from the directory.
 * Nothing is dated in the future (kit/runtime/timeRules.ts). The rules: docs/jurisdiction.md "## documents".
 */
import {
  actFor,
  badInput,
  catalogueReads,
  existsOn,
  notFound,
  parseIntId,
  requireNotFutureDate,
  requireNotFutureInstant,
  requireOfficialsInPost,
  vnToday,
  vnDate,
} from '../../../kit';
import { assign, updateAssignmentState } from '../db/assignments';
import * as writes from '../db/writes';
import type { MutationResolvers } from '../generated/graphql';
import { parseNumberSymbol } from '../numbering';
import { ExchangeMutations } from './exchange';
import type { Ctx } from './context';
import * as v from './validate';

/** The caller must be an official of the agency whose register holds document `id`; resolves to its agency. */
async function requireOfficialOfDocument(ctx: Ctx, id: number, field: string): Promise<string> {
  const d = await ctx.loaders.document.load(id);
  if (!d) throw notFound(`Document ${id} (${field})`);
  await ctx.access.requireOfficialOf(d.agencyCode, field);
  ctx.loaders.document.clear(id); // read again after the write (its status follows the assignment)
  return d.agencyCode;
}

export const Mutation: MutationResolvers = {
  ...ExchangeMutations,
  registerIncomingDocument: async (_, { input: i }, ctx) => {
    const agencyCode = v.agencyCode(i.agencyCode, 'input.agencyCode');
    await ctx.access.requireOfficialOf(agencyCode, 'input.agencyCode');
    const parts = parseNumberSymbol(i.numberSymbol, 'input.numberSymbol');
    const receivedAt = i.receivedAt ?? new Date().toISOString();
    requireNotFutureInstant(receivedAt, 'input.receivedAt');
    if (i.dueDate && i.dueDate < i.issuedDate) throw badInput('input.dueDate', 'is before the issue date');
    if (vnDate(receivedAt) < i.issuedDate) throw badInput('input.receivedAt', 'is before the issue date');
    if (i.digitallySigned && !i.electronic)
      throw badInput('input.digitallySigned', 'requires electronic: true');
    if (!i.issuerCode && !i.issuerName)
      throw badInput('input.issuerName', 'is required when issuerCode is not given');
    return writes.registerIncoming(ctx.db, {
      agencyCode,
      issuerCode: i.issuerCode ? v.agencyCode(i.issuerCode, 'input.issuerCode') : null,
      issuerName: v.text(i.issuerName, 'input.issuerName', 300),
      parts,
      issuedDate: i.issuedDate,
      subject: v.text(i.subject, 'input.subject', 2000, true),
      receivedAt,
      dueDate: i.dueDate ?? null,
      urgency: i.urgency ?? null,
      electronic: i.electronic,
      digitallySigned: i.digitallySigned ?? false,
      pageCount: v.positiveInt(i.pageCount, 'input.pageCount'),
    });
  },
  issueOutgoingDocument: async (_, { input: i }, ctx) => {
    const agencyCode = v.agencyCode(i.agencyCode, 'input.agencyCode');
    await ctx.access.requireOfficialOf(agencyCode, 'input.agencyCode');
    const typeCode = v.issueTypeCode(i.typeCode);
    const unitSymbol = v.unitSymbol(i.unitSymbol, 'input.unitSymbol');
    if (typeCode === null && !unitSymbol)
      throw badInput('input.unitSymbol', 'is required for công văn (e.g. KT in 45/UBND-KT)');
    if (i.digitallySigned && !i.electronic)
      throw badInput('input.digitallySigned', 'requires electronic: true');
    const issuedDate = i.issuedDate ?? vnToday();
    requireNotFutureDate(issuedDate, 'input.issuedDate');
    // The agency's own dates first (writes.ts checks them again in its transaction), then its signer.
    const [agency] = await catalogueReads.agenciesByCodes(ctx.db, [agencyCode]);
    if (agency && !existsOn(agency, issuedDate))
      throw badInput('input.agencyCode', `agency ${agencyCode} did not exist on ${issuedDate}`);
    const competence = v.competence(i.signer.competence);
    const acting = await actFor(ctx, agencyCode, { field: 'input.agencyCode', on: issuedDate });
    const [signer] = await requireOfficialsInPost(acting, [
      {
        id: v.text(i.signer.officialId, 'input.signer.officialId', 100, true),
        field: 'input.signer.officialId',
        name: {
          value: v.text(i.signer.fullName, 'input.signer.fullName', 200),
          field: 'input.signer.fullName',
        },
        position: {
          value: v.text(i.signer.position, 'input.signer.position', 200),
          field: 'input.signer.position',
        },
      },
    ]);
    return writes.issueOutgoing(ctx.db, {
      agencyCode,
      typeCode,
      unitSymbol,
      legalNormative: i.legalNormative ?? false,
      subject: v.text(i.subject, 'input.subject', 2000, true),
      issuedDate,
      issuedPlace: v.text(i.issuedPlace, 'input.issuedPlace', 200),
      signer: { officialId: signer!.id, fullName: signer!.fullName, position: signer!.position, competence },
      urgency: i.urgency ?? null,
      electronic: i.electronic,
      digitallySigned: i.digitallySigned ?? false,
      recipientCodes: (i.recipientCodes ?? []).map((c) => v.agencyCode(c, 'input.recipientCodes')),
      recipientNames: (i.recipientNames ?? []).map((n) => v.text(n, 'input.recipientNames', 300, true)),
      pageCount: v.positiveInt(i.pageCount, 'input.pageCount'),
      copies: v.positiveInt(i.copies, 'input.copies'),
    });
  },
  assignDocument: async (_, { input: i }, ctx) => {
    const documentId = parseIntId(i.documentId, 'input.documentId');
    const agencyCode = await requireOfficialOfDocument(ctx, documentId, 'input.documentId');
    // Assigned today: by and to officials of an agency that exists today.
    const acting = await actFor(ctx, agencyCode, { field: 'input.documentId', on: vnToday() });
    const [assignee] = await requireOfficialsInPost(acting, [
      {
        id: v.text(i.assigneeId, 'input.assigneeId', 100, true),
        field: 'input.assigneeId',
        name: { value: v.text(i.assigneeName, 'input.assigneeName', 200), field: 'input.assigneeName' },
      },
    ]);
    return assign(ctx.db, {
      documentId,
      assigneeId: assignee!.id,
      assigneeName: assignee!.fullName,
      role: i.role,
      dueDate: i.dueDate ?? null,
    });
  },
  updateAssignmentState: async (_, a, ctx) => {
    const id = parseIntId(a.id, 'id');
    const assignment = await ctx.loaders.assignment.load(id);
    if (!assignment) throw notFound(`ProcessingAssignment ${id}`);
    await requireOfficialOfDocument(ctx, assignment.documentId, 'id');
    ctx.loaders.assignment.clear(id);
    return updateAssignmentState(ctx.db, id, a.state, v.text(a.note, 'note', 2000));
  },
};
