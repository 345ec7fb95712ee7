/**
 * The engine's public entry: `createEngine` gives the engine configuration names, behind the one
 * interface both implement (engine.ts). Folders by phase (docs/engine.md): supergraph/ (where the
 * supergraph comes from), plan/ (plan preparation), execute/ (running a plan over the transport),
 * shape/ (the client's response); govgraph.ts ties them together; reference/ is stock
 * @apollo/gateway, required only when chosen so that the govgraph engine never loads it.
 */
import type { EngineOptions, GatewayEngine } from './engine';
import { GovgraphEngine } from './govgraph';
import type { ApolloEngine } from './reference/apolloEngine';

export type { EngineOptions, GatewayEngine } from './engine';
export { fileSupergraphSource, supergraphVersion, transformedSource } from './supergraph/source';
export type { FileWatchMode, SupergraphSource, SupergraphVersion } from './supergraph/source';
export { describeUrl, urlSupergraphSource } from './supergraph/urlSource';
export { supergraphEvents } from './supergraph/events';
export type {
  SupergraphEventSink,
  SupergraphEvents,
  SupergraphRefusal,
  SupergraphReload,
  SupergraphStatus,
} from './supergraph/events';

export type EngineName = 'govgraph' | 'apollo';

export function createEngine(name: EngineName, options: EngineOptions): GatewayEngine {
  if (name === 'govgraph') return new GovgraphEngine(options);
  // Required here, not imported above: loading it loads all of @apollo/gateway.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const reference = require('./reference/apolloEngine') as {
    ApolloEngine: typeof ApolloEngine;
  };
  return new reference.ApolloEngine(options);
}
