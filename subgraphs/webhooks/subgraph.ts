/**
 * The webhooks subgraph: partner agencies register HTTPS endpoints for the domain events within their
 * scopes, and see and replay their deliveries (docs/webhooks.md). Its public surface; tests and
 * main.ts import this file.
 */
import { defineSubgraph } from '../../kit';
import { WEBHOOK_SETTINGS } from './delivery/settings';
import { createLoaders } from './loaders';
import type { Loaders } from './loaders';
import { resolvers } from './resolvers';

export const webhooks = defineSubgraph<Loaders>({
  dir: __dirname,
  resolvers,
  createLoaders,
  settings: WEBHOOK_SETTINGS,
});
export type { Loaders };
