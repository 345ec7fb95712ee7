/**
 * The budgets subgraph (Ngân sách — the state budget system): its public surface.
 * Tests and main.ts import this file; nothing else in the repository imports the subgraph.
 */
import { defineSubgraph, referenceCatalogue, eventOutboxModule } from '../../kit';
import { createLoaders } from './loaders';
import type { Loaders } from './loaders';
import { resolvers } from './resolvers';
import { seed } from './seed';

export const budgets = defineSubgraph<Loaders>({
  dir: __dirname,
  resolvers,
  createLoaders,
  seed,
  // The shared reference catalogue first: budget lines reference its agencies.
  // Then the domain-event outbox (kit/events, docs/events.md), written by this subgraph's mutations.
  databaseModules: [referenceCatalogue, eventOutboxModule],
});
export type { Loaders };
