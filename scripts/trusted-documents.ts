/**
 * Trusted documents: each client under `clients/<name>/` keeps its operations as `*.graphql` files
 * (one named operation per file, with the fragments it uses); its `manifest.json` maps the SHA-256 of
 * each document's canonical text to that text. The canonical text is the one Apollo Client sends:
 * `__typename` added to every selection set but the operation's (Apollo's `addTypenameToDocument`),
 * then graphql-js `print` (comments dropped). So the stock `PersistedQueryLink({ sha256 })` finds its
 * hash in the manifest, and a normalized cache gets the `__typename` it needs (docs/clients.md). The
 * gateway serves a client with a manifest only those documents (GATEWAY_TRUSTED_DOCUMENTS,
 * docs/security.md "Trusted documents").
 *
 * `npm run trusted-documents`         writes every client's manifest.json.
 * `npm run trusted-documents:check`   fails (exit 1) when a manifest is stale, or a document is not one
 *                                     named operation valid against the composed API schema.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, print, validate, visit } from 'graphql';
import type { DocumentNode, FieldNode, GraphQLSchema, SelectionSetNode } from 'graphql';
import { composeApiSchema } from '../schema/compose';
import { ROOT } from '../schema/registry';
import { registeredSources } from './compose';

export const CLIENTS_DIR = path.join(ROOT, 'clients');
/** The client kit's folder under clients/: shared by every client, not a client itself. */
export const KIT_DIR = 'kit';

export interface ClientDocuments {
  client: string;
  dir: string;
  /** File name → canonical document text. */
  documents: Map<string, string>;
}

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

/**
 * `__typename` appended to every selection set except an operation's own, unless the set already
 * selects `__typename` (or another `__` field): the same transform as Apollo Client 4's
 * `addTypenameToDocument`, which runs on every document before its links see it.
 * test/clients-apollo.int.test.ts checks the two agree on every portal operation.
 */
export function withTypename(document: DocumentNode): DocumentNode {
  return visit(document, {
    SelectionSet: {
      enter(node: SelectionSetNode, _key, parent) {
        if (parent && (parent as { kind?: string }).kind === Kind.OPERATION_DEFINITION) return undefined;
        if (node.selections.some((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__')))
          return undefined;
        return { ...node, selections: [...node.selections, TYPENAME] };
      },
    },
  });
}

/** A document's canonical text: what Apollo Client prints and hashes for it. */
export const canonicalText = (source: string): string => print(withTypename(parse(source)));

/** The documents of one client folder, in canonical form; throws naming a file that does not parse. */
export function readClient(dir: string): ClientDocuments {
  const documents = new Map<string, string>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()) {
    try {
      documents.set(file, canonicalText(readFileSync(path.join(dir, file), 'utf8')));
    } catch (error) {
      throw new Error(`${path.relative(ROOT, path.join(dir, file))}: ${(error as Error).message}`);
    }
  }
  return { client: path.basename(dir), dir, documents };
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** `{ sha256: document }`, in file-name order. */
export function manifestOf(client: ClientDocuments): Record<string, string> {
  return Object.fromEntries([...client.documents.values()].map((text) => [sha256(text), text]));
}

export const manifestText = (client: ClientDocuments): string =>
  `${JSON.stringify(manifestOf(client), null, 2)}\n`;

/** Problems with a client's documents: not exactly one named operation, or invalid against `schema`. */
export function documentProblems(client: ClientDocuments, schema: GraphQLSchema): string[] {
  const problems: string[] = [];
  for (const [file, text] of client.documents) {
    const where = `clients/${client.client}/${file}`;
    const document = parse(text);
    const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    if (operations.length !== 1 || !operations[0]!.name)
      problems.push(`${where}: must hold exactly one named operation`);
    for (const error of validate(schema, document)) problems.push(`${where}: ${error.message}`);
  }
  return problems;
}

export function clientDirs(root = CLIENTS_DIR): string[] {
  if (!existsSync(root)) return [];
  // A client is a folder of operations; clients/kit/ (cache keys, API schema, codegen config) is not.
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== KIT_DIR)
    .map((d) => path.join(root, d.name))
    .filter((dir) => readdirSync(dir).some((f) => f.endsWith('.graphql')))
    .sort();
}

function main(): void {
  const check = process.argv.includes('--check');
  const schema = composeApiSchema(registeredSources());
  let failed = false;
  for (const dir of clientDirs()) {
    const client = readClient(dir);
    const file = path.join(dir, 'manifest.json');
    const rel = path.relative(ROOT, file);
    const problems = documentProblems(client, schema);
    for (const p of problems) console.error(p);
    failed ||= problems.length > 0;
    const text = manifestText(client);
    if (!check) {
      writeFileSync(file, text);
      console.log(`wrote ${rel} (${client.documents.size} documents)`);
    } else if (!existsSync(file) || readFileSync(file, 'utf8') !== text) {
      console.error(`${rel} is stale: run \`npm run trusted-documents\` and commit the result.`);
      failed = true;
    } else {
      console.log(`${rel} is current (${client.documents.size} documents, all valid).`);
    }
  }
  if (failed) process.exit(1);
}

if (require.main === module) main();
