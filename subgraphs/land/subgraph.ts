/**
 * The land subgraph (Đất đai — cadastral records): its public surface.
 * Tests and main.ts import this file; nothing else in the repository imports the subgraph.
 */
import { defineSubgraph, referenceCatalogue, eventOutboxModule } from '../../kit';
import { createLoaders } from './loaders';
import type { Loaders } from './loaders';
import { resolvers } from './resolvers';
import { holderOwner } from './resolvers/certificate';
import { seed } from './seed';

export const land = defineSubgraph<Loaders>({
  dir: __dirname,
  resolvers,
  createLoaders,
  seed,
  // The shared reference catalogue first: parcels reference its administrative units and agencies.
  // Then the domain-event outbox (kit/events, docs/events.md), written by this subgraph's mutations.
  databaseModules: [referenceCatalogue, eventOutboxModule],
  personalData: { LandHolder: holderOwner },
});
export type { Loaders };
