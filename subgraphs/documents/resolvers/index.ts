/** Resolvers of the documents subgraph: thin, validating, and batched through the request's loaders. */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { RequestContext } from '../../../kit/context';
import { badInput } from '../../../kit/errors';
import { pageWindow, toConnection } from '../../../kit/pagination';
import type { PageArgs } from '../../../kit/pagination';
import { DateScalar, DateTimeScalar, parseIntId, todayInVietnam } from '../../../kit/scalars';
import { exactKey, foldKey, likeEscape } from '../../../kit/text';
import * as repo from '../db/repo';
import type { DocumentFilter, DocumentKey, DocumentQuery } from '../db/repo';
import type { AgencyRow, AssignmentRow, DocumentRow, SuccessionRow, UnitRow } from '../db/rows';
import * as writes from '../db/writes';
import type { Loaders } from '../loaders';
import { DOCUMENT_TYPES, documentType, formatNumberSymbol, parseNumberSymbol } from '../numbering';
import * as v from './validate';

type Ctx = RequestContext<Loaders>;
// Inputs arrive already shaped by GraphQL input types; each field is validated below before use.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Input = Record<string, any>;

/** `DocumentFilter` as the GraphQL input delivers it: codes not yet validated or canonical. */
type FilterArgs = DocumentFilter;

function toFilter(f: FilterArgs | null | undefined): DocumentFilter {
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

const documentKey = (d: DocumentRow): DocumentKey => [d.rank ?? 0, d.issued_date, d.id];

function documentQuery(filter: FilterArgs | null | undefined, page: PageArgs, ctx: Ctx, search?: string) {
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

const unitSuccession = (s: SuccessionRow, ctx: Ctx) => ({
  from: () => ctx.loaders.unit.load(s.from_id),
  to: () => ctx.loaders.unit.load(s.to_id),
  effectiveDate: s.effective_date,
  kind: s.kind,
});

const assignmentFields = {
  id: (a: AssignmentRow) => String(a.id),
  document: (a: AssignmentRow, _: unknown, ctx: Ctx) => ctx.loaders.document.load(a.document_id),
  assignee: (a: AssignmentRow) => (a.assignee_official_id ? { id: a.assignee_official_id } : null),
  assigneeName: (a: AssignmentRow) => a.assignee_name,
  role: (a: AssignmentRow) => a.role,
  state: (a: AssignmentRow) => a.state,
  assignedAt: (a: AssignmentRow) => a.assigned_at,
  dueDate: (a: AssignmentRow) => a.due_date,
  completedAt: (a: AssignmentRow) => a.completed_at,
  note: (a: AssignmentRow) => a.note,
};

export const resolvers: GraphQLResolverMap<Ctx> = {
  Date: DateScalar,
  DateTime: DateTimeScalar,

  Query: {
    document: (_: unknown, { id }: { id: string }, ctx: Ctx) =>
      ctx.loaders.document.load(parseIntId(id, 'id')),
    documentByNumber: (
      _: unknown,
      a: { agencyCode: string; year: number; numberSymbol: string },
      ctx: Ctx,
    ) => {
      if (a.year < 1945 || a.year > 2100) throw badInput('year', 'must be between 1945 and 2100');
      const canonical = formatNumberSymbol(parseNumberSymbol(a.numberSymbol));
      return repo.documentByNumber(ctx.db, v.agencyCode(a.agencyCode, 'agencyCode'), a.year, canonical);
    },
    documents: async (_: unknown, a: PageArgs & { filter?: FilterArgs }, ctx: Ctx) => {
      const { window, query } = documentQuery(a.filter, a, ctx);
      return toConnection(await repo.findDocuments(ctx.db, query), window, documentKey);
    },
    searchDocuments: async (_: unknown, a: PageArgs & { query: string; filter?: FilterArgs }, ctx: Ctx) => {
      const { window, query } = documentQuery(a.filter, a, ctx, a.query);
      return toConnection(await repo.findDocuments(ctx.db, query), window, documentKey);
    },
    agency: (_: unknown, { code }: { code: string }, ctx: Ctx) =>
      ctx.loaders.agency.load(v.agencyCode(code, 'code')),
    agencies: async (
      _: unknown,
      a: PageArgs & { level?: string; parentCode?: string; asOf?: string },
      ctx: Ctx,
    ) => {
      const isCode = (x: unknown): x is string => typeof x === 'string';
      const window = pageWindow(a, ctx.maxPageSize, isCode);
      const rows = await repo.listAgencies(ctx.db, {
        level: a.level,
        parentCode: a.parentCode ? v.agencyCode(a.parentCode, 'parentCode') : null,
        asOf: a.asOf,
        after: window.after,
        limit: window.fetch,
      });
      return toConnection(rows, window, (r) => r.code);
    },
    administrativeUnit: (_: unknown, a: { code: string; asOf?: string }) => ({ code: a.code, asOf: a.asOf }),
    administrativeUnits: (_: unknown, a: { level?: number; parentId?: string; asOf?: string }, ctx: Ctx) =>
      repo.listUnits(ctx.db, { level: a.level, parentId: a.parentId, asOf: a.asOf ?? todayInVietnam() }),
    documentTypes: () => DOCUMENT_TYPES,
  },

  Mutation: {
    registerIncomingDocument: (_: unknown, { input: i }: { input: Input }, ctx: Ctx) => {
      const parts = parseNumberSymbol(i.numberSymbol, 'input.numberSymbol');
      const receivedAt = (i.receivedAt as string | null) ?? new Date().toISOString();
      if (i.dueDate && i.dueDate < i.issuedDate) throw badInput('input.dueDate', 'is before the issue date');
      if (receivedAt.slice(0, 10) < i.issuedDate)
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
    issueOutgoingDocument: (_: unknown, { input: i }: { input: Input }, ctx: Ctx) => {
      const typeCode = v.issueTypeCode(i.typeCode);
      const unitSymbol = v.unitSymbol(i.unitSymbol, 'input.unitSymbol');
      if (typeCode === null && !unitSymbol)
        throw badInput('input.unitSymbol', 'is required for công văn (e.g. KT in 45/UBND-KT)');
      if (i.digitallySigned && !i.electronic)
        throw badInput('input.digitallySigned', 'requires electronic: true');
      const signer = i.signer as unknown as Record<string, string | null>;
      return writes.issueOutgoing(ctx.db, {
        agencyCode: v.agencyCode(i.agencyCode, 'input.agencyCode'),
        typeCode,
        unitSymbol,
        legalNormative: i.legalNormative ?? false,
        subject: v.text(i.subject, 'input.subject', 2000, true),
        issuedDate: i.issuedDate ?? todayInVietnam(),
        issuedPlace: v.text(i.issuedPlace, 'input.issuedPlace', 200),
        signer: {
          officialId: v.text(signer.officialId, 'input.signer.officialId', 100),
          fullName: v.text(signer.fullName, 'input.signer.fullName', 200, true),
          position: v.text(signer.position, 'input.signer.position', 200),
          competence: v.competence(signer.competence),
        },
        urgency: i.urgency ?? null,
        electronic: i.electronic,
        digitallySigned: i.digitallySigned ?? false,
        recipientCodes: ((i.recipientCodes as unknown as string[] | null) ?? []).map((c) =>
          v.agencyCode(c, 'input.recipientCodes'),
        ),
        recipientNames: ((i.recipientNames as unknown as string[] | null) ?? []).map((n) =>
          v.text(n, 'input.recipientNames', 300, true),
        ),
        pageCount: v.positiveInt(i.pageCount, 'input.pageCount'),
        copies: v.positiveInt(i.copies, 'input.copies'),
      });
    },
    assignDocument: (_: unknown, { input: i }: { input: Input }, ctx: Ctx) =>
      writes.assign(ctx.db, {
        documentId: parseIntId(i.documentId, 'input.documentId'),
        assigneeId: v.text(i.assigneeId, 'input.assigneeId', 100),
        assigneeName: v.text(i.assigneeName, 'input.assigneeName', 200, true),
        role: i.role,
        dueDate: i.dueDate ?? null,
      }),
    updateAssignmentState: (_: unknown, a: { id: string; state: string; note?: string }, ctx: Ctx) =>
      writes.updateAssignmentState(ctx.db, parseIntId(a.id, 'id'), a.state, v.text(a.note, 'note', 2000)),
  },

  Agency: {
    __resolveReference: (ref: { code: string }, ctx: Ctx) => ctx.loaders.agency.load(ref.code),
    parent: (a: AgencyRow, _: unknown, ctx: Ctx) =>
      a.parent_code ? ctx.loaders.agency.load(a.parent_code) : null,
    children: (a: AgencyRow, args: { asOf?: string }, ctx: Ctx) =>
      ctx.loaders.agencyChildren.load({ id: a.code, arg: args.asOf ?? null }),
    unit: (a: AgencyRow, _: unknown, ctx: Ctx) => (a.unit_id ? ctx.loaders.unit.load(a.unit_id) : null),
    validFrom: (a: AgencyRow) => a.valid_from,
    validTo: (a: AgencyRow) => a.valid_to,
    successors: async (a: AgencyRow, _: unknown, ctx: Ctx) => {
      if (!a.unit_id) return [];
      const links = await ctx.loaders.successionsFrom.load(a.unit_id);
      const lists = await Promise.all(links.map((l) => ctx.loaders.agenciesOfUnit.load(l.to_id)));
      const seen = new Set<string>();
      return lists.flat().filter((x) => !seen.has(x.code) && seen.add(x.code));
    },
    documents: async (a: AgencyRow, args: PageArgs & { filter?: FilterArgs }, ctx: Ctx) => {
      const { window, query } = documentQuery(args.filter, args, ctx);
      const rows = await ctx.loaders.agencyDocuments.load({ id: a.code, arg: query });
      return toConnection(rows, window, documentKey);
    },
    documentStats: async (
      a: AgencyRow,
      args: { period: { from: string; to: string }; includeSubordinates?: boolean },
      ctx: Ctx,
    ) => {
      const p = v.period(args.period.from, args.period.to);
      const q = { ...p, includeSubordinates: args.includeSubordinates ?? false };
      const s = await ctx.loaders.documentStats.load({ id: a.code, arg: q });
      return {
        from: p.from,
        to: p.to,
        outgoingTotal: s!.outgoing_total,
        outgoingElectronic: s!.outgoing_electronic,
        electronicRatio: s!.electronic_ratio,
        electronicTotal: s!.electronic_total,
        digitallySigned: s!.digitally_signed,
        digitallySignedRatio: s!.digitally_signed_ratio,
        incomingTotal: s!.incoming_total,
        incomingAssigned: s!.incoming_assigned,
        incomingOverdue: s!.incoming_overdue,
        overdueRatio: s!.overdue_ratio,
      };
    },
  },

  AdministrativeUnit: {
    __resolveReference: async (ref: { id?: string; code?: string; asOf?: string }, ctx: Ctx) =>
      ref.id
        ? ctx.loaders.unit.load(ref.id)
        : repo.unitByCode(ctx.db, ref.code!, ref.asOf ?? todayInVietnam()),
    parent: (u: UnitRow, _: unknown, ctx: Ctx) => (u.parent_id ? ctx.loaders.unit.load(u.parent_id) : null),
    children: (u: UnitRow, args: { asOf?: string }, ctx: Ctx) =>
      ctx.loaders.unitChildren.load({ id: u.id, arg: args.asOf ?? null }),
    validFrom: (u: UnitRow) => u.valid_from,
    validTo: (u: UnitRow) => u.valid_to,
    legalBasis: (u: UnitRow) => u.legal_basis,
    predecessors: async (u: UnitRow, _: unknown, ctx: Ctx) =>
      (await ctx.loaders.successionsTo.load(u.id)).map((s) => unitSuccession(s, ctx)),
    successors: async (u: UnitRow, _: unknown, ctx: Ctx) =>
      (await ctx.loaders.successionsFrom.load(u.id)).map((s) => unitSuccession(s, ctx)),
    current: (u: UnitRow, args: { asOf?: string }, ctx: Ctx) =>
      ctx.loaders.currentUnits.load({ id: u.id, arg: args.asOf ?? todayInVietnam() }),
  },

  Document: {
    __resolveReference: (ref: { id: string }, ctx: Ctx) => {
      if (!/^[1-9]\d{0,15}$/.test(ref.id)) return null;
      return ctx.loaders.document.load(Number(ref.id));
    },
    id: (d: DocumentRow) => String(d.id),
    numberSymbol: (d: DocumentRow) => d.number_symbol,
    numberYear: (d: DocumentRow) => d.number_year,
    organSymbol: (d: DocumentRow) => d.organ_symbol,
    unitSymbol: (d: DocumentRow) => d.unit_symbol,
    docType: (d: DocumentRow) => documentType(d.type_code),
    issuer: (d: DocumentRow, _: unknown, ctx: Ctx) =>
      d.issuer_code ? ctx.loaders.agency.load(d.issuer_code) : null,
    issuerName: (d: DocumentRow) => d.issuer_name,
    agency: (d: DocumentRow, _: unknown, ctx: Ctx) => ctx.loaders.agency.load(d.agency_code),
    issuedDate: (d: DocumentRow) => d.issued_date,
    issuedPlace: (d: DocumentRow) => d.issued_place,
    signer: (d: DocumentRow) =>
      d.signer_name
        ? {
            official: d.signer_official_id ? { id: d.signer_official_id } : null,
            fullName: d.signer_name,
            position: d.signer_position,
            competence: d.signer_competence,
          }
        : null,
    digitallySigned: (d: DocumentRow) => d.digitally_signed,
    registerBook: (d: DocumentRow) => d.register_book,
    pageCount: (d: DocumentRow) => d.page_count,
    recipients: async (d: DocumentRow, _: unknown, ctx: Ctx) =>
      (await ctx.loaders.recipients.load(d.id)).map((r) => ({
        agency: r.agency_code ? () => ctx.loaders.agency.load(r.agency_code!) : null,
        name: r.name,
      })),
    arrivalNumber: (d: DocumentRow) => d.arrival_number,
    receivedAt: (d: DocumentRow) => d.received_at,
    dueDate: (d: DocumentRow) => d.due_date,
    completedAt: (d: DocumentRow) => d.completed_at,
    overdue: (d: DocumentRow) =>
      d.direction === 'INCOMING' &&
      d.status !== 'HOAN_THANH' &&
      d.due_date !== null &&
      d.due_date < todayInVietnam(),
    assignments: (d: DocumentRow, _: unknown, ctx: Ctx) => ctx.loaders.assignmentsOfDocument.load(d.id),
  },

  ProcessingAssignment: {
    __resolveReference: (ref: { id: string }, ctx: Ctx) =>
      /^[1-9]\d{0,15}$/.test(ref.id) ? ctx.loaders.assignment.load(Number(ref.id)) : null,
    ...assignmentFields,
  },
};

/** `administrativeUnit(code, asOf)` resolves through the entity resolver so both paths share one lookup. */
const unitResolvers = resolvers.AdministrativeUnit as Record<string, unknown>;
const lookupUnit = unitResolvers.__resolveReference as (
  r: { code: string; asOf?: string },
  c: Ctx,
) => unknown;
(resolvers.Query as Record<string, unknown>).administrativeUnit = (
  _: unknown,
  a: { code: string; asOf?: string },
  ctx: Ctx,
) => lookupUnit(a, ctx);
