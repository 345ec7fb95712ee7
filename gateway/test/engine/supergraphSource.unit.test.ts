import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileSupergraphSource, transformedSource } from '../../engine/supergraph/source';
import type { SupergraphVersion } from '../../engine/supergraph/source';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'supergraph-source-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('the file source loads the SDL and identifies it by its sha256', async () => {
  const file = path.join(dir, 'supergraph.graphql');
  writeFileSync(file, 'type Query { a: Int }');
  const source = fileSupergraphSource(file);
  await expect(source.load()).resolves.toEqual({
    sdl: 'type Query { a: Int }',
    hash: sha256('type Query { a: Int }'),
  });
  expect(source.describe).toBe(file);
  await source.stop();
});

test('a missing file is a start-up failure naming SUPERGRAPH_PATH and the file', async () => {
  const file = path.join(dir, 'absent.graphql');
  await expect(fileSupergraphSource(file).load()).rejects.toThrow(
    `SUPERGRAPH_PATH: cannot read supergraph file ${file} (ENOENT)`,
  );
});

test('with a poll interval, a changed file is notified once per new hash; stop() ends it', async () => {
  const file = path.join(dir, 'supergraph.graphql');
  writeFileSync(file, 'type Query { a: Int }');
  const source = fileSupergraphSource(file, { pollIntervalMs: 10 });
  const seen: SupergraphVersion[] = [];
  source.onChange((version) => seen.push(version));
  await source.load();
  writeFileSync(file, 'type Query { b: Int }');
  await waitFor(() => seen.length === 1);
  expect(seen).toEqual([{ sdl: 'type Query { b: Int }', hash: sha256('type Query { b: Int }') }]);
  await source.stop();
  writeFileSync(file, 'type Query { c: Int }');
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(seen.map((v) => v.sdl)).toEqual(['type Query { b: Int }']);
});

test('a transformed source serves and hashes the transformed SDL', async () => {
  const file = path.join(dir, 'supergraph.graphql');
  writeFileSync(file, 'type Query { a: Int }');
  const source = transformedSource(fileSupergraphSource(file), (sdl) => sdl.replace('a:', 'renamed:'));
  await expect(source.load()).resolves.toEqual({
    sdl: 'type Query { renamed: Int }',
    hash: sha256('type Query { renamed: Int }'),
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error('timed out');
}
