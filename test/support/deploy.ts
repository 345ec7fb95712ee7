/**
 * What the deployment tests (Dockerfile, compose.yaml, deploy/k8s/) hold the manifests to: the
 * settings the processes know, the commands the image can run and the routes they serve.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gatewaySettingNames, subgraphEnvName } from '../../gateway/config';
import { defaultFeatures } from '../../gateway/features';
import { PROBE_PATHS } from '../../gateway/lifecycle';
import { subgraphSettingNames } from '../../kit/runtime/config';
import { loadRegistry, ROOT } from '../../schema/registry';

/** Read by Node or the image itself, not by a config schema: the image's health check port, Node's own. */
export const PLATFORM_VARIABLES = new Set(['NODE_ENV', 'NODE_OPTIONS', 'HEALTHCHECK_PORT']);

export const SUBGRAPHS = loadRegistry().map((s) => ({ name: s.name, port: s.port }));

/** The variables the gateway reads: its core and features' settings, and SUBGRAPH_URL_<NAME> per subgraph. */
export const GATEWAY_VARIABLES = new Set([
  ...gatewaySettingNames(defaultFeatures),
  ...SUBGRAPHS.map((s) => `SUBGRAPH_URL_${subgraphEnvName(s.name)}`),
]);

/**
 * The variables a subgraph reads: its `<NAME>_` settings, and the `{$env.VARIABLE}` its connector
 * directives name in its SDL (kit/connectors: legacy-mc's MOTCUA_URL, MOTCUA_API_KEY).
 */
export function subgraphVariables(name: string): Set<string> {
  const entry = loadRegistry().find((e) => e.name === name)!;
  const sdl = readFileSync(path.join(ROOT, entry.dir, 'schema.graphql'), 'utf8');
  const connector = [...sdl.matchAll(/\{\$env\.([A-Z][A-Z0-9_]*)\}/g)]
    .map((m) => m[1])
    .filter((v) => v !== 'NAME');
  return new Set([...subgraphSettingNames(name), ...connector]);
}

/** The variables in `names` that neither the process's config schema nor the platform knows. */
export function unknownVariables(names: Iterable<string>, known: Set<string>): string[] {
  return [...names].filter((n) => !known.has(n) && !PLATFORM_VARIABLES.has(n));
}

/** Routes both the gateway (gateway/lifecycle.ts) and every subgraph (kit/runtime/server.ts) serve unauthenticated. */
export const PROBE_ROUTES: readonly string[] = PROBE_PATHS;

/**
 * Which process a container command starts: `node dist/gateway/main.js …` → 'gateway',
 * `node dist/subgraphs/land/main.js` → 'land', `node dist/registry/main.js` → 'registry'. The script must exist in `buildDir` (the `dist/` of a
 * build), each `dist/…` argument too.
 */
export function commandTarget(
  command: readonly string[],
  buildDir: string,
): { service: string; missing: string[] } {
  const missing: string[] = [];
  if (command[0] !== 'node') missing.push(`${command.join(' ')}: not a node command`);
  for (const arg of command.slice(1)) {
    if (!arg.startsWith('dist/')) continue;
    if (!existsSync(path.join(buildDir, arg.slice('dist/'.length)))) missing.push(arg);
  }
  const script = command.find((a) => a.startsWith('dist/') && a.endsWith('/main.js')) ?? '';
  const m = /^dist\/(?:(gateway|registry)|subgraphs\/([^/]+))\/main\.js$/.exec(script);
  return { service: m ? (m[2] ?? m[1]!) : '', missing };
}
