/** Resolvers of the ICT subgraph, typed by the resolver types generated from the SDL (`npm run codegen`). */
import { kpiResolvers, scalarResolvers } from '../../../kit';
import type { Resolvers } from '../generated/graphql';
import { Agency, IctStats } from './agency';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  ...kpiResolvers,
  Agency,
  IctStats,
};
