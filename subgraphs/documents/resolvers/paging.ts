/** Document lists shared by Query and Agency: filter and cursor validation, the page's query. */
import { badInput, exactKey, foldKey, likeEscape, pageWindow } from '../../../kit';
import type { PageArgs } from '../../../kit';
import { isDocumentKey, isVisible } from '../db/query';
import type { DocumentFilter as FilterQuery, DocumentKey, DocumentQuery } from '../db/query';
import type { DocumentRow } from '../db/rows';
import type { DocumentFilter } from '../generated/graphql';
import type { Ctx } from './context';
import * as v from './validate';

function toFilter(f: DocumentFilter | null | undefined): FilterQuery {
  if (!f) return {};
  return {
    direction: f.direction,
    agencyCode: f.agencyCode ? v.agencyCode(f.agencyCode, 'filter.agencyCode') : null,
    typeCode: v.filterTypeCode(f.typeCode),
    issuedFrom: f.issuedFrom,
    issuedTo: f.issuedTo,
    electronic: f.electronic,
    urgency: f.urgency,
  };
}

/** The cursor of a document in a page. */
export const documentKey = (d: DocumentRow): DocumentKey => [d.rank ?? 0, d.issuedDate, d.id];

/** The page window and the repository query of a document list (with search text, a search). */
export async function documentQuery(
  filter: DocumentFilter | null | undefined,
  page: PageArgs,
  ctx: Ctx,
  search?: string,
) {
  const window = pageWindow(page, ctx.maxPageSize, isDocumentKey);
  const query: DocumentQuery = {
    filter: toFilter(filter),
    scope: await ctx.access.rows(),
    after: window.after,
    limit: window.fetch,
  };
  if (search !== undefined) {
    const q = v.text(search, 'query', 200, true);
    query.fold = likeEscape(foldKey(q));
    query.exact = likeEscape(exactKey(q));
    if (!query.fold) throw badInput('query', 'must contain letters or digits');
  }
  return { window, query };
}

/**
 * `d` if the caller may read it (kit/runtime/access.ts via db/query.ts `isVisible`): null stays null;
 * otherwise UNAUTHENTICATED for anonymous callers, FORBIDDEN for the others.
 */
export async function readable(ctx: Ctx, d: DocumentRow | null): Promise<DocumentRow | null> {
  if (d && !isVisible(await ctx.access.rows(), d))
    await ctx.access.requireRead({ agencyCode: d.agencyCode }, `document ${d.id}`);
  return d;
}

/** Positive integer ids arriving as entity references: anything else is simply not found. */
export const refId = (id: string): number | null => (/^[1-9]\d{0,15}$/.test(id) ? Number(id) : null);
