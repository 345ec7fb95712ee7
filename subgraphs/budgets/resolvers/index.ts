/**
 * Resolvers of the budgets subgraph, thin and batched through the request's loaders; typed by the
 * resolver types generated from the SDL (`npm run codegen`) with the row types of db/ as parents.
 */
import { kpiResolvers, scalarResolvers } from '../../../kit';
import type { Resolvers } from '../generated/graphql';
import { VndScalar } from '../money';
import { Agency, AgencyBudget, BudgetDisclosure, BudgetEntry, BudgetLine, BudgetTotals } from './budget';
import { Mutation, Query } from './query';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  ...kpiResolvers,
  Vnd: VndScalar,
  Query,
  Mutation,
  Agency,
  AgencyBudget,
  BudgetDisclosure,
  BudgetTotals,
  BudgetLine,
  BudgetEntry,
};
