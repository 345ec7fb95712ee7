/**
 * Typed access to schema/registry.json, the one list of subgraphs that `npm start`, compose,
 * tests and CI loop over. This is configuration, not subgraph code: the gateway may read it,
 * but never imports anything under subgraphs/.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface RegistryEntry {
  name: string;
  description: string;
  /** Folder of the subgraph, relative to the repository root. */
  dir: string;
  /** Port `npm start` gives the subgraph. */
  port: number;
}

export const ROOT = path.resolve(__dirname, '..');

/** The committed registry, unless `GOVGRAPH_REGISTRY` names another file (e.g. one with a partner's subgraph). */
export const registryPath = (): string =>
  path.resolve(ROOT, process.env.GOVGRAPH_REGISTRY || 'schema/registry.json');

const RESERVED = new Set(['GATEWAY', 'GOVGRAPH', 'SUBGRAPH', 'BENCH', 'TEST']);

export function loadRegistry(file: string = registryPath()): RegistryEntry[] {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { subgraphs: RegistryEntry[] };
  for (const e of raw.subgraphs) {
    // A subgraph's settings are <NAME>_*: names must not clash with another process's prefix.
    const prefix = e.name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
    if (!/^[a-z][a-z0-9-]*$/.test(e.name) || RESERVED.has(prefix))
      throw new Error(`${path.relative(ROOT, file)}: subgraph name "${e.name}" is not allowed`);
  }
  return raw.subgraphs;
}

export const schemaPath = (e: RegistryEntry): string => path.join(ROOT, e.dir, 'schema.graphql');
export const mainPath = (e: RegistryEntry): string => path.join(ROOT, e.dir, 'main.ts');
export const defaultUrl = (e: RegistryEntry): string => `http://127.0.0.1:${e.port}/graphql`;
