/**
 * Every registered subgraph, loaded by convention from its folder's `subgraph.ts`, and a federated stack
 * of all of them in one process tree: each subgraph on a throw-away embedded database and its own port,
 * the gateway in front, real HTTP between them. Tests loop over the registry instead of naming subgraphs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadGatewayConfig } from '../../gateway/config';
import { engineEnv } from '../../gateway/test/fixtures';
import { createGateway } from '../../gateway/server';
import type { Gateway } from '../../gateway/server';
import type { SubgraphModule } from '../../kit/define';
import { generateGatewayKeys } from '../../common/identity';
import { startTestSubgraph } from '../../kit/testing';
import type { TestSubgraph } from '../../kit/testing';
import { composeSupergraph } from '../../schema/compose';
import { loadRegistry, ROOT } from '../../schema/registry';
import type { RegistryEntry } from '../../schema/registry';

/** The module a registered subgraph's `subgraph.ts` exports (the export whose name matches). */
export function loadSubgraphModule(entry: RegistryEntry): SubgraphModule<unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exports = require(path.join(ROOT, entry.dir, 'subgraph.ts')) as Record<string, unknown>;
  const mod = Object.values(exports).find(
    (v): v is SubgraphModule<unknown> => (v as SubgraphModule<unknown> | null)?.name === entry.name,
  );
  if (!mod) throw new Error(`${entry.dir}/subgraph.ts exports no subgraph named "${entry.name}"`);
  return mod;
}

export interface FederatedStack {
  readonly url: string;
  /** POSTs one operation to the gateway (as an anonymous client) and returns the JSON body. */
  gql(query: string, variables?: Record<string, unknown>): Promise<any>;
  readonly gateway: Gateway;
  readonly subgraphs: ReadonlyMap<string, TestSubgraph>;
  close(): Promise<void>;
}

export async function startFederatedStack(
  opts: { scale?: number; registry?: RegistryEntry[]; gatewayEnv?: Record<string, string> } = {},
): Promise<FederatedStack> {
  const registry = opts.registry ?? loadRegistry();
  // One key pair for the stack: the gateway signs callers, every subgraph verifies them.
  const gatewayKeys = generateGatewayKeys();
  const subgraphs = new Map<string, TestSubgraph>();
  const parts = [];
  for (const entry of registry) {
    const mod = loadSubgraphModule(entry);
    const sub = await startTestSubgraph(mod, { scale: opts.scale, gatewayKeys });
    subgraphs.set(entry.name, sub);
    parts.push({ name: entry.name, url: await sub.listen(), typeDefs: mod.typeDefs });
  }
  const supergraph = path.join(mkdtempSync(path.join(tmpdir(), 'govgraph-')), 'supergraph.graphql');
  writeFileSync(supergraph, composeSupergraph(parts));
  const silent = pino({ level: 'silent' });
  const gateway = createGateway(
    loadGatewayConfig({
      SUPERGRAPH_PATH: supergraph,
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'silent',
      GATEWAY_SUBGRAPH_SIGNING_KEY: gatewayKeys.privateKey,
      ...engineEnv(),
      ...opts.gatewayEnv,
    }),
    { logger: silent },
  );
  const { url } = await gateway.start();
  const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<any> => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return res.json();
  };
  return {
    url,
    gql,
    gateway,
    subgraphs,
    async close() {
      await gateway.stop();
      for (const sub of subgraphs.values()) await sub.close().catch(() => undefined);
    },
  };
}
