/**
 * Trusted documents: each client under `clients/<name>/` keeps its operations as `*.graphql` files
 * (one named operation per file, with the fragments it uses); its `manifest.json` maps the SHA-256 of
 * each document's canonical text to that text. A file that holds only fragment definitions is shared:
 * not a document of its own, its fragments are appended to each operation that spreads them (after
 * the operation, in order of first use), as a client appends an imported fragment to its `gql`
 * document. So two operations that must select the same fields (a look-up and its live form) spread
 * one fragment. The canonical text is the one Apollo Client sends:
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
import type {
  ASTNode,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLSchema,
  SelectionSetNode,
} from 'graphql';
import { composeApiSchema } from '../schema/compose';
import { ROOT } from '../schema/registry';
import { registeredSources } from './compose';

export const CLIENTS_DIR = path.join(ROOT, 'clients');
/** The client kit's folder under clients/: shared by every client, not a client itself. */
export const KIT_DIR = 'kit';

export interface ClientDocuments {
  client: string;
  dir: string;
  /** Operation file name → canonical document text, with the shared fragments it spreads. */
  documents: Map<string, string>;
  /** Shared fragment name → the file (of fragment definitions only) that defines it. */
  sharedFragments: Map<string, string>;
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

/** `document` with the shared fragments it spreads (transitively) and does not define, appended. */
function withSharedFragments(
  document: DocumentNode,
  shared: ReadonlyMap<string, FragmentDefinitionNode>,
): DocumentNode {
  const seen = new Set(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [d.name.value] : [])),
  );
  const added: FragmentDefinitionNode[] = [];
  const collect = (node: ASTNode): void =>
    void visit(node, {
      FragmentSpread(spread) {
        const fragment = shared.get(spread.name.value);
        if (!fragment || seen.has(fragment.name.value)) return;
        seen.add(fragment.name.value);
        added.push(fragment);
        collect(fragment);
      },
    });
  collect(document);
  return added.length ? { ...document, definitions: [...document.definitions, ...added] } : document;
}

const onlyFragments = (document: DocumentNode): boolean =>
  document.definitions.length > 0 && document.definitions.every((d) => d.kind === Kind.FRAGMENT_DEFINITION);

/**
 * The documents of one client folder, in canonical form; throws naming a file that does not parse or
 * a shared fragment defined twice.
 */
export function readClient(dir: string): ClientDocuments {
  const parsed = new Map<string, DocumentNode>();
  const where = (file: string): string => path.relative(ROOT, path.join(dir, file));
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()) {
    try {
      parsed.set(file, parse(readFileSync(path.join(dir, file), 'utf8')));
    } catch (error) {
      throw new Error(`${where(file)}: ${(error as Error).message}`);
    }
  }
  const shared = new Map<string, FragmentDefinitionNode>();
  const sharedFragments = new Map<string, string>();
  for (const [file, document] of parsed) {
    if (!onlyFragments(document)) continue;
    for (const d of document.definitions as readonly FragmentDefinitionNode[]) {
      const name = d.name.value;
      const other = sharedFragments.get(name);
      if (other) throw new Error(`${where(file)}: fragment ${name} is already defined in ${other}`);
      shared.set(name, d);
      sharedFragments.set(name, file);
    }
  }
  const documents = new Map<string, string>();
  for (const [file, document] of parsed)
    if (!onlyFragments(document))
      documents.set(file, print(withTypename(withSharedFragments(document, shared))));
  return { client: path.basename(dir), dir, documents, sharedFragments };
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** `{ sha256: document }`, in file-name order. */
export function manifestOf(client: ClientDocuments): Record<string, string> {
  return Object.fromEntries([...client.documents.values()].map((text) => [sha256(text), text]));
}

export const manifestText = (client: ClientDocuments): string =>
  `${JSON.stringify(manifestOf(client), null, 2)}\n`;

/**
 * Problems with a client's documents: not exactly one named operation, invalid against `schema`, or a
 * shared fragment no operation spreads (it would never be validated).
 */
export function documentProblems(client: ClientDocuments, schema: GraphQLSchema): string[] {
  const problems: string[] = [];
  const used = new Set(
    [...client.documents.values()].flatMap((text) =>
      parse(text).definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [d.name.value] : [])),
    ),
  );
  for (const [name, file] of client.sharedFragments)
    if (!used.has(name)) problems.push(`clients/${client.client}/${file}: fragment ${name} is not used`);
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
