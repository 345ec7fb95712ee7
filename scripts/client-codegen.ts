/**
 * Client codegen with the kit's configuration (clients/kit/codegen.ts), without @graphql-codegen/cli:
 * the same plugin and settings through @graphql-codegen/core. Writes the types of a client folder's
 * operations (default `clients/portal`) to a file (default: standard output).
 *
 *   npx tsx scripts/client-codegen.ts [clients/<name>] [out.ts]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { codegen } from '@graphql-codegen/core';
import * as typescriptOperations from '@graphql-codegen/typescript-operations';
import { buildSchema, parse } from 'graphql';
import config, { operationsConfig } from '../clients/kit/codegen';
import { ROOT } from '../schema/registry';
import { readClient } from './trusted-documents';

/** The `typescript-operations` output for the operations of `clientDir`. */
export async function clientTypes(clientDir: string): Promise<string> {
  const sdl = readFileSync(path.join(ROOT, config.schema), 'utf8');
  const client = readClient(clientDir);
  // The operations and the files of fragments they share, as the CLI's `clients/<name>/*.graphql`.
  const files = [...client.documents.keys(), ...new Set(client.sharedFragments.values())].sort();
  const documents = files.map((file) => ({
    location: path.relative(ROOT, path.join(clientDir, file)),
    document: parse(readFileSync(path.join(clientDir, file), 'utf8')),
  }));
  return codegen({
    schema: parse(sdl),
    schemaAst: buildSchema(sdl),
    documents,
    filename: 'operations.generated.ts',
    plugins: [{ 'typescript-operations': {} }],
    pluginMap: { 'typescript-operations': typescriptOperations },
    config: operationsConfig,
  });
}

async function main(): Promise<void> {
  const [dir = 'clients/portal', out] = process.argv.slice(2);
  const text = await clientTypes(path.resolve(dir));
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
}

if (require.main === module) void main();
