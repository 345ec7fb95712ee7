/** ProcessingAssignment: an incoming document assigned to an official. */
import type { ProcessingAssignmentResolvers } from '../generated/graphql';
import type { Ctx } from './context';
import { refId } from './paging';

/** The assignment if the caller may read its document's agency's records; FORBIDDEN/UNAUTHENTICATED otherwise. */
async function readableAssignment(ctx: Ctx, id: number) {
  const a = await ctx.loaders.assignment.load(id);
  const d = a && (await ctx.loaders.document.load(a.documentId));
  if (d) await ctx.access.requireRead({ agencyCode: d.agencyCode }, `assignment ${id}`);
  return a;
}

export const ProcessingAssignment: ProcessingAssignmentResolvers = {
  __resolveReference: (ref, ctx) => {
    const id = refId(ref.id);
    return id === null ? null : readableAssignment(ctx, id);
  },
  id: (a) => String(a.id),
  document: async (a, _, ctx) => (await ctx.loaders.document.load(a.documentId))!,
  assignee: (a) => (a.assigneeOfficialId ? { id: a.assigneeOfficialId } : null),
};
