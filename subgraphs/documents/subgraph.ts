/**
 * The documents subgraph (Văn bản — document & operations management): its public surface.
 * Tests and main.ts import this file; nothing else in the repository imports the subgraph.
 */
import { defineSubgraph, referenceCatalogue, eventOutboxModule } from '../../kit';
import { createLoaders } from './loaders';
import type { Loaders } from './loaders';
import { resolvers } from './resolvers';
import { seed } from './seed';

export const documents = defineSubgraph<Loaders>({
  dir: __dirname,
  resolvers,
  createLoaders,
  seed,
  // The shared reference catalogue first: documents' tables reference its agencies.
  // Then the domain-event outbox (kit/events, docs/events.md), written by this subgraph's mutations.
  databaseModules: [referenceCatalogue, eventOutboxModule],
});
export type { Loaders };
