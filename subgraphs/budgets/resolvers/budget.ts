/** BudgetLine, BudgetEntry, BudgetTotals and the Agency fields the budgets subgraph contributes. */
import { kpiNeeds, loadKpiSet, notFound } from '../../../kit';
import type {
  AgencyBudgetResolvers,
  AgencyResolvers,
  BudgetDisclosureResolvers,
  BudgetEntryResolvers,
  BudgetLineResolvers,
  BudgetTotalsResolvers,
} from '../generated/graphql';
import { millions, millionsOrNull, rate } from '../money';
import type { Ctx } from './context';
import * as v from './validate';

/** The budget summary of an agency for a year, through the batched summaries loader. */
export async function budgetOf(ctx: Ctx, code: string, year: number, includeSubordinates: boolean) {
  return (await ctx.loaders.summaries.load({ id: code, arg: { year, includeSubordinates } }))!;
}

/** Budget line `id` if the caller may read its agency's records (UNAUTHENTICATED or FORBIDDEN otherwise); null when there is none. */
export async function lineById(ctx: Ctx, id: number) {
  const line = await ctx.loaders.line.load(id);
  if (line) await ctx.access.requireRead({ agencyCode: line.agencyCode }, `budget line ${id}`);
  return line ?? null;
}

/** As `lineById`, NOT_FOUND when there is none (an entity reference names a line that must exist). */
export async function readableLine(ctx: Ctx, id: number) {
  const line = await lineById(ctx, id);
  if (!line) throw notFound(`Budget line ${id}`);
  return line;
}

export const Agency: AgencyResolvers = {
  __resolveReference: (ref) => ({ code: ref.code }),
  budget: async (a, args, ctx, info) => {
    const year = v.year(args.year, 'year');
    const includeSubordinates = args.includeSubordinates ?? false;
    const { row, kpi } = await loadKpiSet(
      {
        code: a.code,
        arg: year,
        previousArg: year - 1,
        asOf: `${year}-12-31`,
        catalogue: ctx.loaders.catalogue,
        load: (id, y) => budgetOf(ctx, id, y, includeSubordinates),
      },
      kpiNeeds(info),
    );
    return { ...row!, kpi };
  },
};

export const AgencyBudget: AgencyBudgetResolvers = {
  executionRate: (b) => rate(b.expenditure.executed, b.expenditure.currentEstimate),
  execution: (b) =>
    b.kpi((s) => ({
      value: rate(s.expenditure.executed, s.expenditure.currentEstimate),
      numerator: null,
      denominator: null,
    })),
};

export const BudgetDisclosure: BudgetDisclosureResolvers = {
  agency: (b) => ({ code: b.agencyCode }),
};

export const BudgetTotals: BudgetTotalsResolvers = {
  initialEstimateMillions: (t) => millions(t.initialEstimate),
  currentEstimateMillions: (t) => millions(t.currentEstimate),
  executedMillions: (t) => millions(t.executed),
  finalAccountsMillions: (t) => millions(t.finalAccounts),
  executionRate: (t) => rate(t.executed, t.currentEstimate),
};

export const BudgetLine: BudgetLineResolvers = {
  __resolveReference: (ref, ctx) => readableLine(ctx, v.lineId(String(ref.id), 'id')),
  id: (l) => String(l.id),
  agency: (l) => ({ code: l.agencyCode }),
  currentEstimate: (l) => l.adjustedEstimate ?? l.initialEstimate,
  initialEstimateMillions: (l) => millions(l.initialEstimate),
  adjustedEstimateMillions: (l) => millionsOrNull(l.adjustedEstimate),
  currentEstimateMillions: (l) => millions(l.adjustedEstimate ?? l.initialEstimate),
  executedMillions: (l) => millions(l.executed),
  finalAccountsMillions: (l) => millionsOrNull(l.finalAccounts),
  executionRate: (l) => rate(l.executed, l.adjustedEstimate ?? l.initialEstimate),
  entries: (l, _, ctx) => ctx.loaders.entries.load(l.id),
};

export const BudgetEntry: BudgetEntryResolvers = {
  amountMillions: (e) => millions(e.amount),
};
