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

export function loadRegistry(): RegistryEntry[] {
  const raw = JSON.parse(readFileSync(path.join(ROOT, 'schema/registry.json'), 'utf8')) as {
    subgraphs: RegistryEntry[];
  };
  return raw.subgraphs;
}

export const schemaPath = (e: RegistryEntry): string => path.join(ROOT, e.dir, 'schema.graphql');
export const mainPath = (e: RegistryEntry): string => path.join(ROOT, e.dir, 'main.ts');
export const defaultUrl = (e: RegistryEntry): string => `http://127.0.0.1:${e.port}/graphql`;
