/**
 * The client codegen configuration (clients/kit/codegen.ts) works with the current plugins: GraphQL
 * Code Generator's `typescript-operations` (run by scripts/client-codegen.ts) generates the portal's operation types from the API schema
 * (clients/kit/schema.graphql), the custom scalars come out as strings (not `unknown`), and the result
 * with a small client of it typechecks under the project's strict settings.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { ROOT } from '../schema/registry';

jest.setTimeout(60_000);

const dir = mkdtempSync(path.join(tmpdir(), 'govgraph-codegen-'));
let generated: string;

beforeAll(() => {
  // The codegen plugins are ES modules jest's CommonJS runtime cannot load: run them as a user does.
  execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/client-codegen.ts',
      'clients/portal',
      path.join(dir, 'operations.generated.ts'),
    ],
    { cwd: ROOT, stdio: 'pipe' },
  );
  generated = readFileSync(path.join(dir, 'operations.generated.ts'), 'utf8');
});

test('every portal operation gets its query and variables types, scalars as strings', () => {
  for (const name of [
    'Agencies',
    'BudgetDisclosure',
    'DocumentById',
    'DocumentByNumber',
    'DossierStatus',
    'Procedure',
    'Procedures',
    'SearchDocuments',
  ])
    expect([name, generated]).toEqual([name, expect.stringContaining(`export type ${name}Query = `)]);
  expect(generated).toContain(`export type DossierStatusQueryVariables = Exact<{\n  code: string;\n}>;`);
  // No field or variable is `unknown` (only the plugin's own Exact helper says the word).
  expect(generated.replace(/^type Exact<.*$/m, '')).not.toContain('unknown');
  // DossierStatus.receivedAt is a DateTime: a string on the wire.
  expect(generated).toMatch(/receivedAt: string/);
});

test('the generated types and a client using them typecheck (strict)', () => {
  writeFileSync(
    path.join(dir, 'client.ts'),
    `import type { DossierStatusQuery, DossierStatusQueryVariables, AgenciesQueryVariables } from './operations.generated';
export const variables: DossierStatusQueryVariables = { code: '000.00.46.H62-170103-0001' };
export const agencies: AgenciesQueryVariables = { level: 'PROVINCE', first: 5 };
export function dueDate(data: DossierStatusQuery): string | null {
  return data.dossierStatus ? data.dossierStatus.dueDate : null;
}
`,
  );
  const program = ts.createProgram([path.join(dir, 'client.ts')], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    skipLibCheck: true,
    types: [],
  });
  const problems = ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(problems).toEqual([]);
});
