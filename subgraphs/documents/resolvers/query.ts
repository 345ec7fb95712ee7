/** Query: reads of documents, agencies and administrative units. */
import {
  badInput,
  catalogueReads,
  cursorPart,
  pageWindow,
  parseIntId,
  toConnection,
  vnToday,
} from '../../../kit';
import { documentByNumber } from '../db/documents';
import { findDocuments } from '../db/search';
import type { QueryResolvers } from '../generated/graphql';
import { DOCUMENT_TYPES, formatNumberSymbol, parseNumberSymbol } from '../numbering';
import { agencyByCode } from './agency';
import { documentKey, documentQuery, readable } from './paging';
import * as v from './validate';

export const Query: QueryResolvers = {
  document: async (_, { id }, ctx) => readable(ctx, await ctx.loaders.document.load(parseIntId(id, 'id'))),
  documentByNumber: async (_, a, ctx) => {
    if (a.year < 1945 || a.year > 2100) throw badInput('year', 'must be between 1945 and 2100');
    const canonical = formatNumberSymbol(parseNumberSymbol(a.numberSymbol));
    return readable(
      ctx,
      await documentByNumber(ctx.db, v.agencyCode(a.agencyCode, 'agencyCode'), a.year, canonical),
    );
  },
  documents: async (_, a, ctx) => {
    const { window, query } = await documentQuery(a.filter, a, ctx);
    return toConnection(await findDocuments(ctx.db, query), window, documentKey);
  },
  searchDocuments: async (_, a, ctx) => {
    const { window, query } = await documentQuery(a.filter, a, ctx, a.query);
    return toConnection(await findDocuments(ctx.db, query), window, documentKey);
  },
  agency: (_, { code }, ctx) => agencyByCode(ctx, v.agencyCode(code, 'code')),
  agencies: async (_, a, ctx) => {
    const isCode = cursorPart.text();
    const window = pageWindow(a, ctx.maxPageSize, isCode);
    const rows = await catalogueReads.listAgencies(ctx.db, {
      level: a.level,
      parentCode: a.parentCode ? v.agencyCode(a.parentCode, 'parentCode') : null,
      asOf: a.asOf,
      after: window.after,
      limit: window.fetch,
    });
    return toConnection(rows, window, (r) => r.code);
  },
  administrativeUnit: (_, a, ctx) => {
    // Statistics-office codes: 2 digits (province), 3 (district), 5 (commune). Malformed is an error,
    // as for agency(code); a well-formed code no unit had on that date is null, as for agency(code).
    if (!/^(?:\d{2}|\d{3}|\d{5})$/.test(a.code))
      throw badInput('code', 'must be a statistics-office code of 2, 3 or 5 digits, e.g. "00598"');
    return ctx.loaders.unitByCode.load({ id: a.code, arg: a.asOf ?? vnToday() });
  },
  administrativeUnits: (_, a, ctx) =>
    catalogueReads.listUnits(ctx.db, {
      level: v.unitLevel(a.level, 'level'),
      parentId: a.parentId,
      asOf: a.asOf ?? vnToday(),
    }),
  documentTypes: () => [...DOCUMENT_TYPES],
};
