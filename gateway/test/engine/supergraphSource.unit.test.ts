import { createHash } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { GatewayLogger } from '../../context';
import { fileSupergraphSource, transformedSource } from '../../engine/supergraph/source';
import { urlSupergraphSource } from '../../engine/supergraph/urlSource';
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

describe('watch mode', () => {
  test('a file renamed into place, then one written in place, are each notified once; stop() ends it', async () => {
    const file = path.join(dir, 'supergraph.graphql');
    writeFileSync(file, 'type Query { a: Int }');
    const source = fileSupergraphSource(file, { watch: 'watch', debounceMs: 50 });
    const seen: string[] = [];
    source.onChange((version) => seen.push(version.sdl));
    await source.load();

    writeFileSync(`${file}.tmp`, 'type Query { b: Int }');
    renameSync(`${file}.tmp`, file);
    await waitFor(() => seen.length === 1);
    // Several quick writes within the debounce: read once, when the directory is quiet.
    for (const text of ['type Query {', 'type Query { c', 'type Query { c: Int }']) writeFileSync(file, text);
    await waitFor(() => seen.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).toEqual(['type Query { b: Int }', 'type Query { c: Int }']);

    await source.stop();
    writeFileSync(file, 'type Query { d: Int }');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).toHaveLength(2);
  });

  test('a removed file keeps the last version (logged once) until a new one appears', async () => {
    const file = path.join(dir, 'supergraph.graphql');
    writeFileSync(file, 'type Query { a: Int }');
    const warnings: string[] = [];
    const logger = { warn: (message: string) => warnings.push(message) } as unknown as GatewayLogger;
    const source = fileSupergraphSource(file, { watch: 'watch', debounceMs: 20, logger });
    const seen: string[] = [];
    source.onChange((version) => seen.push(version.sdl));
    await source.load();
    unlinkSync(file);
    await waitFor(() => warnings.length === 1);
    expect(warnings[0]).toBe(
      `SUPERGRAPH_PATH: cannot read supergraph file ${file} (ENOENT); keeping the current supergraph`,
    );
    writeFileSync(file, 'type Query { b: Int }');
    await waitFor(() => seen.length === 1);
    expect(seen).toEqual(['type Query { b: Int }']);
    expect(warnings).toHaveLength(1);
    await source.stop();
  });
});

describe('the URL source', () => {
  test('a URL that does not answer in time fails the load naming SUPERGRAPH_URL, without its query', async () => {
    const sockets = new Set<Socket>();
    const server = createServer(() => undefined); // never answers
    server.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const logger = { warn: () => undefined, info: () => undefined } as unknown as GatewayLogger;
    const source = urlSupergraphSource(`http://user:pw@127.0.0.1:${port}/sg?token=secret`, {
      pollIntervalMs: 1000,
      timeoutMs: 150,
      logger,
    });
    await expect(source.load()).rejects.toThrow(
      `SUPERGRAPH_URL: cannot fetch the supergraph from http://127.0.0.1:${port}/sg: no answer in 150 ms`,
    );
    await source.stop();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
});
