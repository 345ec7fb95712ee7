/**
 * Query and Mutation of the budgets subgraph. The disclosure (aggregates) is public; budget lines are
 * for callers who may read their agency's records (kit/runtime/access.ts); recording an entry needs an
 * official of the line's agency, checked before anything is written.
 */
import { notFound, pageWindow, requireNotFutureDate, toConnection } from '../../../kit';
import { findLines } from '../db/reads';
import { recordEntry } from '../db/writes';
import type { MutationResolvers, QueryResolvers } from '../generated/graphql';
import { budgetOf, lineById } from './budget';
import type { Ctx } from './context';
import * as v from './validate';

const isId = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) > 0;

async function knownAgency(ctx: Ctx, raw: string, field: string): Promise<string> {
  const code = v.agencyCode(raw, field);
  if (!(await ctx.loaders.catalogue.agency.load(code))) throw notFound(`Agency ${code}`);
  return code;
}

export const Query: QueryResolvers = {
  budgetLines: async (_, args, ctx) => {
    await ctx.access.requirePrivate('budget lines');
    const f = args.filter ?? {};
    const window = pageWindow(args, ctx.maxPageSize, isId);
    const rows = await findLines(
      ctx.db,
      {
        agencyCode: f.agencyCode ? await knownAgency(ctx, f.agencyCode, 'filter.agencyCode') : null,
        includeSubordinates: f.includeSubordinates ?? false,
        fiscalYear: f.fiscalYear == null ? null : v.year(f.fiscalYear, 'filter.fiscalYear'),
        direction: f.direction ?? null,
        chapter: f.chapter == null ? null : v.chapter(f.chapter, 'filter.chapter'),
        section: f.section == null ? null : v.digits(f.section, 4, 'filter.section', 'section code'),
      },
      { after: window.after, limit: window.fetch },
      await ctx.access.rows(),
    );
    return toConnection(rows, window, (l) => l.id);
  },
  budgetLine: (_, args, ctx) => lineById(ctx, v.lineId(args.id, 'id')),
  budgetDisclosure: async (_, args, ctx) => {
    const code = await knownAgency(ctx, args.agencyCode, 'agencyCode');
    return budgetOf(ctx, code, v.year(args.year, 'year'), args.includeSubordinates ?? false);
  },
};

async function record(ctx: Ctx, lineId: number, write: Omit<Parameters<typeof recordEntry>[1], 'lineId'>) {
  const before = await ctx.loaders.line.load(lineId);
  if (!before) throw notFound(`Budget line ${lineId}`);
  await ctx.access.requireOfficialOf(before.agencyCode, 'input.lineId');
  // No entry dated after today in Vietnam (plus the documented clock skew, kit/runtime/timeRules.ts).
  requireNotFutureDate(write.date, 'input.date');
  await recordEntry(ctx.db, { lineId, ...write });
  ctx.loaders.line.clear(lineId);
  const line = await ctx.loaders.line.load(lineId);
  if (!line) throw notFound(`Budget line ${lineId}`);
  return line;
}

export const Mutation: MutationResolvers = {
  recordBudgetAdjustment: (_, { input }, ctx) =>
    record(ctx, v.lineId(input.lineId), {
      kind: 'DIEU_CHINH',
      amount: v.amount(input.amount),
      date: input.date,
      note: v.note(input.reason, 'input.reason', true),
    }),
  recordBudgetExecution: (_, { input }, ctx) =>
    record(ctx, v.lineId(input.lineId), {
      kind: 'THUC_HIEN',
      amount: v.amount(input.amount),
      date: input.date,
      note: v.note(input.note, 'input.note', false),
    }),
};
