/**
 * The trusted-document manifests (scripts/trusted-documents.ts): the committed portal manifest is the
 * one its operations make, every operation validates against the composed API schema, and the check
 * names a stale manifest's problem or an invalid operation by file.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseManifest } from '../gateway/features/trustedDocuments/manifest';
import { composeApiSchema } from '../schema/compose';
import { registeredSources } from '../scripts/compose';
import {
  CLIENTS_DIR,
  documentProblems,
  manifestOf,
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

test('a file of fragments only is shared: appended to each operation that spreads it, never a document of its own', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'govgraph-client-'));
  const where = `clients/${path.basename(dir)}`;
  writeFileSync(path.join(dir, 'AgencyFields.graphql'), 'fragment AgencyFields on Agency { code name }');
  writeFileSync(path.join(dir, 'A.graphql'), 'query A { agencies(first: 1) { nodes { ...AgencyFields } } }');
  writeFileSync(path.join(dir, 'B.graphql'), 'query B { agencies(first: 2) { nodes { code } } }');
  const client = readClient(dir);
  expect([...client.documents.keys()]).toEqual(['A.graphql', 'B.graphql']);
  expect(client.documents.get('A.graphql')).toBe(
    'query A {\n  agencies(first: 1) {\n    nodes {\n      ...AgencyFields\n      __typename\n    }\n    __typename\n  }\n}\n\n' +
      'fragment AgencyFields on Agency {\n  code\n  name\n  __typename\n}',
  );
  expect(client.documents.get('B.graphql')).not.toContain('fragment');
  expect(documentProblems(client, schema)).toEqual([]);
  // Editing the shared fragment changes the operation that spreads it, and only that one.
  const before = manifestOf(client);
  writeFileSync(path.join(dir, 'AgencyFields.graphql'), 'fragment AgencyFields on Agency { code }');
  const after = manifestOf(readClient(dir));
  expect(Object.values(after).filter((text) => !Object.values(before).includes(text))).toEqual([
    expect.stringMatching(/^query A /),
  ]);
  // A shared fragment no operation spreads is reported (nothing would validate it); one defined twice stops.
  writeFileSync(path.join(dir, 'Unused.graphql'), 'fragment Unused on Agency { nope }');
  expect(documentProblems(readClient(dir), schema)).toEqual([
    `${where}/Unused.graphql: fragment Unused is not used`,
  ]);
  writeFileSync(path.join(dir, 'Twice.graphql'), 'fragment AgencyFields on Agency { name }');
  expect(() => readClient(dir)).toThrow(
    /\/Twice\.graphql: fragment AgencyFields is already defined in AgencyFields\.graphql$/,
  );
});

test("the portal's dossier look-up and its live form select the same fields (one shared fragment)", () => {
  const portal = readClient(path.join(CLIENTS_DIR, 'portal'));
  const fragment = (file: string): string => {
    const text = portal.documents.get(file)!;
    return text.slice(text.indexOf('\n\nfragment DossierPublicStatusFields '));
  };
  expect(portal.sharedFragments.get('DossierPublicStatusFields')).toBe('DossierPublicStatusFields.graphql');
  expect(fragment('DossierStatus.graphql')).toMatch(
    /^\n\nfragment DossierPublicStatusFields on DossierPublicStatus \{\n  code\n/,
  );
  expect(fragment('DossierStatusLive.graphql')).toBe(fragment('DossierStatus.graphql'));
});

describe('the gateway reads the manifest formats of govgraph, Apollo and GraphQL Codegen', () => {
  const text =
    'query A {\n  agencies(first: 1) {\n    nodes {\n      code\n      __typename\n    }\n    __typename\n  }\n}';
  const sha1 = createHash('sha1').update(text).digest('hex');

  test('govgraph’s and the Codegen client preset’s persisted-documents.json: { hash: document }', () => {
    expect([...parseManifest(JSON.stringify({ [sha256(text)]: text }), 'm.json')]).toEqual([
      [sha256(text), text],
    ]);
    // The client preset with hashAlgorithm: 'sha1'.
    expect([...parseManifest(JSON.stringify({ [sha1]: text }), 'm.json')]).toEqual([[sha1, text]]);
  });

  test('Apollo’s generate-persisted-query-manifest: { format, version, operations: [{ id, body }] }', () => {
    const apollo = {
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [{ id: sha256(text), name: 'A', type: 'query', body: text }],
    };
    expect([...parseManifest(JSON.stringify(apollo), 'apollo.json')]).toEqual([[sha256(text), text]]);
    expect(() => parseManifest(JSON.stringify({ ...apollo, version: 2 }), 'apollo.json')).toThrow(
      'apollo.json has format "apollo-persisted-query-manifest" version 2: expected "apollo-persisted-query-manifest" version 1 with operations',
    );
  });

  test('a key that is not the hash of its document stops start-up, naming the file and the key', () => {
    const wrong = sha256(`${text} `);
    expect(() => parseManifest(JSON.stringify({ [wrong]: text }), 'm.json')).toThrow(
      `m.json: "${wrong}" is not the sha256 (or sha1) of its document`,
    );
    expect(() => parseManifest('[]', 'm.json')).toThrow(
      'm.json is not a manifest (an object of hash → document, or an Apollo persisted-query manifest)',
    );
  });
});
