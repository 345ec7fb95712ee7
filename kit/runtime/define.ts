/**
 * A subgraph defined by convention from its folder: `schema.graphql` is its SDL (with the kit's shared
 * SDL added), `db/migrations/` its
 * migrations (namespace = subgraph name), and its name and port come from its entry in
 * `schema/registry.json`. A subgraph's `subgraph.ts` is then its domain code plus one call:
 *
 *   export const land = defineSubgraph({ dir: __dirname, resolvers, createLoaders, seed,
 *                                        databaseModules: [referenceCatalogue] });
 */
import { existsSync } from 'node:fs';
import type { EnvShape } from '../../common/env';
import path from 'node:path';
import { loadRegistry, registryPath, ROOT } from '../../schema/registry';
import { auditLogModule } from './auditlog';
import type { Database } from './db';
import type { DatabaseModule } from './migrate';
import { subgraphSdl } from './sdl';
import type { PersonalDataOwners } from './personal-data/protect';
import type { SubgraphDefinition } from './server';

export interface SubgraphModule<Loaders> extends SubgraphDefinition<Loaders> {
  /** Port `npm start` and `main.ts` use unless configured otherwise (from the registry). */
  readonly port: number;
  /**
   * Migrated in this order: the audit log (every subgraph has one, kit/runtime/auditlog), the shared modules,
   * then the subgraph's own `db/migrations`.
   */
  readonly databaseModules: readonly DatabaseModule[];
  /** Seeds an empty database; resolves to counts of what it wrote, or null when data was already there. */
  seed(db: Database, scale: number): Promise<object | null>;
  /** Its own `<NAME>_…` settings (SubgraphSpec.settings). */
  readonly settings?: EnvShape;
}

export interface SubgraphSpec<Loaders> {
  /** The subgraph's folder (`__dirname` of its subgraph.ts). */
  dir: string;
  resolvers: object;
  createLoaders: (db: Database) => Loaders;
  /** Shared database modules to mount before the subgraph's own migrations (e.g. the reference catalogue). */
  databaseModules?: readonly DatabaseModule[];
  seed?: (db: Database, scale: number) => Promise<object | null>;
  /**
   * Whose record each type with `@personalData` fields is, from the parent object its fields are
   * read from: `{ Applicant: (dossier) => ({ id: dossier.code, agencyCode, citizenId }) }`. Required
   * for every such type (start-up fails naming a type without one); see kit/runtime/personal-data/protect.ts.
   */
  personalData?: PersonalDataOwners;
  /**
   * Settings of its own beyond the kit's, named without the prefix (`{ SIGNING_KEY: env.text().optional() }`
   * is `WEBHOOKS_SIGNING_KEY`): validated at start-up with the others, so that the check of misspelt
   * `<NAME>_…` names knows them. The subgraph reads their values itself (e.g. its main.ts).
   */
  settings?: EnvShape;
}

export function defineSubgraph<Loaders>(spec: SubgraphSpec<Loaders>): SubgraphModule<Loaders> {
  const dir = path.resolve(spec.dir);
  const entry = loadRegistry().find((e) => path.resolve(ROOT, e.dir) === dir);
  if (!entry)
    throw new Error(
      `${path.relative(ROOT, dir)} is not registered in ${path.relative(ROOT, registryPath())}`,
    );
  const own = path.join(dir, 'db/migrations');
  return {
    name: entry.name,
    port: entry.port,
    typeDefs: subgraphSdl(dir, entry.name), // schema.graphql + the kit's shared SDL + the audit log's root fields
    resolvers: spec.resolvers,
    createLoaders: spec.createLoaders,
    personalData: spec.personalData,
    databaseModules: [
      auditLogModule,
      ...(spec.databaseModules ?? []),
      ...(existsSync(own) ? [{ namespace: entry.name, migrationsDir: own }] : []),
    ],
    seed: spec.seed ?? (async () => null),
    ...(spec.settings && { settings: spec.settings }),
  };
}
