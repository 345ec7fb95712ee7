/**
 * Serves one federation gateway audit case (graphql-hive/federation-gateway-audit): its subgraphs
 * (the audit's SDL, resolvers and data, trimmed) over real HTTP and the real gateway over their
 * composed supergraph, on the engine the jest project selects (`engineEnv`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { composeSupergraph } from '../../../schema/compose';
import { createGateway } from '../../server';
import type { Gateway } from '../../server';
import { engineEnv, startSubgraph } from './fixtures';
import type { RunningServer } from './fixtures';
import { defaultConfig, defaultFeatures } from './config';

export type Resolvers = Parameters<typeof startSubgraph>[1];

export interface AuditCase {
  subgraphs: { name: string; typeDefs: string; resolvers: Resolvers }[];
}

export type Query = (query: string, variables?: Record<string, unknown>) => Promise<unknown>;

const running: { servers: RunningServer[]; gateways: Gateway[]; dirs: string[] } = {
  servers: [],
  gateways: [],
  dirs: [],
};

/** Stops every gateway and subgraph `serve` started (register with `afterAll`). */
export async function stopAll(): Promise<void> {
  await Promise.all(running.gateways.map((g) => g.stop()));
  await Promise.all(running.servers.map((s) => s.close()));
  for (const dir of running.dirs) rmSync(dir, { recursive: true, force: true });
}

/** Starts the case's subgraphs and a gateway over them (`env` adds gateway settings). */
export async function serve(c: AuditCase, env: Record<string, string> = {}): Promise<Query> {
  const parts = [];
  for (const s of c.subgraphs) {
    const server = await startSubgraph(s.typeDefs, s.resolvers);
    running.servers.push(server);
    parts.push({ name: s.name, url: server.url, typeDefs: s.typeDefs });
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'govgraph-audit-'));
  running.dirs.push(dir);
  writeFileSync(path.join(dir, 'supergraph.graphql'), composeSupergraph(parts));
  const gateway = createGateway(
    defaultConfig({
      SUPERGRAPH_PATH: path.join(dir, 'supergraph.graphql'),
      GATEWAY_PORT: '0',
      ...engineEnv(),
      ...env,
    }),
    { logger: pino({ level: 'silent' }), features: defaultFeatures },
  );
  running.gateways.push(gateway);
  const { url } = await gateway.start();
  return async (query, variables) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return res.json();
  };
}
