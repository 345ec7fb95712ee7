/**
 * The import boundaries of docs/development.md ("Import boundaries") are ESLint errors. Each case lints a
 * snippet as if it were a file at the given place, through the repository's own eslint.config.mjs, so
 * a config change that silently drops a rule fails here. The imported files are real (the rules judge
 * resolved paths); the importing files need not exist.
 */
import path from 'node:path';
import { ESLint } from 'eslint';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '..');
const eslint = new ESLint({ cwd: ROOT });

/** The import-x findings for `code` linted as the file `file` (relative to the repository root). */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  const fatal = result!.messages.filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(`${file}: ${fatal.map((m) => m.message).join('; ')}`);
  return result!.messages
    .filter(
      (m) => m.ruleId?.startsWith('import-x/') || m.ruleId === '@typescript-eslint/no-restricted-imports',
    )
    .map((m) => `${m.ruleId}: ${m.message}`);
}

describe('forbidden imports are lint errors', () => {
  test.each([
    ['gateway/probe.ts', "export { badInput } from '../kit';", 'The gateway is generic'],
    [
      'gateway/probe.ts',
      "export { documents } from '../subgraphs/documents/subgraph';",
      'The gateway is generic',
    ],
    ['kit/probe.ts', "export { createGateway } from '../gateway/server';", 'The kit serves every subgraph'],
    [
      'kit/probe.ts',
      "export { documents } from '../subgraphs/documents/subgraph';",
      'The kit serves every subgraph',
    ],
    [
      'kit/probe.ts',
      "export { startFederatedStack } from '../test/support/subgraphs';",
      'The kit serves every subgraph',
    ],
    ['schema/probe.ts', "export { badInput } from '../kit';", 'schema/ is neutral'],
    [
      'subgraphs/land/probe.ts',
      "export { documents } from '../documents/subgraph';",
      'Subgraphs never import each other',
    ],
    [
      'subgraphs/land/db/probe.ts',
      "export { documents } from '../../documents/subgraph';",
      'Subgraphs never import each other',
    ],
    [
      'subgraphs/documents/probe.ts',
      "export { createGateway } from '../../gateway/server';",
      'never imports gateway/ or test/',
    ],
    [
      'subgraphs/documents/probe.ts',
      "export { openIsolatedPage } from '../../test/support/browser';",
      'never imports gateway/ or test/',
    ],
    [
      'subgraphs/documents/probe.ts',
      "export { openDatabase } from '../../kit/runtime/db';",
      'through its public entries only',
    ],
    [
      'subgraphs/land/test/probe.ts',
      "export { Prng } from '../../../kit/synthetic/prng';",
      'through its public entries only',
    ],
    // Synthetic data (kit/synthetic) and test helpers (kit/testing): seeds and tests only.
    [
      'subgraphs/dossiers/db/probe.ts',
      "export { syntheticOfficial } from '../../../kit/synthetic';",
      'Synthetic data is for seeds and tests only: production code',
    ],
    [
      'subgraphs/land/resolvers/probe.ts',
      "export { startTestSubgraph } from '../../../kit/testing';",
      'Synthetic data is for seeds and tests only: production code',
    ],
    [
      'subgraphs/land/probe.ts',
      "export { seededParcels } from '../../kit/synthetic';",
      'Synthetic data is for seeds and tests only: production code',
    ],
    [
      'kit/runtime/probe.ts',
      "export { syntheticOfficial } from '../synthetic/people';",
      "the kit's runtime, reference data and KPIs never import",
    ],
    [
      'kit/reference/probe.ts',
      "export { parcelPlan } from '../synthetic/parcels';",
      "the kit's runtime, reference data and KPIs never import",
    ],
    // The gateway's layers (docs/engine.md): transport, engine phases, features.
    [
      'gateway/transport/probe.ts',
      "export { createEngine } from '../engine';",
      'The transport owns a subgraph fetch',
    ],
    [
      'gateway/transport/probe.ts',
      "export { executeNode } from '../engine/execute/execute';",
      'The transport owns a subgraph fetch',
    ],
    [
      'gateway/transport/probe.ts',
      "export { identity } from '../features/identity';",
      'The transport owns a subgraph fetch',
    ],
    [
      'gateway/engine/plan/probe.ts',
      "export { executeNode } from '../execute/execute';",
      'An engine phase (plan/)',
    ],
    [
      'gateway/engine/plan/probe.ts',
      "export { compileShaper } from '../shape/shape';",
      'An engine phase (plan/)',
    ],
    [
      'gateway/engine/plan/probe.ts',
      "export { GovgraphEngine } from '../govgraph';",
      'An engine phase (plan/)',
    ],
    [
      'gateway/engine/execute/probe.ts',
      "export { compileShaper } from '../shape/shape';",
      'An engine phase (execute/)',
    ],
    [
      'gateway/engine/execute/probe.ts',
      "export { planFor } from '../plan/planner';",
      'An engine phase (execute/)',
    ],
    [
      'gateway/engine/shape/probe.ts',
      "export { planFor } from '../plan/planner';",
      'An engine phase (shape/)',
    ],
    [
      'gateway/engine/shape/probe.ts',
      "export { ApolloEngine } from '../reference/apolloEngine';",
      'An engine phase (shape/)',
    ],
    [
      'gateway/engine/supergraph/probe.ts',
      "export { planFor } from '../plan/planner';",
      'An engine phase (supergraph/)',
    ],
    [
      'gateway/engine/plan/probe.ts',
      "export { createTransport } from '../../transport';",
      'Only the execute phase',
    ],
    [
      'gateway/engine/shape/probe.ts',
      "export { createTransport } from '../../transport';",
      'Only the execute phase',
    ],
    [
      'gateway/engine/execute/probe.ts',
      "export { pooledFetch } from '../../transport/undici';",
      'The engine uses the transport through its public entry',
    ],
    [
      'gateway/engine/probe.ts',
      "export { signCalls } from '../transport/signing';",
      'The engine uses the transport through its public entry',
    ],
    [
      'gateway/features/probe.ts',
      "export { createEngine } from '../engine';",
      'Features never import the engine',
    ],
    [
      'gateway/features/probe.ts',
      "export { planFor } from '../engine/plan/planner';",
      'Features never import the engine',
    ],
    [
      'gateway/features/probe.ts',
      "export { signCalls } from '../transport/signing';",
      'Features use the transport through its public entry',
    ],
    // Features never import each other (a file or a folder each), and only main.ts picks the list.
    [
      'gateway/features/probe.ts',
      "export { identity } from './identity';",
      'Features never import each other',
    ],
    [
      'gateway/features/trustedDocuments/probe.ts',
      "export { callerFromClaims } from '../identity/token';",
      'Features never import each other',
    ],
    [
      'gateway/features/limits/probe.ts',
      "export { rewrite } from '../authorization/rewrite';",
      'Features never import each other',
    ],
    [
      'gateway/features/notYetWritten/deep/probe.ts',
      "export { redisCounter } from '../../rateLimit';",
      'Features never import each other',
    ],
    ['gateway/probe.ts', "export { defaultFeatures } from './features';", 'The core never imports a feature'],
    [
      'gateway/engine/probe.ts',
      "export { authorization } from '../features/authorization';",
      'The core never imports a feature',
    ],
    ['gateway/probe.ts', "export { startRegistry } from '../registry';", 'Nothing imports the registry'],
    ['kit/probe.ts', "export { checkProposal } from '../registry/check';", 'Nothing imports the registry'],
    [
      'registry/probe.ts',
      "export { createGateway } from '../gateway/server';",
      'The registry uses of the gateway only its token checks',
    ],
    [
      'registry/probe.ts',
      "export { identity } from '../gateway/features/identity';",
      'The registry uses of the gateway only its token checks',
    ],
    ['registry/probe.ts', "export { badInput } from '../kit';", 'The registry uses of the kit only'],
    [
      'registry/probe.ts',
      "export { createTestDatabase } from '../kit/testing';",
      "kit/testing is for the registry's tests only",
    ],
    [
      'registry/probe.ts',
      "export { documents } from '../subgraphs/documents/subgraph';",
      'The registry knows no subgraph',
    ],
  ])('%s: %s', async (file, code, message) => {
    const errors = await boundaryErrors(file, code);
    expect(errors).toEqual([expect.stringContaining('import-x/no-restricted-paths')]);
    expect(errors[0]).toContain(message);
  });

  test.each([
    ['gateway/engine/execute/probe.ts', "export { applyRewrites } from '@apollo/gateway/dist/dataRewrites';"],
    [
      'gateway/engine/probe.ts',
      "export { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';",
    ],
    ['gateway/engine/probe.ts', "export { ApolloGateway } from '@apollo/gateway';"],
    [
      'gateway/transport/probe.ts',
      "import { LocalGraphQLDataSource } from '@apollo/gateway';\nexport const L = LocalGraphQLDataSource;",
    ],
  ])('%s: %s (the govgraph engine and the transport load nothing of @apollo/gateway)', async (file, code) => {
    const errors = await boundaryErrors(file, code);
    expect(errors).toEqual([expect.stringContaining('@typescript-eslint/no-restricted-imports')]);
    expect(errors[0]).toMatch(/load nothing of @apollo\/gateway|imports nothing from @apollo\/gateway\/dist/);
  });

  test('an import cycle (a module of the kit importing one that imports it)', async () => {
    // kit/synthetic/people.ts imports prng.ts; prng importing people back closes the cycle.
    const errors = await boundaryErrors('kit/synthetic/prng.ts', "export { officialId } from './people';");
    expect(errors).toEqual([expect.stringMatching(/^import-x\/no-cycle: Dependency cycle/)]);
  });
});

describe('allowed imports are not', () => {
  test.each([
    ['subgraphs/land/probe.ts', "export { defineSubgraph, referenceCatalogue } from '../../kit';"],
    ['subgraphs/land/test/probe.ts', "export { startTestSubgraph } from '../../../kit/testing';"],
    ['subgraphs/land/test/probe.ts', "export { syntheticOfficial } from '../../../kit/synthetic';"],
    ['subgraphs/land/seed/probe.ts', "export { Prng, seededParcels } from '../../../kit/synthetic';"],
    ['test/probe.ts', "export { Prng } from '../kit/synthetic/prng';"],
    ['subgraphs/land/probe.ts', "export { ErrorCode } from '../../schema/error-codes';"],
    ['subgraphs/documents/probe.ts', "export { documents } from './subgraph';"],
    ['gateway/probe.ts', "export { ErrorCode } from '../schema/error-codes';"],
    ['gateway/test/probe.ts', "export { openIsolatedPage } from '../../test/support/browser';"],
    [
      'test/probe.ts',
      "export { createGateway } from '../gateway/server';\nexport { documents } from '../subgraphs/documents/subgraph';",
    ],
    ['scripts/probe.ts', "export { startEmbeddedPostgres } from '../kit/embedded-postgres';"],
    ['gateway/engine/execute/probe.ts', "export { createTransport } from '../../transport';"],
    ['gateway/engine/probe.ts', "export { executeNode } from './execute/execute';"],
    ['gateway/features/probe.ts', "export { signCalls } from '../transport';"],
    [
      'gateway/features/authorization/probe.ts',
      "export { rewrite } from './rewrite';\nexport { callerOf } from '../../context';",
    ],
    [
      'gateway/features/index.ts',
      "export { identity } from './identity';\nexport { limits } from './limits';",
    ],
    ['gateway/main.ts', "export { defaultFeatures } from './features';"],
    ['gateway/test/probe.ts', "export { callerFromClaims } from '../features/identity';"],
    ['gateway/engine/reference/probe.ts', "export { ApolloGateway } from '@apollo/gateway';"],
    ['gateway/engine/test/probe.ts', "export { computeResponse } from '@apollo/gateway/dist/resultShaping';"],
    [
      'gateway/transport/probe.ts',
      "import type { GraphQLDataSource } from '@apollo/gateway';\nexport type D = GraphQLDataSource;",
    ],
    [
      'registry/probe.ts',
      "export { callerFromClaims } from '../gateway/features/identity/token';\nexport { appendAuditEntries } from '../kit/runtime/auditlog';\nexport { composeGraph } from '../schema/compose';",
    ],
    ['registry/test/probe.ts', "export { createTestDatabase } from '../../kit/testing';"],
  ])('%s: %s', async (file, code) => {
    await expect(boundaryErrors(file, code)).resolves.toEqual([]);
  });

  test('a type-only import that closes a cycle (erased at run time)', async () => {
    await expect(
      boundaryErrors(
        'kit/synthetic/prng.ts',
        "import type { SyntheticOfficial } from './people';\nexport type Official = SyntheticOfficial;",
      ),
    ).resolves.toEqual([]);
  });
});
