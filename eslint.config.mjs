// ESLint flat config: typescript-eslint's recommended rules plus the project's habits
// (type-only imports, no console in library code, no unused code) and the import boundaries of
// docs/development.md ("Import boundaries"), enforced by eslint-plugin-import-x on resolved paths, so
// every spelling of a path (`../../kit`, `../../../kit/runtime/table`) is judged by the file it reaches.
// test/import-boundaries.unit.test.ts proves each boundary still bites.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const ROOT = import.meta.dirname;

/** Every folder under subgraphs/ is a subgraph (the registry's convention). */
const subgraphs = readdirSync(path.join(ROOT, 'subgraphs'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

/** The kit's public entries for subgraphs: everything else under kit/ is its internals. */
const KIT_ENTRIES = ['./index.ts', './synthetic/index.ts', './testing/index.ts'];
/** Kit areas only seeds and tests may import: synthetic data and the test helpers (docs/development.md). */
const KIT_NOT_IN_PRODUCTION = ['./kit/synthetic', './kit/testing'];

/**
 * The gateway's features: every entry of gateway/features/ but the list itself (index.ts), a file or,
 * for a feature of several files, a folder.
 */
const features = readdirSync(path.join(ROOT, 'gateway/features')).filter((name) => name !== 'index.ts');

/** The govgraph engine's phase folders under gateway/engine/ (docs/engine.md). */
const ENGINE_PHASES = ['supergraph', 'plan', 'execute', 'shape'];

const boundaryZones = [
  {
    target: './gateway',
    from: ['./kit', './subgraphs'],
    message:
      'The gateway is generic: it never imports the kit or a subgraph (docs/development.md "Import boundaries").',
  },
  {
    target: './kit',
    from: ['./gateway', './subgraphs', './test'],
    message: 'The kit serves every subgraph: it never imports gateway/, subgraphs/ or test/.',
  },
  {
    target: './schema',
    from: ['./kit', './gateway', './subgraphs', './test'],
    message: 'schema/ is neutral code that gateway/ and kit/ share: it imports none of them.',
  },
  {
    target: './subgraphs',
    from: ['./gateway', './test'],
    message: 'A subgraph never imports gateway/ or test/; it meets the others only through the supergraph.',
  },
  {
    target: './subgraphs',
    from: './kit',
    except: KIT_ENTRIES,
    message:
      "A subgraph imports the kit through its public entries only: the kit's index (`…/kit`) or, in seeds and tests, `…/kit/synthetic` and `…/kit/testing`. Export what you need from the kit area's index.ts.",
  },
  // Synthetic data (seed generators: people, parcels, land changes) and test helpers never reach a
  // production path: only a subgraph's seed/ and test/ folders (and test/, scripts/) may import them.
  {
    target: ['./subgraphs/*/*.ts', './subgraphs/*/!(seed|test)/**'],
    from: KIT_NOT_IN_PRODUCTION,
    message:
      'Synthetic data is for seeds and tests only: production code (resolvers, db writes, loaders) never imports kit/synthetic or kit/testing.',
  },
  // Connectors (kit/connectors) are built on the runtime: the runtime never depends on them.
  {
    target: ['./kit/runtime', './kit/reference', './kit/scorecard', './kit/events'],
    from: './kit/connectors',
    message:
      'kit/connectors is built on the runtime; the runtime, reference data and KPIs never import it (subgraphs reach it through `…/kit`).',
  },
  {
    target: [
      './kit/index.ts',
      './kit/runtime',
      './kit/reference',
      './kit/scorecard',
      './kit/connectors',
      './kit/events',
    ],
    from: KIT_NOT_IN_PRODUCTION,
    message:
      "Synthetic data is for seeds and tests only: the kit's runtime, reference data and KPIs never import kit/synthetic or kit/testing.",
  },
  // The gateway's layers (docs/engine.md). The transport owns a subgraph fetch: it knows no engine
  // and no feature. The engine's phases do not import each other (govgraph.ts ties them together);
  // only execute/ talks to the transport, through its public entry. Features see neither engine nor
  // transport internals: only the transport's public entry (to contribute fetch wrappers).
  {
    target: './gateway/transport',
    from: ['./gateway/engine', './gateway/features', './gateway/server.ts'],
    message:
      'The transport owns a subgraph fetch for both engines: it never imports the engine or a feature.',
  },
  ...ENGINE_PHASES.map((phase) => ({
    target: `./gateway/engine/${phase}`,
    from: [
      ...ENGINE_PHASES.filter((other) => other !== phase).map((other) => `./gateway/engine/${other}`),
      './gateway/engine/reference',
      './gateway/engine/govgraph.ts',
      './gateway/engine/index.ts',
      './gateway/features',
    ],
    message: `An engine phase (${phase}/) imports no other phase, no engine entry and no feature: govgraph.ts ties the phases together.`,
  })),
  ...['plan', 'shape', 'supergraph'].map((phase) => ({
    target: `./gateway/engine/${phase}`,
    from: './gateway/transport',
    message: `Only the execute phase talks to the transport; ${phase}/ never imports it.`,
  })),
  {
    target: './gateway/engine',
    from: './gateway/transport',
    except: ['./index.ts'],
    message: 'The engine uses the transport through its public entry (`…/transport`), not its internals.',
  },
  {
    target: './gateway/features',
    from: './gateway/engine',
    message: 'Features never import the engine: they plug in through feature parts (gateway/feature.ts).',
  },
  {
    target: './gateway/features',
    from: './gateway/transport',
    except: ['./index.ts'],
    message:
      'Features use the transport through its public entry (`…/transport`) only, e.g. to contribute fetch wrappers.',
  },
  // One zone per feature F: files of any OTHER feature (a file or a folder under gateway/features/,
  // existing or not yet; the list index.ts excepted) may not import F. Globs, as for subgraphs below.
  ...features.map((name) => ({
    target: [`./gateway/features/!(${name}|index.ts)`, `./gateway/features/!(${name})/**/*`],
    from: `./gateway/features/${name}`,
    message:
      "Features never import each other: a feature imports its own folder and the core only (the caller is the core's: context.ts `callerOf`, `context.identity`).",
  })),
  {
    target: ['./gateway/!(main).ts', './gateway/engine/**/*'],
    from: './gateway/features',
    message:
      'The core never imports a feature: main.ts picks the feature list (features/index.ts) and gives it to loadGatewayConfig and createGateway.',
  },
  // One zone per subgraph S: files in any OTHER folder under subgraphs/ (existing or not yet) may not
  // import S. The target is a glob, so a new subgraph is covered before its folder is listed here.
  ...subgraphs.map((name) => ({
    target: `./subgraphs/!(${name})/**`,
    from: `./subgraphs/${name}`,
    message: 'Subgraphs never import each other: they meet only through entity keys in the supergraph.',
  })),
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'dist/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    plugins: { 'import-x': importX },
    settings: {
      // Dependencies are parsed (to follow cycles) only when their extension is listed here.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.d.ts', '.js', '.json'] })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: ROOT, zones: boundaryZones }],
      // Type-only imports are erased at run time and are ignored (the rule's default).
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // The govgraph engine and the transport load nothing of @apollo/gateway (gateway/test/
    // engineIsolation.int.test.ts checks the running process): its types only. The reference engine
    // (gateway/engine/reference/) is stock @apollo/gateway; tests may compare against it.
    files: ['gateway/engine/**', 'gateway/transport/**'],
    ignores: ['gateway/engine/reference/**', '**/test/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@apollo/gateway',
              allowTypeImports: true,
              message: 'The govgraph engine and the transport load nothing of @apollo/gateway (types only).',
            },
          ],
          patterns: [
            {
              group: ['@apollo/gateway/*'],
              message:
                "The govgraph engine imports nothing from @apollo/gateway/dist: write the piece, from the federation packages' public entries.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**', 'test/**', '**/*.test.ts', '**/test/**', '**/main.ts', 'kit/testing/**'],
    // Tests read JSON responses; scripts and entry points talk to the terminal.
    rules: { 'no-console': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
