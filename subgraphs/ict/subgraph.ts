/**
 * The ICT subgraph (Hạ tầng công nghệ thông tin — the province's ICT inventory system): its public
 * surface. A partner agency's system outside the five, on the kit, joining through the registry
 * (docs/systems/ict.md). Tests and main.ts import this file; nothing else in the repository imports it.
 */
import { defineSubgraph, referenceCatalogue } from '../../kit';
import { createLoaders } from './loaders';
import type { Loaders } from './loaders';
import { resolvers } from './resolvers';
import { seed } from './seed';

export const ict = defineSubgraph<Loaders>({
  dir: __dirname,
  resolvers,
  createLoaders,
  seed,
  // The shared reference catalogue first: inventories reference its agencies, ranks need its tree.
  databaseModules: [referenceCatalogue],
});
export type { Loaders };
