/**
 * The compiled build serves: `npm run build`'s output, run as production runs it — each subgraph as
 * `node dist/subgraphs/<name>/main.js` with its own database (migrated and seeded on first start, the
 * seed in a `--seed-only` child of the compiled main.js), the gateway as
 * `node dist/gateway/main.js --supergraph schema/supergraph.graphql` — with no TypeScript loader. One
 * scorecard query reaches every subgraph through the gateway; GraphiQL opens with the example tabs.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateGatewayKeys } from '../common/identity';
import { createTestDatabase } from '../kit/testing';
import type { TestDatabase } from '../kit/testing';
import { projectExamples } from '../schema/examples';
import { envPrefix } from '../common/env';
import { loadRegistry } from '../schema/registry';
import { devTokenKeys, signDevToken } from '../scripts/devKeys';
import { buildCompiled, plainNodeEnv, startCompiled } from './support/compiled';
import type { CompiledBuild, CompiledProcess } from './support/compiled';

const registry = loadRegistry();
const keysDir = mkdtempSync(path.join(tmpdir(), 'govgraph-compiled-keys-'));
const databases: TestDatabase[] = [];
const processes: CompiledProcess[] = [];
let build: CompiledBuild | undefined;
let gateway: CompiledProcess;

/** Every file of the build, relative to it. */
function filesOf(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)));
}

beforeAll(async () => {
  build = buildCompiled();
  const keys = generateGatewayKeys();
  const subgraphs = await Promise.all(
    registry.map(async (e) => {
      const db = await createTestDatabase();
      databases.push(db);
      const p = envPrefix(e.name);
      const started = await startCompiled(
        path.join(build!.dir, e.dir, 'main.js'),
        [],
        plainNodeEnv({
          [`${p}DATABASE_URL`]: db.url,
          [`${p}PORT`]: '0',
          [`${p}SEED_SCALE`]: '0.05',
          [`${p}LOG_LEVEL`]: 'warn',
          [`${p}GATEWAY_PUBLIC_KEY`]: keys.publicKey,
        }),
      );
      processes.push(started);
      return { name: e.name, url: started.url };
    }),
  );
  gateway = await startCompiled(
    path.join(build.dir, 'gateway/main.js'),
    ['--supergraph', 'schema/supergraph.graphql', '--port', '0'],
    plainNodeEnv({
      LOG_LEVEL: 'warn',
      GATEWAY_SUBGRAPH_SIGNING_KEY: keys.privateKey,
      GATEWAY_JWT_PUBLIC_KEY: devTokenKeys(keysDir).publicKey,
      GATEWAY_SHUTDOWN_DELAY: '0',
      ...Object.fromEntries(subgraphs.map((s) => [`SUBGRAPH_URL_${envPrefix(s.name).slice(0, -1)}`, s.url])),
    }),
  );
  processes.push(gateway);
}, 90_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await Promise.all(databases.map((db) => db.close()));
  build?.remove();
  rmSync(keysDir, { recursive: true, force: true });
});

test('the build is JavaScript only: every module a .js beside its source map, no TypeScript', () => {
  const files = filesOf(build!.dir);
  expect(files.filter((f) => f.endsWith('.ts'))).toEqual([]);
  expect(files).toContain(path.join('gateway', 'main.js'));
  for (const e of registry) {
    expect(files).toContain(path.join(e.dir, 'main.js'));
    expect(files).toContain(path.join(e.dir, 'schema.graphql'));
  }
  const modules = files.filter((f) => f.endsWith('.js'));
  expect(files.filter((f) => f.endsWith('.js.map')).sort()).toEqual(modules.map((f) => `${f}.map`).sort());
  expect(build!.output).toContain(`${modules.length} modules`);
});

test('a scorecard query through the compiled gateway reaches every compiled subgraph', async () => {
  const period = '{ from: "2014-01-01", to: "2014-12-31" }';
  const res = await fetch(gateway.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await signDevToken(keysDir, { role: 'analyst' })}`,
    },
    body: JSON.stringify({
      query: `{ agency(code: "000.00.21.H26") {
        name
        documentStats(period: ${period}) { electronicRatio }
        dossierStats(period: ${period}) { onTime { value } }
        mailStats(period: ${period}) { coverage { value } }
        budget(year: 2014) { execution { value } }
        landStats(period: ${period}, includeSubordinates: true) { digitised { value } }
      } }`,
    }),
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({
    data: {
      agency: {
        name: 'Ủy ban nhân dân quận Bắc Từ Liêm',
        documentStats: { electronicRatio: 0.9 },
        dossierStats: { onTime: { value: 1 } },
        mailStats: { coverage: { value: 1 } },
        budget: { execution: { value: 0.8059 } },
        landStats: { digitised: { value: 0.1696 } },
      },
    },
  });
});

/** The tabs of a GraphiQL page: its `data-tabs` attribute, unescaped. */
function tabsOf(page: string): { query: string }[] {
  const attr = /data-tabs="([^"]*)"/.exec(page)?.[1] ?? '[]';
  const entities: Record<string, string> = {
    '&quot;': '"',
    '&#39;': "'",
    '&lt;': '<',
    '&gt;': '>',
    '&amp;': '&',
  };
  return JSON.parse(attr.replace(/&(quot|#39|lt|gt|amp);/g, (e) => entities[e]!));
}

test("GraphiQL opens with the example tabs, read from the build's own files", async () => {
  const page = await fetch(gateway.url.replace(/\/graphql$/, '/graphiql'));
  expect(page.status).toBe(200);
  const titles = tabsOf(await page.text()).map((t) => t.query.split('\n')[0]);
  expect(titles).toEqual(projectExamples().map((e) => `# ${e.title}`));
});

test('the compiled gateway and subgraphs stop on SIGTERM with exit code 0', async () => {
  const codes = await Promise.all(processes.map((p) => p.stop()));
  expect(codes).toEqual(processes.map(() => 0));
});
