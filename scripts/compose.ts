/**
 * `npm run compose`         composes every registered subgraph into schema/supergraph.graphql.
 * `npm run compose:check`   fails (exit 1) when composition fails or the committed file is stale.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { composeSupergraph, CompositionError } from '../schema/compose';
import type { SubgraphSource } from '../schema/compose';
import { subgraphSdl } from '../kit/runtime/sdl';
import { defaultUrl, loadRegistry, ROOT } from '../schema/registry';
import type { RegistryEntry } from '../schema/registry';

const OUT = path.join(ROOT, 'schema/supergraph.graphql');

/** Every registered subgraph, as composition takes it. */
export function registeredSources(registry: RegistryEntry[] = loadRegistry()): SubgraphSource[] {
  return registry.map((e) => ({
    name: e.name,
    url: defaultUrl(e),
    typeDefs: subgraphSdl(path.join(ROOT, e.dir), e.name),
  }));
}

export function composeRegistered(registry: RegistryEntry[] = loadRegistry()): string {
  return composeSupergraph(registeredSources(registry));
}

function main(): void {
  const check = process.argv.includes('--check');
  let sdl: string;
  try {
    sdl = composeRegistered();
  } catch (err) {
    console.error(err instanceof CompositionError ? err.message : `compose: ${(err as Error).message}`);
    process.exit(1);
  }
  const rel = path.relative(ROOT, OUT);
  if (check) {
    const current = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '';
    if (current !== sdl) {
      console.error(`${rel} is stale: run \`npm run compose\` and commit the result.`);
      process.exit(1);
    }
    console.log(`${rel} is current (${loadRegistry().length} subgraphs compose).`);
    return;
  }
  writeFileSync(OUT, sdl);
  console.log(`wrote ${rel} (${loadRegistry().length} subgraphs)`);
}

if (require.main === module) main();
