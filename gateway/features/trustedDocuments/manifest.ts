/**
 * Reading a trusted-document manifest (GATEWAY_TRUSTED_DOCUMENTS) at start-up. The three accepted
 * formats (govgraph's, GraphQL Codegen's, Apollo's) are parsed by common/trustedDocumentManifest.ts,
 * which the schema registry shares; a manifest that is not JSON, not a manifest, or holds a document
 * under a hash that is not its own stops start-up, naming the setting and the file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../../common/env';
import { ManifestError, manifestOf } from '../../../common/trustedDocumentManifest';
import type { Manifest } from '../../../common/trustedDocumentManifest';
import { ROOT } from '../../../schema/registry';

export type { Manifest } from '../../../common/trustedDocumentManifest';

const fail = (message: string): ConfigError => new ConfigError('GATEWAY_TRUSTED_DOCUMENTS', message);

/** Parses manifest text; `file` names it in errors. */
export function parseManifest(json: string, file: string): Manifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw fail(`cannot read manifest ${file}: ${(error as Error).message}`);
  }
  try {
    return manifestOf(parsed, file);
  } catch (error) {
    if (error instanceof ManifestError) throw fail(error.message);
    throw error;
  }
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
