/**
 * The webhooks subgraph: partner agencies register HTTPS endpoints for the domain events within their
 * scopes, and see and replay their deliveries (docs/webhooks.md). Its public surface; tests and
 * main.ts import this file.
 */
import { defineSubgraph, referenceCatalogue } from '../../kit';
import { WEBHOOK_SETTINGS } from './delivery/settings';
import { createLoaders } from './loaders';
import type { Loaders } from './loaders';
import { resolvers } from './resolvers';

export const webhooks = defineSubgraph<Loaders>({
  dir: __dirname,
  resolvers,
  createLoaders,
  // The shared reference catalogue: the kit's access rules read its agency tree for every caller with
  // an agency (an official calling a mutation here is refused through them, not by a missing table).
  databaseModules: [referenceCatalogue],
  settings: WEBHOOK_SETTINGS,
});
export type { Loaders };
