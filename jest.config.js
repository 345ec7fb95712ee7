// Test tiers (see docs/testing.md):
//   unit        in-process: resolvers, loaders, number allocation, text folding, plugins
//   integration gateway + real subgraphs over HTTP on port 0, embedded PostgreSQL (one server per run)
//   e2e         the processes `npm start` runs, over HTTP
//   services    the suites that need real servers: PostgreSQL, Redis, Chromium
const tsJest = ['ts-jest', { diagnostics: false }];

// jose 6 ships ES modules only, which jest's CommonJS runtime cannot require (Node itself can, and
// `npm start` uses Node). The tests get the same code bundled as CommonJS, rebuilt when jose changes.
function joseAsCommonJs() {
  const fs = require('node:fs');
  const path = require('node:path');
  const version = require('jose/package.json').version;
  const out = path.join(__dirname, 'node_modules/.cache/govgraph', `jose-${version}.cjs`);
  if (!fs.existsSync(out)) {
    require('esbuild').buildSync({
      entryPoints: [require.resolve('jose')],
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      outfile: out,
      logLevel: 'error',
    });
  }
  return out;
}

const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
  moduleNameMapper: { '^jose$': joseAsCommonJs() },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['<rootDir>/test/setup-env.js'],
};
module.exports = {
  // A test's own budget on a busy 2-core machine (CI, parallel workers): suites that start subgraphs
  // and write through the audit log take longer than jest's 5 s default without being wrong.
  testTimeout: 30_000,
  // One embedded PostgreSQL server for the run; test files create throw-away databases on it.
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/**/*.unit.test.ts'],
      testPathIgnorePatterns: ['/node_modules/'],
    },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/*.int.test.ts'],
      testPathIgnorePatterns: ['/node_modules/'],
    },
    {
      // The gateway's suites again on the reference engine (GATEWAY_ENGINE=apollo): both engines must
      // pass the same tests. Only the suites about the gateway itself, to keep CI time reasonable.
      ...base,
      displayName: 'integration-apollo',
      setupFiles: [...base.setupFiles, '<rootDir>/test/setup-apollo-engine.js'],
      testMatch: [
        '<rootDir>/gateway/test/*.int.test.ts',
        '<rootDir>/test/federation.int.test.ts',
        '<rootDir>/test/security-requests.int.test.ts',
        '<rootDir>/test/security-identity.int.test.ts',
        // Input errors are named by the gateway too (variables, literals of the built-in types).
        '<rootDir>/test/edge-inputs.int.test.ts',
        '<rootDir>/test/input-validation.int.test.ts',
      ],
      testPathIgnorePatterns: ['/node_modules/'],
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/**/*.e2e.test.ts'],
      testPathIgnorePatterns: ['/node_modules/'],
    },
    {
      ...base,
      displayName: 'services',
      testMatch: ['<rootDir>/**/*.services.test.ts'],
      testPathIgnorePatterns: ['/node_modules/'],
    },
  ],
};
