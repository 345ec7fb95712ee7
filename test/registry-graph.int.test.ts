/**
 * The registry with this repository's own graph: every registered subgraph published through the
 * registry's HTTP API composes into the very supergraph `npm run compose` commits (same bytes, same
 * hash); a publish costs the same number of database statements however many subgraphs the graph has
 * (no statement per subgraph); two publishes at once to one environment are serialised, neither lost;
 * the portal's committed trusted-document manifest registers against this graph and counts as usage.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../schema/registry';
import { registeredSources } from '../scripts/compose';
import { call, OFFICIAL, startTestRegistry, tokenFor } from '../registry/test/support';
import type { TestRegistry } from '../registry/test/support';

jest.setTimeout(120_000);

let registry: TestRegistry;
let token: string;
const ENV = '/v1/environments/production';

beforeAll(async () => {
  registry = await startTestRegistry();
  token = await tokenFor(registry, OFFICIAL);
});
afterAll(() => registry.close());

const publish = (name: string, sdl: string, url?: string) =>
  call(registry, 'POST', `${ENV}/subgraphs/${name}/publish`, { token, body: { sdl, ...(url && { url }) } });

test("the repository's subgraphs, published one by one, compose into schema/supergraph.graphql", async () => {
  const sources = registeredSources();
  expect(sources.length).toBeGreaterThanOrEqual(7);
  const statements: number[] = [];
  for (const source of sources) {
    const before = registry.db.roundTrips;
    const answer = await publish(source.name, source.typeDefs, source.url);
    expect({ name: source.name, status: answer.status }).toEqual({ name: source.name, status: 200 });
    statements.push(registry.db.roundTrips - before);
  }
  const served = await call(registry, 'GET', `${ENV}/supergraph`);
  expect(served.body).toBe(readFileSync(path.join(ROOT, 'schema/supergraph.graphql'), 'utf8'));
  // The first publish of a graph and the seventh send the same statements (no query per subgraph).
  expect(new Set(statements.slice(1)).size).toBe(1);
  expect(statements[statements.length - 1]).toBeLessThanOrEqual(12);
});

test("the portal's committed manifest registers against this graph; removing what DossierStatus reads fails, naming it", async () => {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'clients/portal/manifest.json'), 'utf8'));
  const registered = await call(registry, 'PUT', `${ENV}/clients/portal/documents`, {
    token,
    body: { manifest },
  });
  expect(registered).toMatchObject({ status: 200, body: { registered: true, documents: 9 } });
  expect(registered.body.operations).toEqual(expect.arrayContaining(['DossierStatus', 'DossierStatusLive']));
  // Nothing ran DossierStatus here (no gateway, no usage): the registered document alone counts.
  const dossiers = registeredSources().find((s) => s.name === 'dossiers')!;
  // The field and its description.
  const without = dossiers.typeDefs.replace(
    /\s*"""(?:(?!""")[\s\S])*"""\s*dossierStatus\(code: String!\): DossierPublicStatus\n/,
    '\n',
  );
  expect(without).not.toBe(dossiers.typeDefs);
  const check = await call(registry, 'POST', `${ENV}/subgraphs/dossiers/check`, {
    token,
    body: { sdl: without },
  });
  expect(check.body.ok).toBe(false);
  expect(check.body.changes.find((c: any) => c.coordinate === 'Query.dossierStatus')).toMatchObject({
    severity: 'breaking',
    usedBy: [{ client: 'portal', operation: 'DossierStatus', count: 0, trusted: true }],
  });
});

test('two publishes at once to one environment are serialised: both land, neither is lost', async () => {
  const sources = registeredSources();
  const [a, b] = [sources.find((s) => s.name === 'budgets')!, sources.find((s) => s.name === 'land')!];
  const add = (sdl: string, field: string) =>
    sdl.replace(/type Query \{/, `type Query {\n  ${field}: String`);
  const [ra, rb] = await Promise.all([
    publish(a.name, add(a.typeDefs, 'registryProbeBudgets')),
    publish(b.name, add(b.typeDefs, 'registryProbeLand')),
  ]);
  expect([ra.status, rb.status]).toEqual([200, 200]);
  expect([ra.body.version, rb.body.version]).toEqual([2, 2]);
  expect(ra.body.supergraphHash).not.toBe(rb.body.supergraphHash);
  const served = (await call(registry, 'GET', `${ENV}/supergraph`)).body as string;
  expect(served).toContain('registryProbeBudgets');
  expect(served).toContain('registryProbeLand');
});
