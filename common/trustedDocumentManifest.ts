/**
 * Trusted-document manifests, as parsed JSON. Neutral code: the gateway reads them at start-up
 * (GATEWAY_TRUSTED_DOCUMENTS, gateway/features/trustedDocuments/manifest.ts) and the schema registry
 * stores the documents a client registers (registry/documents.ts), so both accept the same three
 * formats, told apart by their shape:
 *
 * - govgraph's own `clients/<name>/manifest.json` (`npm run trusted-documents`): `{ "<sha256>": "<document>" }`;
 * - GraphQL Codegen's client preset `persisted-documents.json` (`persistedDocuments: true`): the same
 *   flat object, keyed by sha256 (its default) or sha1 (`hashAlgorithm: 'sha1'`);
 * - Apollo's `@apollo/generate-persisted-query-manifest` `persisted-query-manifest.json`:
 *   `{ "format": "apollo-persisted-query-manifest", "version": 1, "operations": [{ "id", "body", … }] }`.
 *
 * Every key (or `id`) must be the sha256 or sha1 of its document's text, so a hand-edited or corrupted
 * manifest is refused instead of serving (or registering) a document under the wrong hash.
 */
import { createHash } from 'node:crypto';

/** Hash (lower-case hex) → document text. */
export type Manifest = ReadonlyMap<string, string>;

export const APOLLO_MANIFEST_FORMAT = 'apollo-persisted-query-manifest';

/** What is wrong with a manifest; the message names it (`m.json: "<hash>" is not …`). */
export class ManifestError extends Error {
  override name = 'ManifestError';
}

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

/** The manifest of a parsed JSON value; `name` (a file, `body.manifest`) names it in errors. */
export function manifestOf(parsed: unknown, name: string): Manifest {
  const entries = entriesOf(parsed);
  if (typeof entries === 'string') throw new ManifestError(`${name} ${entries}`);
  const manifest = new Map<string, string>();
  for (const [hash, text] of entries) {
    if (typeof text !== 'string') throw new ManifestError(`${name}: "${hash}" has no document text`);
    if (!hashMatches(hash, text))
      throw new ManifestError(`${name}: "${hash}" is not the sha256 (or sha1) of its document`);
    manifest.set(hash, text);
  }
  return manifest;
}
