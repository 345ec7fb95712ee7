/**
 * The documents subgraph (Văn bản — document & operations management): its public surface.
 * Tests and main.ts import this file; nothing else in the repository imports the subgraph.
 */
import path from 'node:path';
import { referenceCatalogue } from '../../kit/catalogue';
import type { SubgraphModule } from '../../kit/run';
import { subgraphSdl } from '../../kit/sdl';
import { createLoaders } from './loaders';
import type { Loaders } from './loaders';
import { resolvers } from './resolvers';
import { seed } from './seed';

export const documents: SubgraphModule<Loaders> = {
  name: 'documents',
  typeDefs: subgraphSdl(__dirname),
  resolvers,
  createLoaders,
  // The shared reference catalogue first: documents' tables reference its agencies.
  databaseModules: [
    referenceCatalogue,
    { namespace: 'documents', migrationsDir: path.join(__dirname, 'db/migrations') },
  ],
  seed,
};
export type { Loaders };
