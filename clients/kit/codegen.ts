/**
 * GraphQL Code Generator configuration for a client of the govgraph API (docs/clients.md "Typed
 * operations"): types for the client's own operations, from the API schema in ./schema.graphql.
 *
 *   npx graphql-codegen --config clients/kit/codegen.ts      (with @graphql-codegen/cli installed)
 *
 * Use `typescript-operations` alone: since 6.x it emits the enums and input types the operations use
 * itself, so adding the `typescript` plugin to the same file declares them twice and tsc fails. The
 * API's custom scalars all travel as strings (Date `2024-03-14`, DateTime ISO-8601 with offset,
 * Decimal `"152.5"`, Vnd a digit string); without `scalars` they come out as `unknown`.
 * test/clients-codegen.unit.test.ts generates the portal's types with this configuration and
 * typechecks them.
 */

/** The API's custom scalars as TypeScript sees them on the wire. */
export const scalars = {
  Date: { input: 'string', output: 'string' },
  DateTime: { input: 'string', output: 'string' },
  Decimal: { input: 'string', output: 'string' },
  Vnd: { input: 'string', output: 'string' },
  EdxmlPackage: { input: 'string', output: 'string' },
};

/** The `typescript-operations` plugin's configuration. */
export const operationsConfig = {
  scalars,
  strictScalars: true,
  enumType: 'string-literal',
  useTypeImports: true,
  avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
};

/** The configuration `graphql-codegen --config` reads: the portal's operations → one types file. */
const config = {
  schema: 'clients/kit/schema.graphql',
  documents: ['clients/portal/*.graphql'],
  generates: {
    'clients/portal/operations.generated.ts': {
      plugins: ['typescript-operations'],
      config: operationsConfig,
    },
  },
};

export default config;
