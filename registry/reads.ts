/**
 * The registry's reads (migrations/001_registry.sql): what an environment serves now, its newest
 * supergraph, a subgraph's versions. Each is one statement, whatever the number of subgraphs.
 */
import type { Queryable } from '../kit/runtime/db';
import type { SubgraphSource } from '../schema/compose';

export interface ServedSubgraph extends SubgraphSource {
  version: number;
  hash: string;
  ownerAgency: string | null;
}

export interface StoredSupergraph {
  id: number;
  sdl: string;
  hash: string;
  signature: string;
  versions: Record<string, number>;
  cause: string;
  createdAt: string;
}

export interface VersionRow {
  version: number;
  hash: string;
  url: string;
  author: string;
  authorRole: string;
  authorAgency: string | null;
  createdAt: string;
  current: boolean;
}

/** The subgraphs `env` serves now, with their current versions. */
export function servedSubgraphs(db: Queryable, env: string): Promise<ServedSubgraph[]> {
  return db.query<ServedSubgraph>(
    `SELECT s.subgraph AS name, v.url, v.sdl AS "typeDefs", v.version, v.hash, s.owner_agency AS "ownerAgency"
       FROM subgraphs s JOIN subgraph_versions v USING (env, subgraph, version)
      WHERE s.env = $1 ORDER BY s.subgraph`,
    [env],
  );
}

/** The newest supergraph of `env`, or null before the first publish. */
export async function latestSupergraph(db: Queryable, env: string): Promise<StoredSupergraph | null> {
  const [row] = await db.query<StoredSupergraph>(
    `SELECT id, sdl, hash, signature, versions, cause, created_at AS "createdAt"
       FROM supergraphs WHERE env = $1 ORDER BY id DESC LIMIT 1`,
    [env],
  );
  return row ?? null;
}

/** Every version of one subgraph, newest first. */
export function listVersions(db: Queryable, env: string, subgraph: string): Promise<VersionRow[]> {
  return db.query<VersionRow>(
    `SELECT v.version, v.hash, v.url, v.author, v.author_role AS "authorRole", v.author_agency AS "authorAgency",
            v.created_at AS "createdAt", (s.version IS NOT NULL) AS current
       FROM subgraph_versions v LEFT JOIN subgraphs s USING (env, subgraph, version)
      WHERE v.env = $1 AND v.subgraph = $2 ORDER BY v.version DESC`,
    [env, subgraph],
  );
}
