/** ProcessingAssignment: an incoming document assigned to an official. */
import type { ProcessingAssignmentResolvers } from '../generated/graphql';
import { refId } from './paging';

export const ProcessingAssignment: ProcessingAssignmentResolvers = {
  __resolveReference: (ref, ctx) => {
    const id = refId(ref.id);
    return id === null ? null : ctx.loaders.assignment.load(id);
  },
  id: (a) => String(a.id),
  document: async (a, _, ctx) => (await ctx.loaders.document.load(a.documentId))!,
  assignee: (a) => (a.assigneeOfficialId ? { id: a.assigneeOfficialId } : null),
};
