/**
 * compose.yaml, read as Docker Compose reads it (YAML merge keys and anchors resolved): every govgraph
 * service runs a command that exists in a fresh build, every variable it is given (inline and in its
 * env file's committed example) is one its config schema knows and reads without error, secrets are
 * only in env files and compose secrets, the gateway replicas reach every registered subgraph, and
 * HAProxy and Prometheus point at services that exist.
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadGatewayConfig, subgraphEnvName } from '../gateway/config';
import { defaultFeatures } from '../gateway/features';
import { loadSubgraphConfig } from '../kit/runtime/config';
import { loadRegistryConfig } from '../registry/config';
import { loadRegistry, peersSetting, ROOT } from '../schema/registry';
import { buildCompiled } from './support/compiled';
import type { CompiledBuild } from './support/compiled';
import {
  commandTarget,
  GATEWAY_VARIABLES,
  SUBGRAPHS,
  subgraphVariables,
  unknownVariables,
} from './support/deploy';

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  env_file?: string[];
  volumes?: string[];
  secrets?: string[];
}
const compose = parse(readFileSync(path.join(ROOT, 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  secrets: Record<string, { file: string }>;
};
const services = compose.services;
const govgraph = Object.entries(services).filter(([, s]) => s.image?.startsWith('govgraph:'));
const gateways = govgraph.filter(([name]) => name.startsWith('gateway-'));

/** KEY=value lines of the committed example of an env file (`secrets/x.env` → `secrets.example/x.env`). */
function exampleEnv(envFile: string): Record<string, string> {
  const example = envFile.replace('/secrets/', '/secrets.example/');
  const lines = readFileSync(path.join(ROOT, example), 'utf8').split('\n');
  return Object.fromEntries(
    lines
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}
/** What the process sees: its env files (as their examples), then `environment`; ${VAR:-default} as its default. */
function processEnv(service: Service): Record<string, string> {
  const env: Record<string, string> = { NODE_ENV: 'production' };
  for (const file of service.env_file ?? []) Object.assign(env, exampleEnv(file));
  for (const [k, v] of Object.entries(service.environment ?? {}))
    env[k] = String(v).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
  return env;
}

let build: CompiledBuild;
beforeAll(() => {
  build = buildCompiled();
}, 120_000);
afterAll(() => build?.remove());

test('the stack: PostgreSQL, Redis, every registered subgraph, the schema registry, two gateways, HAProxy, Prometheus', () => {
  expect(Object.keys(services).sort()).toEqual(
    [
      'postgres',
      'redis',
      ...SUBGRAPHS.map((s) => s.name),
      'registry',
      'gateway-1',
      'gateway-2',
      'haproxy',
      'prometheus',
    ].sort(),
  );
  expect(new Set(govgraph.map(([, s]) => s.image))).toEqual(new Set(['govgraph:${GOVGRAPH_TAG:-0.1.0}']));
});

test('every govgraph service runs a command that exists in the build: its own process', () => {
  for (const [name, service] of govgraph) {
    const target = commandTarget(service.command ?? [], build.dir);
    expect([name, target]).toEqual([
      name,
      { service: name.startsWith('gateway-') ? 'gateway' : name, missing: [] },
    ]);
  }
});

test('every variable a subgraph is given is one of its settings, and its config reads them', () => {
  for (const { name, port } of SUBGRAPHS) {
    const env = processEnv(services[name]);
    expect([name, unknownVariables(Object.keys(env), subgraphVariables(name))]).toEqual([name, []]);
    const config = loadSubgraphConfig(name, env, { port: 0 });
    expect([config.host, config.port, config.seed]).toEqual(['0.0.0.0', port, false]);
    expect(config.databaseUrl).toBe(
      `postgres://govgraph_app:CHANGE_ME@postgres:5432/govgraph_${name.replace(/-/g, '_')}`,
    );
    expect(env.HEALTHCHECK_PORT).toBe(String(port));
  }
});

test('every variable a gateway is given is one the gateway knows, and its config reads them', () => {
  expect(gateways.map(([n]) => n)).toEqual(['gateway-1', 'gateway-2']);
  for (const [name, service] of gateways) {
    const env = processEnv(service);
    expect([name, unknownVariables(Object.keys(env), GATEWAY_VARIABLES)]).toEqual([name, []]);
    const config = loadGatewayConfig(env, service.command!.slice(2), defaultFeatures);
    expect(config.supergraph.watch).toBe('watch');
    expect(Object.keys(config.subgraphUrls).sort()).toEqual(
      SUBGRAPHS.map((s) => subgraphEnvName(s.name)).sort(),
    );
    for (const s of SUBGRAPHS)
      expect(env[`SUBGRAPH_URL_${subgraphEnvName(s.name)}`]).toBe(`http://${s.name}:${s.port}/graphql`);
    expect(env.GATEWAY_SUBGRAPH_PEERS).toBe(peersSetting(loadRegistry()));
    expect(env.GATEWAY_REDIS_URL).toBe('redis://redis:6379');
  }
});

test('the schema registry is given only its settings, its config reads them, on its own database', () => {
  const env = processEnv(services.registry!);
  const known = new Set(['NODE_ENV', 'HEALTHCHECK_PORT']);
  expect(Object.keys(env).filter((k) => !k.startsWith('REGISTRY_') && !known.has(k))).toEqual([]);
  // The example's key is CHANGE_ME; the config must accept a real one in its place.
  const key = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const config = loadRegistryConfig({ ...env, REGISTRY_SIGNING_KEY: key });
  expect([config.host, config.port]).toEqual(['0.0.0.0', 4400]);
  expect(env.HEALTHCHECK_PORT).toBe('4400');
  expect(config.databaseUrl).toBe('postgres://postgres:CHANGE_ME@postgres:5432/govgraph_registry');
  expect(readFileSync(path.join(ROOT, 'deploy/postgres/init-databases.sh'), 'utf8')).toContain(
    'CREATE DATABASE govgraph_registry;',
  );
});

test('the supergraph is the committed one, mounted read-only as a folder (a renamed-in file is seen)', () => {
  for (const [, service] of gateways) {
    expect(service.volumes).toEqual(['./schema:/etc/govgraph/schema:ro']);
    expect(service.command!.at(-1)).toBe('/etc/govgraph/schema/supergraph.graphql');
  }
  expect(existsSync(path.join(ROOT, 'schema/supergraph.graphql'))).toBe(true);
});

test('no secret is written in compose.yaml: keys and database URLs only in env files and compose secrets', () => {
  for (const [name, service] of Object.entries(services))
    for (const key of Object.keys(service.environment ?? {}))
      expect([name, key]).not.toEqual([
        name,
        expect.stringMatching(/KEY|PASSWORD$|DATABASE_URL|TOKEN|SECRET/),
      ]);
  for (const [, secret] of Object.entries(compose.secrets))
    expect(secret.file).toMatch(/^deploy\/compose\/secrets\//);
  for (const [, service] of govgraph)
    for (const file of service.env_file ?? [])
      expect(file).toMatch(/^deploy\/compose\/secrets\/[a-z-]+\.env$/);
  expect(readFileSync(path.join(ROOT, '.gitignore'), 'utf8')).toContain('deploy/compose/secrets/');
  expect(readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')).toContain('deploy/compose/secrets');
});

test('HAProxy balances the two gateways, checking /ready; Prometheus scrapes every govgraph service', () => {
  const cfg = readFileSync(path.join(ROOT, 'deploy/haproxy/haproxy.cfg'), 'utf8');
  expect([...cfg.matchAll(/^\s*server (\S+) (\S+)/gm)].map((m) => [m[1], m[2]])).toEqual([
    ['gateway-1', 'gateway-1:4000'],
    ['gateway-2', 'gateway-2:4000'],
  ]);
  expect(cfg).toMatch(/option httpchk GET \/ready/);
  expect(services.haproxy.volumes).toEqual([
    './deploy/haproxy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro',
  ]);
  const prom = parse(readFileSync(path.join(ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
    scrape_configs: { static_configs: { targets: string[] }[] }[];
  };
  const targets = prom.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets));
  expect(targets.sort()).toEqual(
    [...gateways.map(([n]) => `${n}:4000`), ...SUBGRAPHS.map((s) => `${s.name}:${s.port}`)].sort(),
  );
});
