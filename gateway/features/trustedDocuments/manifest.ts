/**
 * Reading a trusted-document manifest (GATEWAY_TRUSTED_DOCUMENTS). Three formats are accepted, told
 * apart by their shape:
 *
 * - govgraph's own `clients/<name>/manifest.json` (`npm run trusted-documents`): `{ "<sha256>": "<document>" }`;
 * - GraphQL Codegen's client preset `persisted-documents.json` (`persistedDocuments: true`): the same
 *   flat object, keyed by sha256 (its default) or sha1 (`hashAlgorithm: 'sha1'`);
 * - Apollo's `@apollo/generate-persisted-query-manifest` `persisted-query-manifest.json`:
 *   `{ "format": "apollo-persisted-query-manifest", "version": 1, "operations": [{ "id", "body", … }] }`.
 *
 * Every key (or `id`) must be the sha256 or sha1 of its document's text, so a hand-edited or corrupted
 * manifest stops start-up instead of serving a document under the wrong hash.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../../common/env';
import { ROOT } from '../../../schema/registry';

/** Hash (lower-case hex) → document text. */
export type Manifest = ReadonlyMap<string, string>;

export const APOLLO_MANIFEST_FORMAT = 'apollo-persisted-query-manifest';

const fail = (message: string): ConfigError => new ConfigError('GATEWAY_TRUSTED_DOCUMENTS', message);

function hashMatches(hash: string, text: string): boolean {
  const algorithm = /^[0-9a-f]{64}$/.test(hash) ? 'sha256' : /^[0-9a-f]{40}$/.test(hash) ? 'sha1' : '';
  return algorithm !== '' && createHash(algorithm).update(text).digest('hex') === hash;
}

/** The `[hash, text]` entries of a parsed manifest of any accepted format, or a problem. */
function entriesOf(parsed: unknown): Array<[string, unknown]> | string {
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    return 'is not a manifest (an object of hash → document, or an Apollo persisted-query manifest)';
  const object = parsed as Record<string, unknown>;
  if (!('format' in object)) return Object.entries(object);
  if (object.format !== APOLLO_MANIFEST_FORMAT || object.version !== 1 || !Array.isArray(object.operations))
    return `has format "${String(object.format)}" version ${String(object.version)}: expected "${APOLLO_MANIFEST_FORMAT}" version 1 with operations`;
  return (object.operations as unknown[]).map((op) => {
    const o = (op ?? {}) as { id?: unknown; body?: unknown };
    return [String(o.id), o.body];
  });
}

/** Parses manifest text; `file` names it in errors. */
export function parseManifest(json: string, file: string): Manifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw fail(`cannot read manifest ${file}: ${(error as Error).message}`);
  }
  const entries = entriesOf(parsed);
  if (typeof entries === 'string') throw fail(`${file} ${entries}`);
  const manifest = new Map<string, string>();
  for (const [hash, text] of entries) {
    if (typeof text !== 'string') throw fail(`${file}: "${hash}" has no document text`);
    if (!hashMatches(hash, text))
      throw fail(`${file}: "${hash}" is not the sha256 (or sha1) of its document`);
    manifest.set(hash, text);
  }
  return manifest;
}

/** Reads a manifest file; the path is relative to the repository root. */
export function loadManifest(file: string): Manifest {
  let json: string;
  try {
    json = readFileSync(path.resolve(ROOT, file), 'utf8');
  } catch (error) {
    throw fail(`cannot read manifest ${file}: ${(error as Error).message}`);
  }
  return parseManifest(json, file);
}
