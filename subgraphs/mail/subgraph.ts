/**
 * The mail subgraph (Thư điện tử công vụ — official e-mail): its public surface. It owns the shared
 * entity `Official`. Tests and main.ts import this file; nothing else in the repository imports it.
 */
import { defineSubgraph, referenceCatalogue } from '../../kit';
import { createLoaders } from './loaders';
import type { Loaders } from './loaders';
import { resolvers } from './resolvers';
import { loginOwner, mailboxOwner } from './resolvers/types';
import { seed } from './seed';

export const mail = defineSubgraph<Loaders>({
  dir: __dirname,
  resolvers,
  createLoaders,
  seed,
  // The shared reference catalogue first: officials and mailboxes reference its agencies.
  databaseModules: [referenceCatalogue],
  personalData: { Mailbox: mailboxOwner, LoginRecord: loginOwner },
});
export type { Loaders };
