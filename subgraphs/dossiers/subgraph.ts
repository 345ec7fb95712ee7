/**
 * The dossiers subgraph (Hồ sơ một cửa — the one-stop-shop system): its public surface.
 * Tests and main.ts import this file; nothing else in the repository imports the subgraph.
 */
import { defineSubgraph, referenceCatalogue, eventOutboxModule } from '../../kit';
import { createLoaders } from './loaders';
import type { Loaders } from './loaders';
import { resolvers } from './resolvers';
import { dossierOwner } from './resolvers/dossier';
import { seed } from './seed';

export const dossiers = defineSubgraph<Loaders>({
  dir: __dirname,
  resolvers,
  createLoaders,
  seed,
  // The shared reference catalogue first: procedures and dossiers reference its agencies.
  // Then the domain-event outbox (kit/events, docs/events.md), written by this subgraph's mutations.
  databaseModules: [referenceCatalogue, eventOutboxModule],
  // Applicant fields are read off the dossier row: the dossier's agency and applicant own them.
  personalData: { Applicant: dossierOwner },
});
export type { Loaders };
