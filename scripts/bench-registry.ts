/**
 * `npm run bench:registry`: how long the registry takes on this repository's graph (every subgraph of
 * schema/registry.json published, as registry-graph.int.test.ts does), over HTTP, in-process:
 *
 * - check: `POST …/check` of a proposal that adds one field (composition + diff; nothing stored);
 * - publish: `POST …/publish` of a new version (check, store, compose, sign, audit, one transaction);
 * - supergraph: `GET …/supergraph` (200 with the body), and with a matching If-None-Match (304).
 *
 * RUNS times each (default 20; the GETs 10× that), after 3 warm-up calls. Prints the median and p95
 * in ms, and the median CPU time of the process (registry and client share it: the steadier figure
 * on a shared machine, as it does not count waiting for a core), as a Markdown table (docs/registry.md "Measured"). The database is a throw-away one on the
 * PostgreSQL server at BENCH_REGISTRY_SERVER (default postgres://postgres@127.0.0.1:5432/postgres).
 *
 *   BENCH_REGISTRY_RUNS=20 npm run bench:registry
 */
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { env, readEnv } from '../common/env';
import { generateGatewayKeys } from '../common/identity';
import { createLogger } from '../kit/runtime/logger';
import { createTestDatabase } from '../kit/testing';
import { loadRegistryConfig, startRegistry } from '../registry';
import { registeredSources } from './compose';

const settings = readEnv(process.env, {
  BENCH_REGISTRY_RUNS: env.integer(1, 1000).default(20),
  BENCH_REGISTRY_SERVER: env.postgresUrl().default('postgres://postgres@127.0.0.1:5432/postgres'),
});

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

async function main(): Promise<void> {
  process.env.TEST_DATABASE_URL = settings.BENCH_REGISTRY_SERVER;
  const db = await createTestDatabase('server');
  const keys = generateGatewayKeys();
  const idp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const registry = await startRegistry(
    loadRegistryConfig({
      REGISTRY_PORT: '0',
      REGISTRY_DATABASE_URL: db.url,
      REGISTRY_SIGNING_KEY: keys.privateKey,
      REGISTRY_JWT_PUBLIC_KEY: idp.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    }),
    createLogger('registry', 'silent'),
  );
  try {
    const token = await new SignJWT({ role: 'official', agency: '000.00.21.H26' })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('bench')
      .setIssuer('govgraph-dev')
      .setAudience('govgraph')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(idp.privateKey);
    const base = `${registry.url}/v1/environments/production`;
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      if (response.status !== 200)
        throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
      return response.json() as Promise<{ supergraphHash?: string }>;
    };
    const sources = registeredSources();
    for (const s of sources) await post(`/subgraphs/${s.name}/publish`, { sdl: s.typeDefs, url: s.url });
    const land = sources.find((s) => s.name === 'land')!;
    const withField = (n: number) =>
      land.typeDefs.replace(/type Query \{/, `type Query {\n  benchProbe${n}: String`);

    const time = async (runs: number, fn: (i: number) => Promise<unknown>) => {
      for (let i = 0; i < 3; i++) await fn(-1 - i);
      const ms: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < runs; i++) {
        const start = process.hrtime.bigint();
        const used = process.cpuUsage();
        await fn(i);
        const { user, system } = process.cpuUsage(used);
        cpu.push((user + system) / 1000);
        ms.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      return { median: quantile(ms, 0.5), p95: quantile(ms, 0.95), cpu: quantile(cpu, 0.5) };
    };
    const runs = settings.BENCH_REGISTRY_RUNS;
    const check = await time(runs, (i) => post('/subgraphs/land/check', { sdl: withField(i) }));
    // Each publish adds a field (safe); the next one removes it again, so it carries an override reason.
    const publish = await time(runs, (i) =>
      post('/subgraphs/land/publish', { sdl: withField(i + 1000), overrideReason: 'bench' }),
    );
    let etag = '';
    const full = await time(runs * 10, async () => {
      const response = await fetch(`${base}/supergraph`);
      etag = response.headers.get('etag')!;
      await response.text();
    });
    const notModified = await time(runs * 10, async () => {
      const response = await fetch(`${base}/supergraph`, { headers: { 'if-none-match': etag } });
      if (response.status !== 304) throw new Error(`expected 304, got ${response.status}`);
      await response.body?.cancel();
    });
    const size = (await (await fetch(`${base}/supergraph`)).text()).length;
    console.log(`${sources.length} subgraphs, supergraph ${Math.round(size / 1024)} KB, ${runs} runs\n`);
    console.log('| call | median ms | p95 ms | CPU ms (median) |\n| --- | --- | --- | --- |');
    for (const [name, t] of [
      ['check (compose + diff)', check],
      ['publish (check, store, compose, sign, audit)', publish],
      ['GET supergraph (200)', full],
      ['GET supergraph (304)', notModified],
    ] as const)
      console.log(`| ${name} | ${t.median.toFixed(1)} | ${t.p95.toFixed(1)} | ${t.cpu.toFixed(1)} |`);
  } finally {
    await registry.close();
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:registry: ${(error as Error).message}`);
  process.exit(1);
});
