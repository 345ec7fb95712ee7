/**
 * The Dockerfile builds what `npm run build` builds and runs what is in it. Docker itself is not
 * available on the development machine (no daemon), so this test reads the Dockerfile: every file the
 * build stage copies exists, every npm script it runs is in package.json, every path the runtime
 * stage's commands name exists in a fresh build's dist/, the user is not root, the health check asks
 * the real liveness route, and .dockerignore keeps local data and keys out of the context.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../schema/registry';
import { buildCompiled } from './support/compiled';
import type { CompiledBuild } from './support/compiled';
import { commandTarget, PROBE_ROUTES, SUBGRAPHS } from './support/deploy';

interface Instruction {
  stage: string;
  keyword: string;
  args: string;
}

/** Instructions with their stage name; continuation lines joined, comments dropped. */
function parseDockerfile(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\s*\\\n\s*/g, ' ');
  const out: Instruction[] = [];
  let stage = '';
  for (const line of joined.split('\n')) {
    const m = /^\s*([A-Z]+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const [, keyword, args] = m;
    if (keyword === 'FROM') stage = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? '';
    out.push({ stage, keyword, args: args.trim() });
  }
  return out;
}

const dockerfile = parseDockerfile(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};
const inStage = (stage: string, keyword: string) =>
  dockerfile.filter((i) => i.stage === stage && i.keyword === keyword).map((i) => i.args);
/** `COPY [--flags] a b dest` → sources a, b. */
const copySources = (args: string) =>
  args
    .split(/\s+/)
    .filter((a) => !a.startsWith('--'))
    .slice(0, -1);

let build: CompiledBuild;
beforeAll(() => {
  build = buildCompiled();
}, 120_000);
afterAll(() => build?.remove());

test('three stages: build, production dependencies, runtime; the runtime is the last', () => {
  expect(dockerfile.filter((i) => i.keyword === 'FROM').map((i) => i.stage)).toEqual([
    'build',
    'deps',
    'runtime',
  ]);
});

test('the build stage copies files that exist and runs npm scripts that exist', () => {
  for (const args of inStage('build', 'COPY')) {
    for (const source of copySources(args))
      expect([source, existsSync(path.join(ROOT, source))]).toEqual([source, true]);
  }
  const scripts = inStage('build', 'RUN').flatMap((r) => [...r.matchAll(/npm run (\S+)/g)].map((m) => m[1]));
  expect(scripts).toEqual(['build']);
  expect(pkg.scripts.build).toBe('tsx scripts/build.ts');
});

test('production dependencies only: npm ci --omit=dev, with the patches its postinstall applies', () => {
  expect(inStage('deps', 'RUN').join(' ')).toMatch(/npm ci --omit=dev/);
  expect(inStage('deps', 'COPY').flatMap(copySources)).toEqual([
    'package.json',
    'package-lock.json',
    'patches',
  ]);
  expect(pkg.scripts.postinstall).toBe('patch-package');
});

test('the runtime holds dist/, package.json and node_modules only, and runs as a non-root user', () => {
  expect(inStage('runtime', 'COPY')).toEqual([
    '--from=deps --chown=root:root /app/node_modules ./node_modules',
    '--from=build --chown=root:root /src/package.json ./package.json',
    '--from=build --chown=root:root /src/dist ./dist',
  ]);
  expect(inStage('runtime', 'USER')).toEqual(['node']);
  expect(inStage('runtime', 'ENV')).toContain('NODE_ENV=production');
});

test('the default command starts the gateway on the built supergraph, which the build holds', () => {
  const [cmd] = inStage('runtime', 'CMD');
  const command = JSON.parse(cmd) as string[];
  expect(command).toEqual(['node', 'dist/gateway/main.js', '--supergraph', 'dist/schema/supergraph.graphql']);
  expect(commandTarget(command, build.dir)).toEqual({ service: 'gateway', missing: [] });
});

test('the command of every subgraph named in the header exists in the build', () => {
  const text = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  for (const { name } of SUBGRAPHS) {
    expect(text).toContain(name);
    expect(commandTarget(['node', `dist/subgraphs/${name}/main.js`], build.dir)).toEqual({
      service: name,
      missing: [],
    });
  }
});

test('the health check asks /health, the liveness route every process serves, on HEALTHCHECK_PORT', () => {
  const [check] = inStage('runtime', 'HEALTHCHECK');
  expect(check).toMatch(/^--interval=\S+ --timeout=\S+ --start-period=\S+ --retries=\d+ CMD \[/);
  const command = JSON.parse(check.slice(check.indexOf('CMD ') + 4)) as string[];
  expect(command.slice(0, 2)).toEqual(['node', '-e']);
  const route = /'(\/[a-z]+)'\)/.exec(command[2])?.[1];
  expect(route).toBe('/health');
  expect(PROBE_ROUTES).toContain(route);
  expect(command[2]).toContain('process.env.HEALTHCHECK_PORT');
  expect(inStage('runtime', 'ENV')).toContain('HEALTHCHECK_PORT=4000');
});

test('.dockerignore keeps local data, builds and keys out, and nothing the build needs', () => {
  const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));
  for (const must of ['node_modules', 'dist', 'data', '.git', '*.pem', '*.secret', '.env'])
    expect(ignored).toContain(must);
  for (const needed of [
    'gateway',
    'kit',
    'common',
    'schema',
    'subgraphs',
    'clients',
    'examples',
    'patches',
    'scripts',
  ])
    expect(ignored).not.toContain(needed);
});
