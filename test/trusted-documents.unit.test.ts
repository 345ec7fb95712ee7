/**
 * The trusted-document manifests (scripts/trusted-documents.ts): the committed portal manifest is the
 * one its operations make, every operation validates against the composed API schema, and the check
 * names a stale manifest's problem or an invalid operation by file.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { composeApiSchema } from '../schema/compose';
import { registeredSources } from '../scripts/compose';
import {
  CLIENTS_DIR,
  documentProblems,
  manifestText,
  readClient,
  sha256,
} from '../scripts/trusted-documents';

const schema = composeApiSchema(registeredSources());

test('the committed portal manifest is current and every operation is valid', () => {
  const portal = readClient(path.join(CLIENTS_DIR, 'portal'));
  expect(portal.documents.size).toBeGreaterThanOrEqual(8);
  expect(readFileSync(path.join(CLIENTS_DIR, 'portal/manifest.json'), 'utf8')).toBe(manifestText(portal));
  expect(documentProblems(portal, schema)).toEqual([]);
  const manifest = JSON.parse(manifestText(portal)) as Record<string, string>;
  for (const [hash, text] of Object.entries(manifest)) expect(sha256(text)).toBe(hash);
});

test('an edited operation changes the manifest; an invalid or unnamed one is named by file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'govgraph-client-'));
  writeFileSync(path.join(dir, 'A.graphql'), 'query A { agencies(first: 1) { nodes { code } } }');
  const before = manifestText(readClient(dir));
  writeFileSync(path.join(dir, 'A.graphql'), 'query A { agencies(first: 2) { nodes { code } } }');
  expect(manifestText(readClient(dir))).not.toBe(before);
  writeFileSync(path.join(dir, 'B.graphql'), '{ agencies { nodes { nope } } }');
  const problems = documentProblems(readClient(dir), schema);
  expect(problems).toEqual([
    `clients/${path.basename(dir)}/B.graphql: must hold exactly one named operation`,
    expect.stringMatching(/B\.graphql: Cannot query field "nope" on type "Agency"/),
  ]);
});
