/**
 * deploy/k8s/: every overlay rendered by `kubectl kustomize` (as a cluster would receive it) and held
 * to what the processes are: probes on routes they serve, only variables their config schemas know
 * (read by the real config readers), one image and tag, the supergraph ConfigMap the gateway watches,
 * keys from Secrets that are referenced and never rendered, and subgraphs reachable only inside the
 * cluster, only from the gateway and the peers that ask them before a write.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
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
  PROBE_ROUTES,
  SUBGRAPHS,
  subgraphVariables,
  unknownVariables,
} from './support/deploy';

const OVERLAYS = ['district', 'province', 'national'] as const;
/**
 * Peak RSS (VmHWM, MB) of the compiled processes after 3000 requests at concurrency 8 through HAProxy
 * (scripts/replicas.ts with a dist/ build; docs/deployment.md "Kubernetes" has the run).
 */
const PEAK_RSS_MB = { gateway: 174, subgraph: 142 };
/** `256Mi` → MB. */
const mebibytes = (quantity: string): number => (Number(/^(\d+)Mi$/.exec(quantity)![1]) * 1024 * 1024) / 1e6;
const IMAGE = 'registry.example.gov.vn/govgraph:0.1.0';

type K8s = any;

function render(overlay: string): K8s[] {
  const out = execFileSync(
    'kubectl',
    [
      'kustomize',
      '--load-restrictor',
      'LoadRestrictionsNone',
      path.join(ROOT, 'deploy/k8s/overlays', overlay),
    ],
    { encoding: 'utf8' },
  );
  return parseAllDocuments(out).map((d) => d.toJS() as K8s);
}
const rendered = Object.fromEntries(OVERLAYS.map((o) => [o, render(o)])) as Record<string, K8s[]>;
const ofKind = (objects: K8s[], kind: string): K8s[] => objects.filter((o) => o.kind === kind);
const container = (deployment: K8s): K8s => deployment.spec.template.spec.containers[0];

/** A stand-in for a value from a Secret or ConfigMap, of the form the setting wants. */
function placeholder(name: string): string {
  if (name.endsWith('DATABASE_URL')) return 'postgres://govgraph_app:x@db.internal:5432/govgraph';
  if (name.endsWith('JWKS_URL')) return 'https://idp.example.gov.vn/.well-known/jwks.json';
  if (name.endsWith('REDIS_URL')) return 'redis://redis:6379';
  return 'from-a-secret';
}
function containerEnv(c: K8s): Record<string, string> {
  const env: Record<string, string> = { NODE_ENV: 'production' };
  for (const e of c.env ?? []) env[e.name] = e.value ?? placeholder(e.name);
  return env;
}

let build: CompiledBuild;
beforeAll(() => {
  build = buildCompiled();
}, 120_000);
afterAll(() => build?.remove());

describe.each(OVERLAYS)('overlay %s', (overlay) => {
  const objects = rendered[overlay];
  const deployments = ofKind(objects, 'Deployment');

  test('a Deployment, Service and HPA for the gateway, the schema registry and each subgraph, all in the overlay namespace', () => {
    const names = ['gateway', 'registry', ...SUBGRAPHS.map((s) => s.name)].sort();
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(names);
    expect(
      ofKind(objects, 'Service')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(names);
    const hpas = ofKind(objects, 'HorizontalPodAutoscaler');
    expect(hpas.map((h) => h.spec.scaleTargetRef.name).sort()).toEqual(names);
    for (const h of hpas) expect(h.spec.minReplicas).toBeLessThanOrEqual(h.spec.maxReplicas);
    expect(new Set(objects.map((o) => o.metadata.namespace))).toEqual(new Set([`govgraph-${overlay}`]));
  });

  test('every container runs a command of the build, its own process', () => {
    for (const d of deployments)
      expect([d.metadata.name, commandTarget(container(d).command, build.dir)]).toEqual([
        d.metadata.name,
        { service: d.metadata.name, missing: [] },
      ]);
  });

  test('probes point at the routes every process serves, on its declared port', () => {
    for (const d of deployments) {
      const c = container(d);
      expect(c.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
      expect(c.startupProbe.httpGet).toEqual({ path: '/health', port: 'http' });
      for (const p of [c.livenessProbe, c.readinessProbe, c.startupProbe])
        expect(PROBE_ROUTES).toContain(p.httpGet.path);
      const port =
        d.metadata.name === 'gateway'
          ? 4000
          : d.metadata.name === 'registry'
            ? 4400
            : SUBGRAPHS.find((s) => s.name === d.metadata.name)!.port;
      expect(c.ports).toEqual([{ name: 'http', containerPort: port }]);
    }
  });

  test('every variable set is one the config schema knows, and the config reads the set', () => {
    for (const d of deployments) {
      const name = d.metadata.name as string;
      const env = containerEnv(container(d));
      if (name === 'gateway') {
        expect(unknownVariables(Object.keys(env), GATEWAY_VARIABLES)).toEqual([]);
        const config = loadGatewayConfig(env, container(d).command.slice(2), defaultFeatures);
        expect(config.supergraph.watch).toBe('watch');
        expect(Object.keys(config.subgraphUrls).sort()).toEqual(
          SUBGRAPHS.map((s) => subgraphEnvName(s.name)).sort(),
        );
        expect(env.GATEWAY_SUBGRAPH_PEERS).toBe(peersSetting(loadRegistry()));
      } else if (name === 'registry') {
        expect(Object.keys(env).filter((k) => !k.startsWith('REGISTRY_') && k !== 'NODE_ENV')).toEqual([]);
        // The placeholder stands for the Secret's key; the reader must take a real one there.
        const key = generateKeyPairSync('ed25519')
          .privateKey.export({ format: 'pem', type: 'pkcs8' })
          .toString();
        const config = loadRegistryConfig({ ...env, REGISTRY_SIGNING_KEY: key });
        expect([config.host, config.port, config.tokens.jwksUrl]).toEqual([
          '0.0.0.0',
          4400,
          'https://idp.example.gov.vn/.well-known/jwks.json',
        ]);
      } else {
        expect([name, unknownVariables(Object.keys(env), subgraphVariables(name))]).toEqual([name, []]);
        const config = loadSubgraphConfig(name, env, { port: 0 });
        expect([config.host, config.seed]).toEqual(['0.0.0.0', false]);
      }
    }
  });

  test('one image and tag for every container', () => {
    expect(new Set(deployments.map((d) => container(d).image))).toEqual(new Set([IMAGE]));
  });

  test('subgraphs are ClusterIP Services only: no NodePort, LoadBalancer or Ingress reaches them', () => {
    for (const s of ofKind(objects, 'Service')) {
      expect([s.metadata.name, s.spec.type]).toEqual([s.metadata.name, 'ClusterIP']);
      for (const p of s.spec.ports) expect(p.nodePort).toBeUndefined();
    }
    const backends = ofKind(objects, 'Ingress').flatMap((i) =>
      i.spec.rules.flatMap((r: K8s) => r.http.paths.map((p: K8s) => p.backend.service.name)),
    );
    expect(backends).toEqual(['gateway']);
  });

  test('a subgraph accepts traffic only from the gateway, the peers that ask it, and monitoring', () => {
    const policies = ofKind(objects, 'NetworkPolicy');
    const registry = loadRegistry();
    for (const { name } of SUBGRAPHS) {
      const policy = policies.find((p) => p.spec.podSelector.matchLabels['app.kubernetes.io/name'] === name);
      expect(policy.spec.policyTypes).toEqual(['Ingress']);
      expect(policy.spec.ingress).toHaveLength(1);
      const from = policy.spec.ingress[0].from as K8s[];
      const pods = from
        .filter((f) => f.podSelector)
        .map((f) => f.podSelector.matchLabels['app.kubernetes.io/name']);
      const callers = registry.filter((e) => e.peers?.includes(name)).map((e) => e.name);
      expect(pods.sort()).toEqual(['gateway', ...callers].sort());
      expect(from.filter((f) => !f.podSelector)).toEqual([
        { namespaceSelector: { matchLabels: { 'govgraph.gov.vn/monitoring': 'true' } } },
      ]);
    }
  });

  test('the gateway has a PodDisruptionBudget and more than one replica to keep', () => {
    const [pdb] = ofKind(objects, 'PodDisruptionBudget');
    expect(pdb.spec).toEqual({
      minAvailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'gateway' } },
    });
    const hpa = ofKind(objects, 'HorizontalPodAutoscaler').find((h) => h.metadata.name === 'gateway');
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
  });

  test('the supergraph is the committed one, in a ConfigMap mounted as a folder the gateway watches', () => {
    const cm = ofKind(objects, 'ConfigMap').find((c) => c.metadata.name === 'govgraph-supergraph');
    expect(cm.data['supergraph.graphql']).toBe(
      readFileSync(path.join(ROOT, 'schema/supergraph.graphql'), 'utf8'),
    );
    const gateway = deployments.find((d) => d.metadata.name === 'gateway');
    const c = container(gateway);
    expect(c.volumeMounts).toEqual([
      { name: 'supergraph', mountPath: '/etc/govgraph/supergraph', readOnly: true },
    ]);
    expect(gateway.spec.template.spec.volumes).toEqual([
      { name: 'supergraph', configMap: { name: 'govgraph-supergraph' } },
    ]);
    expect(c.command.at(-1)).toBe('/etc/govgraph/supergraph/supergraph.graphql');
  });

  test('keys come from Secrets that are referenced, never rendered', () => {
    expect(ofKind(objects, 'Secret')).toEqual([]);
    const refs = deployments.flatMap((d) =>
      (container(d).env as K8s[])
        .filter((e) => e.valueFrom?.secretKeyRef)
        .map((e) => [e.name, e.valueFrom.secretKeyRef.name]),
    );
    expect(refs).toEqual(
      expect.arrayContaining([
        ['GATEWAY_SUBGRAPH_SIGNING_KEY', 'govgraph-gateway-signing'],
        ['GATEWAY_REDIS_URL', 'govgraph-gateway-redis'],
        ['REGISTRY_DATABASE_URL', 'govgraph-registry'],
        ['REGISTRY_SIGNING_KEY', 'govgraph-registry'],
        ...SUBGRAPHS.flatMap(({ name }) => [
          [`${subgraphEnvName(name)}_DATABASE_URL`, `govgraph-${name}-database`],
          [`${subgraphEnvName(name)}_MIGRATION_DATABASE_URL`, `govgraph-${name}-database`],
          [`${subgraphEnvName(name)}_GATEWAY_PUBLIC_KEY`, 'govgraph-gateway-signing'],
        ]),
      ]),
    );
    for (const d of deployments)
      for (const e of container(d).env as K8s[])
        if (/KEY|DATABASE_URL|REDIS_URL/.test(e.name)) expect([e.name, e.value]).toEqual([e.name, undefined]);
  });

  test('resources: requests and limits on every container, above the measured peak RSS; non-root and read-only', () => {
    for (const d of deployments) {
      const c = container(d);
      const peak = d.metadata.name === 'gateway' ? PEAK_RSS_MB.gateway : PEAK_RSS_MB.subgraph;
      expect(mebibytes(c.resources.requests.memory)).toBeGreaterThanOrEqual(1.25 * peak);
      expect(mebibytes(c.resources.limits.memory)).toBeGreaterThanOrEqual(2.5 * peak);
      expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
      expect(c.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true });
      // A subgraph has no readiness delay of its own: it waits for its endpoint to go before SIGTERM.
      if (d.metadata.name !== 'gateway')
        expect(c.lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '5'] } } });
    }
  });
});
