/**
 * Optional gateways of the benchmark: packages that are not project dependencies. They are looked
 * up in the project's node_modules (`npm i --no-save <pkg>@<version>`), then in BENCH_GATEWAYS_DIR
 * (a folder with its own package.json, for a package whose dependency tree needs npm `overrides`
 * to install from this registry). A missing one is skipped with the line that installs it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../schema/registry';

export interface OptionalPackage {
  name: string;
  /** A version that installs from this machine's registry mirror and works on Node 20, graphql 16.14.2. */
  version: string;
  /** How to install it when `npm i --no-save` in the project does not work. */
  install: string;
}

export const HIVE: OptionalPackage = {
  name: '@graphql-hive/gateway-runtime',
  version: '2.12.1',
  install:
    'mkdir -p /tmp/bench-gateways && cd /tmp/bench-gateways && npm init -y >/dev/null && ' +
    'npm pkg set overrides.graphql=16.14.2 overrides.@graphql-tools/delegate=12.2.1 && ' +
    'npm i --ignore-scripts @graphql-hive/gateway-runtime@2.12.1 @graphql-mesh/transport-http@1.2.1 graphql@16.14.2; ' +
    'then run with BENCH_GATEWAYS_DIR=/tmp/bench-gateways',
};

export const MERCURIUS: OptionalPackage = {
  name: '@mercuriusjs/gateway',
  version: '5.2.0',
  install: 'npm i --no-save @mercuriusjs/gateway@5.2.0',
};

/** The entry file of an optional package, or undefined if it is installed in neither place. */
export function resolveOptional(pkg: OptionalPackage, extraDir: string | undefined): string | undefined {
  const paths = [ROOT, ...(extraDir ? [path.resolve(extraDir)] : [])].filter((p) => existsSync(p));
  try {
    return require.resolve(pkg.name, { paths });
  } catch {
    return undefined;
  }
}
