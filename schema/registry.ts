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
  /**
   * The subgraphs it asks, as the caller, while it checks a write (kit/runtime/peers.ts), e.g. land: the
   * dossiers that decide its changes. The gateway then sends it a delegation token per peer.
   */
  peers?: string[];
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
  const names = new Set(raw.subgraphs.map((e) => e.name));
  for (const e of raw.subgraphs)
    for (const peer of e.peers ?? [])
      if (!names.has(peer) || peer === e.name)
        throw new Error(`${path.relative(ROOT, file)}: ${e.name} names an unknown peer "${peer}"`);
  return raw.subgraphs;
}

/**
 * The gateway's `GATEWAY_SUBGRAPH_PEERS` for a registry: `land=dossiers;documents=mail+dossiers`
 * (peers the registry does not hold are left out: a write that needs one then fails, saying so).
 */
export function peersSetting(registry: readonly RegistryEntry[]): string {
  const names = new Set(registry.map((e) => e.name));
  return registry
    .map((e) => ({ name: e.name, peers: (e.peers ?? []).filter((p) => names.has(p)) }))
    .filter((e) => e.peers.length)
    .map((e) => `${e.name}=${e.peers.join('+')}`)
    .join(';');
}

export const schemaPath = (e: RegistryEntry): string => path.join(ROOT, e.dir, 'schema.graphql');
export const mainPath = (e: RegistryEntry): string => path.join(ROOT, e.dir, 'main.ts');
export const defaultUrl = (e: RegistryEntry): string => `http://127.0.0.1:${e.port}/graphql`;
