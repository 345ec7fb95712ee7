/**
 * Adding a subgraph is one registry entry plus its folder: a minimal partner subgraph defined by
 * convention (test/fixtures/permits) mounts the shared reference catalogue into its own database,
 * contributes a field to `Agency`, composes with ours, and `npm start` runs it with the rest.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { composeSupergraph } from '../schema/compose';
import { loadRegistry } from '../schema/registry';
import { loadSubgraphModule } from './support/subgraphs';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';

const REGISTRY = 'test/fixtures/registry.json';
process.env.GOVGRAPH_REGISTRY = REGISTRY; // for defineSubgraph in this process, as npm start passes it on
const dataDir = mkdtempSync(path.join(tmpdir(), 'govgraph-partner-'));
let running: Stack | null = null;

afterAll(async () => {
  await running?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the partner subgraph composes (Agency gains its field) and mounts the audit log and the catalogue before its own tables', () => {
  const registry = loadRegistry();
  const sdl = composeSupergraph(
    registry.map((e) => ({
      name: e.name,
      url: `http://127.0.0.1:${e.port}/graphql`,
      typeDefs: loadSubgraphModule(e).typeDefs,
    })),
  );
  expect(sdl).toMatch(/permitCount\(period: PeriodInput!\): Int! @join__field\(graph: PERMITS\)/);
  expect(sdl).toMatch(/permitsAuditLog\(.*\): AuditEntryConnection! @join__field\(graph: PERMITS\)/);
  expect(loadSubgraphModule(registry[1]!).databaseModules.map((m) => m.namespace)).toEqual([
    'audit',
    'catalogue',
    'permits',
  ]);
});

test('npm start runs it with the rest, and one query spans both subgraphs', async () => {
  running = await startStack(dataDir, { GOVGRAPH_REGISTRY: REGISTRY });
  expect(running.output()).toMatch(/permits:\s+http:\/\/127\.0\.0\.1:\d+\/graphql/);
  const res = await fetch(running.gateway, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `{ agency(code: "000.00.21.H26") { name permitCount(period: { from: "2020-01-01", to: "2020-12-31" }) }
        permitsUnder(agencyCode: "000.00.00.H26", asOf: "2020-06-30") }`,
    }),
  });
  const body = await res.json();
  expect(body).toEqual({
    data: {
      agency: { name: 'Ủy ban nhân dân quận Bắc Từ Liêm', permitCount: 3 },
      permitsUnder: 3, // Hà Nội's subtree on that date includes Bắc Từ Liêm: the catalogue is mounted
    },
  });
  // The composed supergraph of this registry was written to the data folder, not over the committed one.
  expect(readFileSync(path.join(dataDir, 'supergraph.graphql'), 'utf8')).toContain('PERMITS');
  expect(await running.stop()).toBe(0);
  running = null;
}, 120_000);
