/**
 * Issue 19's "must show", end to end with real processes: a registry process on its own database
 * (usage-aware checks on), the permits partner subgraph (test/fixtures/permits) as a process on its own
 * database beside a small agencies subgraph that owns `Agency`, and TWO gateway replicas polling the
 * registry's signed supergraph through a tampering proxy and reporting usage to the registry. A client
 * (`graphql-client-name: permits-portal`) runs `query PermitCounts` over both replicas throughout, and
 * the partner's CI runs the registry's CLI, bundled alone into a folder outside this repository:
 * 1. a proposal removing `Agency.permitCount` fails `check` (exit 1), naming the client and operation;
 * 2. the fixed proposal (deprecated, not removed) passes (exit 0);
 * 3. `publish` under the load brings both replicas to the new supergraph; no request fails;
 * 4. a tampered supergraph, then an unsigned one, is refused by both (logged, counted in /ready), and
 *    they keep serving;
 * 5. `rollback` brings both back to the first supergraph (the same hash).
 * And a gateway does not start on an unsigned supergraph.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateGatewayKeys } from '../common/identity';
import { SIGNATURE_HEADER } from '../common/supergraphSignature';
import { startSubgraph } from '../gateway/test/support/fixtures';
import type { RunningServer } from '../gateway/test/support/fixtures';
import { subgraphSdl } from '../kit/runtime/sdl';
import { createTestDatabase } from '../kit/testing';
import type { TestDatabase } from '../kit/testing';
import { AGENCIES, call, OFFICIAL, PARTNER, tokenFor } from '../registry/test/support';
import type { TestRegistry } from '../registry/test/support';
import { ROOT } from '../schema/registry';
import {
  killStarted,
  runCli,
  startGatewayProcess,
  startPermitsProcess,
  startRegistryProcess,
  until,
} from './support/registryProcesses';
import type { GatewayProcess } from './support/registryProcesses';
import { bundleSchemaCli } from '../scripts/build';
import { startClientLoad } from './support/clientLoad';
import { startSupergraphProxy } from './support/supergraphProxy';
import type { SupergraphProxy } from './support/supergraphProxy';

jest.setTimeout(240_000);

const ENV = '/v1/environments/production';
const BAC_TU_LIEM = '000.00.21.H26'; // the fixture's three permits of 2020
const OPERATION = `query PermitCounts { agency(code: "${BAC_TU_LIEM}") {
  name permitCount(period: { from: "2020-01-01", to: "2020-12-31" }) } }`;
const PERMIT_COUNT = 'permitCount(period: PeriodInput!): Int!';

let registryDb: TestDatabase;
let permitsDb: TestDatabase;
let agencies: RunningServer;
let registry: { url: string };
let proxy: SupergraphProxy;
let gatewayEnv: Record<string, string>;
let dir: string;
let official: string;
let partner: string;

beforeAll(async () => {
  [registryDb, permitsDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  const signing = generateGatewayKeys(); // the registry signs supergraphs, the gateways verify
  const callers = generateGatewayKeys(); // the gateways sign caller tokens, permits verifies
  const idp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  [registry, agencies] = await Promise.all([
    startRegistryProcess({
      REGISTRY_DATABASE_URL: registryDb.url,
      REGISTRY_SIGNING_KEY: signing.privateKey,
      REGISTRY_JWT_PUBLIC_KEY: idp.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      REGISTRY_USAGE_CHECKS: 'true',
    }),
    startSubgraph(AGENCIES, {
      Query: { agency: (_: unknown, { code }: { code: string }) => ({ code, name: `Cơ quan ${code}` }) },
      Agency: { __resolveReference: (ref: { code: string }) => ({ ...ref, name: `Cơ quan ${ref.code}` }) },
    }),
  ]);
  const permits = await startPermitsProcess({ database: permitsDb, gatewayPublicKey: callers.publicKey });
  const asIdp = { idp: { privateKey: idp.privateKey } } as TestRegistry;
  [official, partner] = await Promise.all([tokenFor(asIdp, OFFICIAL), tokenFor(asIdp, PARTNER)]);

  // The partner's CI folder: the bundled CLI alone (as `npm run build` writes it), the schema as the permits subgraph serves it, and
  // two proposals: one removing Agency.permitCount, the fixed one deprecating it.
  dir = mkdtempSync(path.join(os.tmpdir(), 'permits-ci-'));
  await bundleSchemaCli(path.join(dir, 'schema-cli.mjs'));
  const sdl = subgraphSdl(path.join(ROOT, 'test/fixtures/permits'), 'permits');
  expect(sdl).toContain(PERMIT_COUNT);
  writeFileSync(path.join(dir, 'schema.graphql'), sdl);
  writeFileSync(
    path.join(dir, 'remove.graphql'),
    sdl.replace(/\n\s*"Số giấy phép[^\n]*\n[^\n]*permitCount[^\n]*/, ''),
  );
  writeFileSync(
    path.join(dir, 'deprecate.graphql'),
    sdl.replace(PERMIT_COUNT, `${PERMIT_COUNT} @deprecated(reason: "Moving to Permit register v2")`),
  );

  // The platform publishes the agencies subgraph; the partner's CI publishes permits version 1.
  expect(
    await call(registry, 'POST', `${ENV}/subgraphs/agencies/publish`, {
      token: official,
      body: { sdl: AGENCIES, url: agencies.url },
    }),
  ).toMatchObject({ status: 200 });
  expect(await cli(['publish', 'permits', '--schema', 'schema.graphql', '--url', permits.url])).toMatchObject(
    {
      code: 0,
      stdout: expect.stringContaining('✓ permits (production): published version 1'),
    },
  );

  proxy = await startSupergraphProxy(registry.url, (document) =>
    document.replace(/type Agency[^{]*\{/, '$&\n  secret: String'),
  );
  const { body: publicKey } = await call(registry, 'GET', '/v1/public-key');
  gatewayEnv = {
    SUPERGRAPH_URL: `${proxy.url}${ENV}/supergraph`,
    GATEWAY_SUPERGRAPH_POLL_INTERVAL: '200',
    GATEWAY_RATE_LIMIT_PER_IP: '0', // the client load comes from one address
    GATEWAY_SUPERGRAPH_PUBLIC_KEY: String(publicKey).trim(),
    GATEWAY_SUBGRAPH_SIGNING_KEY: callers.privateKey,
    GATEWAY_USAGE_REPORT_URL: `${registry.url}${ENV}/usage`,
    GATEWAY_USAGE_REPORT_TOKEN: official,
    GATEWAY_USAGE_REPORT_INTERVAL: '200',
  };
});
afterAll(async () => {
  killStarted();
  await Promise.all([proxy?.close(), agencies?.close()]);
  await Promise.all([registryDb?.close(), permitsDb?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The partner's CI: the bundled CLI with the registry's URL and the partner's token. */
const cli = (args: string[]) =>
  runCli('schema-cli.mjs', args, {
    cwd: dir,
    env: { GOVGRAPH_REGISTRY_URL: registry.url, GOVGRAPH_REGISTRY_TOKEN: partner },
  });

/** Both replicas' /ready once `ok` holds for each. */
const bothReady = (
  replicas: GatewayProcess[],
  what: string,
  ok: (s: { hash: string; refusals: number }) => boolean,
) => Promise.all(replicas.map((g, i) => until(`replica ${i + 1}: ${what}`, () => g.ready(), ok, 30_000)));

test('check names the client, the fix passes, publish reaches both replicas under load, tampering is refused, rollback restores', async () => {
  const replicas = await Promise.all([startGatewayProcess(gatewayEnv), startGatewayProcess(gatewayEnv)]);
  const [first] = await bothReady(replicas, 'serving', () => true);
  const s1 = first.hash;
  expect(replicas.length).toBe(2);
  for (const g of replicas) expect(await g.ready()).toMatchObject({ hash: s1, reloads: 0, refusals: 0 });

  const load = startClientLoad(
    replicas.map((g) => g.url),
    { client: 'permits-portal', query: OPERATION },
    (data) =>
      JSON.stringify(data) === JSON.stringify({ agency: { name: `Cơ quan ${BAC_TU_LIEM}`, permitCount: 3 } }),
  );
  // Usage, recorded by the replicas' usage-report feature in the registry's database.
  expect(
    await until(
      'usage recorded',
      () =>
        registryDb.query<{ client: string; operation: string }>(
          `SELECT DISTINCT client, operation FROM field_usage WHERE coordinate = 'Agency.permitCount'`,
        ),
      (rows) => rows.length > 0,
    ),
  ).toEqual([{ client: 'permits-portal', operation: 'PermitCounts' }]);

  // 1. The breaking proposal: exit 1, the change by coordinate, the client and its operation.
  const removed = await cli(['check', 'permits', '--schema', 'remove.graphql']);
  expect(removed.code).toBe(1);
  expect(removed.stdout).toMatch(/^✗ permits \(production\): 1 breaking/);
  expect(removed.stdout).toMatch(
    /BREAKING\s+Agency\.permitCount\s+Field 'permitCount' was removed from object type 'Agency'/,
  );
  expect(removed.stdout).toMatch(/used by permits-portal: PermitCounts \(\d+×\)/);

  // 2. The fixed proposal passes.
  const fixed = await cli(['check', 'permits', '--schema', 'deprecate.graphql']);
  expect(fixed).toMatchObject({
    code: 0,
    stdout: expect.stringMatching(/^✓ permits \(production\): 0 breaking/),
  });

  // 3. Publish under the load: both replicas reach the new supergraph.
  const published = await cli(['publish', 'permits', '--schema', 'deprecate.graphql']);
  expect(published.code).toBe(0);
  const s2 = /published version 2; supergraph ([0-9a-f]{64})/.exec(published.stdout)?.[1];
  expect(s2).toBeDefined();
  expect(s2).not.toBe(s1);
  await bothReady(replicas, 'reload to s2', (s) => s.hash === s2);
  await load.answeredByEach(5);

  // 4. Tampered on the way (signature kept), then unsigned: each replica refuses and keeps serving s2.
  proxy.mode = 'tamper';
  await bothReady(replicas, 'tampered refused', (s) => s.refusals === 1);
  await load.answeredByEach(5);
  proxy.mode = 'unsigned';
  await bothReady(replicas, 'unsigned refused', (s) => s.refusals === 2);
  await load.answeredByEach(5);
  proxy.mode = 'pass';
  for (const g of replicas) {
    expect(await g.ready()).toMatchObject({ hash: s2, reloads: 1, refusals: 2 });
    const refused = g
      .output()
      .split('\n')
      .filter((l) => l.includes('supergraph refused'))
      .map((l) => JSON.parse(l) as { reason: string; current: string });
    expect(refused.map((r) => [r.reason, r.current])).toEqual([
      ['the signature does not verify (tampered, or signed with another key)', s2],
      [`unsigned: no ${SIGNATURE_HEADER}`, s2],
    ]);
    const secret = await fetch(new URL('/graphql', g.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ agency(code: "${BAC_TU_LIEM}") { secret } }` }),
    }).then((r) => r.json());
    expect(secret).toMatchObject({ errors: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
  }

  // 5. Rollback to version 1: the first supergraph, byte for byte, on both replicas.
  const back = await cli(['rollback', 'permits', '--to', '1']);
  expect(back).toMatchObject({
    code: 0,
    stdout: expect.stringContaining(`rolled back from version 2 to 1; supergraph ${s1}`),
  });
  await bothReady(replicas, 'rollback to s1', (s) => s.hash === s1);
  for (const g of replicas) expect(await g.ready()).toMatchObject({ hash: s1, reloads: 2, refusals: 2 });
  await load.answeredByEach(5);

  // Each replica answered after every reload and refusal (above), and no request failed. The counts
  // depend on the machine (thousands each on the 2-core dev machine, fewer on a loaded CI one).
  const result = await load.stop();
  expect(result.failures).toEqual([]);
});

test('a gateway does not start on an unsigned supergraph', async () => {
  proxy.mode = 'unsigned';
  try {
    await expect(startGatewayProcess(gatewayEnv)).rejects.toThrow(
      /GATEWAY_SUPERGRAPH_PUBLIC_KEY: the supergraph at http:\/\/127\.0\.0\.1:\d+\/v1\/environments\/production\/supergraph \([0-9a-f]{64}\) is refused: unsigned/,
    );
  } finally {
    proxy.mode = 'pass';
  }
});
