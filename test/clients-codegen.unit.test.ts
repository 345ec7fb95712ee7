/**
 * The client codegen configuration (clients/kit/codegen.ts) works with the current plugins, run the
 * way a client developer runs it: `graphql-codegen` (@graphql-codegen/cli) with a config that imports
 * the kit's and writes elsewhere. `typescript-operations` generates the portal's operation types from
 * the API schema (clients/kit/schema.graphql), the custom scalars come out as strings (not `unknown`),
 * the result with a small client of it typechecks under the project's strict settings, and
 * scripts/client-codegen.ts (the same plugin through @graphql-codegen/core) writes the same file.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { ROOT } from '../schema/registry';

jest.setTimeout(120_000);

const dir = mkdtempSync(path.join(tmpdir(), 'govgraph-codegen-'));
let generated: string;

beforeAll(() => {
  // A client's own config: the kit's, with the output moved (paths are relative to the cwd, ROOT).
  writeFileSync(
    path.join(dir, 'codegen.ts'),
    `import kit from ${JSON.stringify(path.join(ROOT, 'clients/kit/codegen'))};
const [output] = Object.values(kit.generates);
export default { ...kit, generates: { ${JSON.stringify(path.join(dir, 'operations.generated.ts'))}: output } };
`,
  );
  // The codegen plugins are ES modules jest's CommonJS runtime cannot load: run the CLI as a user does.
  execFileSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/@graphql-codegen/cli/cjs/bin.js'),
      '--config',
      path.join(dir, 'codegen.ts'),
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

test('scripts/client-codegen.ts (no CLI) declares the same types as the CLI', () => {
  const out = path.join(dir, 'script.generated.ts');
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/client-codegen.ts', 'clients/portal', out], {
    cwd: ROOT,
    stdio: 'pipe',
  });
  // The CLI orders the declarations differently; the declarations are the same.
  const declared = (text: string) => [...text.matchAll(/^export type (\w+)/gm)].map((m) => m[1]).sort();
  expect(declared(readFileSync(out, 'utf8'))).toEqual(declared(generated));
  expect(declared(generated)).toContain('AgencyLevel');
});
