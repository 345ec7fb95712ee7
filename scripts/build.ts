/**
 * `npm run build`: the production processes as plain JavaScript in dist/, run with `node dist/...` and
 * no TypeScript loader (docs/build.md).
 *
 * - Code: every TypeScript file reachable from an entry point (the gateway's main.ts, the schema
 *   registry's and each registered subgraph's main.ts), transpiled one file to one `.js` (CommonJS, Node 20, with a source
 *   map) at the same relative path. Packages stay in node_modules, found from dist/ as from the source.
 *   Types are checked by `npm run typecheck`, not here (the build is esbuild's per-file transpile, which
 *   `isolatedModules` makes equal to tsc's output).
 * - Assets: the files the processes read at run time, copied to the same relative paths, so every path
 *   the code resolves from its own folder or from the project root (schema/registry.ts `ROOT`, which
 *   is dist/ in the compiled layout) finds its file: every `.graphql`, `.sql` and `.json` file of the
 *   project's folders (SDLs, migrations, holidays, the registry, the supergraph, trusted-document
 *   manifests, the example operations GraphiQL opens as tabs).
 *
 * - The schema CLI for partners (docs/partners.md): registry/cli.ts and its cli/ files bundled into one
 *   ES module with no dependency, `schema-cli.mjs`, that a partner copies into its own repository and
 *   runs with `node schema-cli.mjs …` (no TypeScript loader, no npm install).
 *
 * `--outdir <dir>` builds elsewhere (the compiled end-to-end test); the folder is emptied first. A build
 * outside the project needs node_modules beside it (a symbolic link will do).
 */
import { cpSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { loadRegistry, mainPath, ROOT } from '../schema/registry';

/** Top-level folders that hold no run-time file (or are outputs). */
const NOT_RUNTIME = new Set(['node_modules', 'data', 'dist', 'coverage', 'test', 'scripts', 'patches']);
const ASSET = /\.(graphql|sql|json)$/;
/** Build-time configuration that happens to match ASSET. */
const NOT_ASSETS = new Set(['codegen.json']);

export const entryPoints = (): string[] => [
  path.join(ROOT, 'gateway/main.ts'),
  // The schema registry (docs/registry.md): its migrations and the contracts file are assets.
  path.join(ROOT, 'registry/main.ts'),
  ...loadRegistry().map(mainPath),
];

/** The project's TypeScript files the entry points import, directly or not (packages excluded). */
async function reachableSources(entries: string[]): Promise<string[]> {
  const { metafile } = await build({
    entryPoints: entries,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'cjs',
    write: false,
    metafile: true,
    outdir: 'unused',
    logLevel: 'error',
  });
  return Object.keys(metafile.inputs)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.resolve(file));
}

/** Run-time assets, relative to the project root; tests' own files stay out. */
function assets(): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const d of readdirSync(path.join(ROOT, rel), { withFileTypes: true })) {
      const child = path.join(rel, d.name);
      if (d.isDirectory()) {
        if (d.name !== 'test' && d.name !== 'node_modules' && !d.name.startsWith('.')) walk(child);
      } else if (ASSET.test(d.name) && !NOT_ASSETS.has(d.name)) out.push(child);
    }
  };
  for (const d of readdirSync(ROOT, { withFileTypes: true }))
    if (d.isDirectory() && !NOT_RUNTIME.has(d.name) && !d.name.startsWith('.')) walk(d.name);
  return out.sort();
}

/** The schema CLI as one dependency-free ES module (Node's built-ins only), at `outfile`. */
export async function bundleSchemaCli(outfile: string): Promise<void> {
  await build({
    entryPoints: [path.join(ROOT, 'registry/cli.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: {
      js: '#!/usr/bin/env node\n// govgraph schema CLI (registry/cli.ts, bundled by npm run build): docs/registry.md "CLI".',
    },
    logLevel: 'error',
  });
}

export async function buildDist(outdir: string): Promise<{ modules: number; assets: number }> {
  const sources = await reachableSources(entryPoints());
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: sources,
    outdir,
    outbase: ROOT,
    bundle: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    logLevel: 'error',
  });
  const copied = assets();
  for (const file of copied) cpSync(path.join(ROOT, file), path.join(outdir, file));
  await bundleSchemaCli(path.join(outdir, 'schema-cli.mjs'));
  return { modules: sources.length, assets: copied.length };
}

function outdirFlag(argv: readonly string[]): string {
  const at = argv.indexOf('--outdir');
  if (at === -1) return path.join(ROOT, 'dist');
  const value = argv[at + 1];
  if (!value) throw new Error('--outdir needs a folder');
  return path.resolve(value);
}

if (require.main === module) {
  const started = Date.now();
  const outdir = outdirFlag(process.argv.slice(2));
  buildDist(outdir).then(
    ({ modules, assets }) =>
      console.log(
        `built ${path.relative(process.cwd(), outdir) || '.'}: ${modules} modules, ${assets} assets in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      ),
    (error: Error) => {
      console.error(`build failed: ${error.message}`);
      process.exit(1);
    },
  );
}
