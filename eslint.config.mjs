// ESLint flat config: typescript-eslint's recommended rules plus the project's habits
// (type-only imports, no console in library code, no unused code) and the import boundaries of
// docs/development.md ("Import boundaries"), enforced by eslint-plugin-import-x on resolved paths, so
// every spelling of a path (`../../kit`, `../../../kit/table`) is judged by the file it reaches.
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
const KIT_ENTRIES = ['./index.ts', './testing.ts'];

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
      "A subgraph imports the kit through its public entries only: the kit's index (`…/kit`) or, in tests, `…/kit/testing`. Export what you need from kit/index.ts.",
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
    files: ['scripts/**', 'test/**', '**/*.test.ts', '**/test/**', '**/main.ts', 'kit/testing.ts'],
    // Tests read JSON responses; scripts and entry points talk to the terminal.
    rules: { 'no-console': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
