/**
 * Connectors (docs/interop.md "Connectors"): a subgraph over an existing system's HTTP JSON API,
 * declared by its SDL alone (`@source` on the schema, `@connect` on fields), running on the kit like
 * every other subgraph, so the caller token check, row rules, `@personalData` masking and the audit log
 * apply unchanged. A subgraph's `subgraph.ts` is one call:
 *
 *   export const legacyMc = defineConnectorSubgraph({ dir: __dirname, personalData: { … } });
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defineSubgraph } from '../runtime/define';
import type { SubgraphModule } from '../runtime/define';
import type { PersonalDataOwners } from '../runtime/personal-data/protect';
import { scalarResolvers } from '../runtime/scalars';
import { referenceCatalogue } from '../reference/catalogue';
import { connectorResolvers, createConnectorLoaders } from './resolvers';
import type { ConnectorLoaders } from './resolvers';
import { readConnectorSpec } from './spec';

export type { ConnectorLoaders } from './resolvers';
export { readConnectorSpec } from './spec';
export { applySelection, parseSelection } from './selection';

export interface ConnectorSubgraphSpec {
  /** The subgraph's folder (`__dirname`): its `schema.graphql` declares the connectors. */
  dir: string;
  /** Owners of records with `@personalData` fields, as for any subgraph (kit/runtime/personal-data). */
  personalData?: PersonalDataOwners;
}

export function defineConnectorSubgraph(spec: ConnectorSubgraphSpec): SubgraphModule<ConnectorLoaders> {
  const sdl = readFileSync(path.join(spec.dir, 'schema.graphql'), 'utf8');
  const connectors = readConnectorSpec(sdl);
  return defineSubgraph<ConnectorLoaders>({
    dir: spec.dir,
    resolvers: { ...scalarResolvers, ...connectorResolvers(connectors) },
    createLoaders: () => createConnectorLoaders(),
    // Row rules find an agency's subtree in the shared reference catalogue.
    databaseModules: [referenceCatalogue],
    personalData: spec.personalData,
    // The connector keeps no data of its own: the catalogue alone, seeded once.
    seed: async (db) => {
      const catalogue = await referenceCatalogue.seed(db);
      return catalogue ? { catalogue } : null;
    },
  });
}
