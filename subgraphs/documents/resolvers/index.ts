/**
 * Resolvers of the documents subgraph: thin, validating, and batched through the request's loaders.
 * Typed by the resolver types generated from schema.graphql (`npm run codegen`), with the row types
 * of db/rows.ts as parents (codegen.json's mappers).
 */
import { catalogueReads } from '../../../kit/catalogue';
import type { UnitRow } from '../../../kit/catalogue';
import { badInput, notFound } from '../../../kit/errors';
import { pageWindow, toConnection } from '../../../kit/pagination';
import type { PageArgs } from '../../../kit/pagination';
import { parseIntId, scalarResolvers, todayInVietnam, vietnamDate } from '../../../kit/scalars';
import { exactKey, foldKey, likeEscape } from '../../../kit/text';
import * as repo from '../db/repo';
import type { DocumentKey, DocumentQuery } from '../db/repo';
import type { DocumentRow } from '../db/rows';
import * as writes from '../db/writes';
import type { DocumentFilter, Resolvers } from '../generated/graphql';
import { DOCUMENT_TYPES, documentType, formatNumberSymbol, parseNumberSymbol } from '../numbering';
import type { Ctx } from './context';
import * as v from './validate';

function toFilter(f: DocumentFilter | null | undefined): repo.DocumentFilter {
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

const documentKey = (d: DocumentRow): DocumentKey => [d.rank ?? 0, d.issuedDate, d.id];

function documentQuery(filter: DocumentFilter | null | undefined, page: PageArgs, ctx: Ctx, search?: string) {
  const window = pageWindow(page, ctx.maxPageSize, repo.isDocumentKey);
  const query: DocumentQuery = { filter: toFilter(filter), after: window.after, limit: window.fetch };
  if (search !== undefined) {
    const q = v.text(search, 'query', 200, true);
    query.fold = likeEscape(foldKey(q));
    query.exact = likeEscape(exactKey(q));
    if (!query.fold) throw badInput('query', 'must contain letters or digits');
  }
  return { window, query };
}

/** Positive integer ids arriving as entity references: anything else is simply not found. */
const refId = (id: string): number | null => (/^[1-9]\d{0,15}$/.test(id) ? Number(id) : null);

const findUnit = (code: string, asOf: string | null | undefined, ctx: Ctx): Promise<UnitRow | null> =>
  ctx.loaders.unitByCode.load({ id: code, arg: asOf ?? todayInVietnam() });

export const resolvers: Resolvers = {
  ...scalarResolvers,

  Query: {
    document: (_, { id }, ctx) => ctx.loaders.document.load(parseIntId(id, 'id')),
    documentByNumber: (_, a, ctx) => {
      if (a.year < 1945 || a.year > 2100) throw badInput('year', 'must be between 1945 and 2100');
      const canonical = formatNumberSymbol(parseNumberSymbol(a.numberSymbol));
      return repo.documentByNumber(ctx.db, v.agencyCode(a.agencyCode, 'agencyCode'), a.year, canonical);
    },
    documents: async (_, a, ctx) => {
      const { window, query } = documentQuery(a.filter, a, ctx);
      return toConnection(await repo.findDocuments(ctx.db, query), window, documentKey);
    },
    searchDocuments: async (_, a, ctx) => {
      const { window, query } = documentQuery(a.filter, a, ctx, a.query);
      return toConnection(await repo.findDocuments(ctx.db, query), window, documentKey);
    },
    agency: (_, { code }, ctx) => ctx.loaders.agency.load(v.agencyCode(code, 'code')),
    agencies: async (_, a, ctx) => {
      const isCode = (x: unknown): x is string => typeof x === 'string';
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
    administrativeUnit: (_, a, ctx) => findUnit(a.code, a.asOf, ctx),
    administrativeUnits: (_, a, ctx) =>
      catalogueReads.listUnits(ctx.db, {
        level: a.level,
        parentId: a.parentId,
        asOf: a.asOf ?? todayInVietnam(),
      }),
    documentTypes: () => [...DOCUMENT_TYPES],
  },

  Mutation: {
    registerIncomingDocument: (_, { input: i }, ctx) => {
      const parts = parseNumberSymbol(i.numberSymbol, 'input.numberSymbol');
      const receivedAt = i.receivedAt ?? new Date().toISOString();
      if (i.dueDate && i.dueDate < i.issuedDate) throw badInput('input.dueDate', 'is before the issue date');
      if (vietnamDate(receivedAt) < i.issuedDate)
        throw badInput('input.receivedAt', 'is before the issue date');
      if (i.digitallySigned && !i.electronic)
        throw badInput('input.digitallySigned', 'requires electronic: true');
      if (!i.issuerCode && !i.issuerName)
        throw badInput('input.issuerName', 'is required when issuerCode is not given');
      return writes.registerIncoming(ctx.db, {
        agencyCode: v.agencyCode(i.agencyCode, 'input.agencyCode'),
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
    issueOutgoingDocument: (_, { input: i }, ctx) => {
      const typeCode = v.issueTypeCode(i.typeCode);
      const unitSymbol = v.unitSymbol(i.unitSymbol, 'input.unitSymbol');
      if (typeCode === null && !unitSymbol)
        throw badInput('input.unitSymbol', 'is required for công văn (e.g. KT in 45/UBND-KT)');
      if (i.digitallySigned && !i.electronic)
        throw badInput('input.digitallySigned', 'requires electronic: true');
      return writes.issueOutgoing(ctx.db, {
        agencyCode: v.agencyCode(i.agencyCode, 'input.agencyCode'),
        typeCode,
        unitSymbol,
        legalNormative: i.legalNormative ?? false,
        subject: v.text(i.subject, 'input.subject', 2000, true),
        issuedDate: i.issuedDate ?? todayInVietnam(),
        issuedPlace: v.text(i.issuedPlace, 'input.issuedPlace', 200),
        signer: {
          officialId: v.text(i.signer.officialId, 'input.signer.officialId', 100),
          fullName: v.text(i.signer.fullName, 'input.signer.fullName', 200, true),
          position: v.text(i.signer.position, 'input.signer.position', 200),
          competence: v.competence(i.signer.competence),
        },
        urgency: i.urgency ?? null,
        electronic: i.electronic,
        digitallySigned: i.digitallySigned ?? false,
        recipientCodes: (i.recipientCodes ?? []).map((c) => v.agencyCode(c, 'input.recipientCodes')),
        recipientNames: (i.recipientNames ?? []).map((n) => v.text(n, 'input.recipientNames', 300, true)),
        pageCount: v.positiveInt(i.pageCount, 'input.pageCount'),
        copies: v.positiveInt(i.copies, 'input.copies'),
      });
    },
    assignDocument: (_, { input: i }, ctx) =>
      writes.assign(ctx.db, {
        documentId: parseIntId(i.documentId, 'input.documentId'),
        assigneeId: v.text(i.assigneeId, 'input.assigneeId', 100),
        assigneeName: v.text(i.assigneeName, 'input.assigneeName', 200, true),
        role: i.role,
        dueDate: i.dueDate ?? null,
      }),
    updateAssignmentState: (_, a, ctx) =>
      writes.updateAssignmentState(ctx.db, parseIntId(a.id, 'id'), a.state, v.text(a.note, 'note', 2000)),
  },

  Agency: {
    __resolveReference: (ref, ctx) => ctx.loaders.agency.load(ref.code),
    parent: (a, _, ctx) => (a.parentCode ? ctx.loaders.agency.load(a.parentCode) : null),
    children: (a, args, ctx) => ctx.loaders.agencyChildren.load({ id: a.code, arg: args.asOf ?? null }),
    unit: (a, args, ctx) => {
      if (!a.unitId) return null;
      return args.asOf
        ? ctx.loaders.unitGovernedOn.load(`${a.code}|${args.asOf}`)
        : ctx.loaders.unit.load(a.unitId);
    },
    successors: async (a, _, ctx) => {
      if (!a.unitId) return [];
      const links = await ctx.loaders.successionsFrom.load(a.unitId);
      const lists = await Promise.all(links.map((l) => ctx.loaders.agenciesOfUnit.load(l.toId)));
      const seen = new Set<string>();
      return lists.flat().filter((x) => !seen.has(x.code) && seen.add(x.code));
    },
    documents: async (a, args, ctx) => {
      const { window, query } = documentQuery(args.filter, args, ctx);
      const rows = await ctx.loaders.agencyDocuments.load({ id: a.code, arg: query });
      return toConnection(rows, window, documentKey);
    },
    documentStats: async (a, args, ctx) => {
      const period = v.period(args.period.from, args.period.to);
      const stats = await ctx.loaders.documentStats.load({
        id: a.code,
        arg: { ...period, includeSubordinates: args.includeSubordinates ?? false },
      });
      if (!stats) throw notFound(`Agency ${a.code}`);
      return { ...stats, ...period };
    },
  },

  AdministrativeUnit: {
    __resolveReference: (ref, ctx) => ctx.loaders.unit.load(ref.id),
    parent: (u, _, ctx) => (u.parentId ? ctx.loaders.unit.load(u.parentId) : null),
    children: (u, args, ctx) => ctx.loaders.unitChildren.load({ id: u.id, arg: args.asOf ?? null }),
    predecessors: (u, _, ctx) => ctx.loaders.successionsTo.load(u.id),
    successors: (u, _, ctx) => ctx.loaders.successionsFrom.load(u.id),
    current: (u, args, ctx) =>
      ctx.loaders.currentUnits.load({ id: u.id, arg: args.asOf ?? todayInVietnam() }),
  },

  UnitSuccession: {
    from: async (s, _, ctx) => (await ctx.loaders.unit.load(s.fromId))!,
    to: async (s, _, ctx) => (await ctx.loaders.unit.load(s.toId))!,
  },

  Document: {
    __resolveReference: (ref, ctx) => {
      const id = refId(ref.id);
      return id === null ? null : ctx.loaders.document.load(id);
    },
    id: (d) => String(d.id),
    exchangeId: (d) =>
      d.issuerCode ? `${d.issuerCode},${d.issuedDate.replace(/-/g, '/')},${d.numberSymbol}` : null,
    docType: (d) => documentType(d.typeCode),
    issuer: (d, _, ctx) => (d.issuerCode ? ctx.loaders.agency.load(d.issuerCode) : null),
    issuerUnit: (d, _, ctx) =>
      d.issuerCode ? ctx.loaders.unitGovernedOn.load(`${d.issuerCode}|${d.issuedDate}`) : null,
    agency: async (d, _, ctx) => (await ctx.loaders.agency.load(d.agencyCode))!,
    signer: (d) => (d.signerName ? d : null),
    recipients: (d, _, ctx) => ctx.loaders.recipients.load(d.id),
    overdue: (d) =>
      d.direction === 'INCOMING' &&
      d.status !== 'HOAN_THANH' &&
      d.dueDate !== null &&
      d.dueDate < todayInVietnam(),
    assignments: (d, _, ctx) => ctx.loaders.assignmentsOfDocument.load(d.id),
  },

  Signer: {
    official: (d) => (d.signerOfficialId ? { id: d.signerOfficialId } : null),
    fullName: (d) => d.signerName!,
    position: (d) => d.signerPosition,
    competence: (d) => d.signerCompetence,
  },

  Recipient: {
    agency: (r, _, ctx) => (r.agencyCode ? ctx.loaders.agency.load(r.agencyCode) : null),
  },

  ProcessingAssignment: {
    __resolveReference: (ref, ctx) => {
      const id = refId(ref.id);
      return id === null ? null : ctx.loaders.assignment.load(id);
    },
    id: (a) => String(a.id),
    document: async (a, _, ctx) => (await ctx.loaders.document.load(a.documentId))!,
    assignee: (a) => (a.assigneeOfficialId ? { id: a.assigneeOfficialId } : null),
  },
};
