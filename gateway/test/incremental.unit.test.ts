/**
 * The incremental-delivery format (gateway/incremental.ts): Accept negotiation and the multipart
 * body byte for byte, as Apollo Client's deferSpec=20220824 parser reads it; and where a deferred
 * fragment lands (engine/shape/deferred.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import type { Deferral, SubsequentPayload } from '../incremental';
import { acceptsDeferSpec, acceptsJson, multipartBody, singlePartBody } from '../incremental';
import { deferredTargets, mergeDelivered } from '../engine/shape/deferred';

async function collect(parts: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const part of parts) out += part;
  return out;
}

async function* payloads(...list: SubsequentPayload[]): AsyncGenerator<SubsequentPayload> {
  for (const p of list) yield p;
}

test('the Accept header: deferSpec=20220824 must be named; JSON is any JSON range or none', () => {
  expect(acceptsDeferSpec('multipart/mixed;deferSpec=20220824,application/json')).toBe(true);
  expect(acceptsDeferSpec('multipart/mixed; deferSpec=20220824')).toBe(true);
  expect(acceptsDeferSpec('application/json, multipart/mixed;deferspec="20220824";q=0.5')).toBe(true);
  expect(acceptsDeferSpec('multipart/mixed')).toBe(false);
  expect(acceptsDeferSpec('multipart/mixed;incrementalSpec=v0.2')).toBe(false);
  expect(acceptsDeferSpec('multipart/mixed;deferSpec=20220824;q=0')).toBe(false);
  expect(acceptsDeferSpec(undefined)).toBe(false);
  expect(acceptsJson('multipart/mixed;deferSpec=20220824,application/json')).toBe(true);
  expect(acceptsJson('multipart/mixed;deferSpec=20220824, application/graphql-response+json')).toBe(true);
  expect(acceptsJson('multipart/mixed;deferSpec=20220824')).toBe(false);
  expect(acceptsJson('*/*')).toBe(true);
  expect(acceptsJson(undefined)).toBe(true);
});

test('the multipart body: boundary "-", a content type per part, hasNext on each, the closing boundary last', async () => {
  const deferral: Deferral = {
    subsequent: payloads(
      { incremental: [{ data: { name: 'A' }, path: ['list', 0], label: 'more' }], hasNext: true },
      { incremental: [{ data: { name: 'B' }, path: ['list', 1] }], hasNext: false },
    ),
    formatters: [],
  };
  const body = await collect(multipartBody({ data: { list: [{ id: 1 }, { id: 2 }] } }, deferral, (e) => e));
  const part = 'content-type: application/json; charset=utf-8\r\n\r\n';
  expect(body).toBe(
    `\r\n---\r\n${part}{"data":{"list":[{"id":1},{"id":2}]},"hasNext":true}\r\n---\r\n` +
      `${part}{"incremental":[{"data":{"name":"A"},"path":["list",0],"label":"more"}],"hasNext":true}\r\n---\r\n` +
      `${part}{"incremental":[{"data":{"name":"B"},"path":["list",1]}],"hasNext":false}\r\n-----\r\n`,
  );
});

test("later payloads' errors pass the core's formatter, then the features', in order", async () => {
  const deferral: Deferral = {
    subsequent: payloads({
      incremental: [
        {
          data: null,
          path: ['a'],
          errors: [{ message: 'at http://10.0.0.1:4101', extensions: { code: 'X', secret: 1 } }],
        },
      ],
      errors: [{ message: 'loose' }],
      hasNext: false,
    }),
    formatters: [(e) => ({ ...e, message: e.message.replace(/http:\S+/, '[redacted]') })],
  };
  const body = await collect(
    multipartBody({ data: {} }, deferral, (e) => ({ message: e.message, extensions: { code: 'CORE' } })),
  );
  const last = JSON.parse(body.split('\r\n\r\n')[2]!.split('\r\n')[0]!);
  expect(last).toEqual({
    incremental: [
      { data: null, path: ['a'], errors: [{ message: 'at [redacted]', extensions: { code: 'CORE' } }] },
    ],
    errors: [{ message: 'loose', extensions: { code: 'CORE' } }],
    hasNext: false,
  });
});

test('a stream that ends without hasNext: false still closes well-formed; a single answer is one closing part', async () => {
  const open: Deferral = { subsequent: payloads({ hasNext: true }), formatters: [] };
  expect(
    (await collect(multipartBody({ data: {} }, open, (e) => e))).endsWith('{"hasNext":false}\r\n-----\r\n'),
  ).toBe(true);
  expect(await collect(singlePartBody({ data: { a: 1 } }))).toBe(
    '\r\n---\r\ncontent-type: application/json; charset=utf-8\r\n\r\n{"data":{"a":1},"hasNext":false}\r\n-----\r\n',
  );
});

describe('where a deferred fragment lands', () => {
  const sdl = readFileSync(path.join(__dirname, '../../schema/supergraph.graphql'), 'utf8');
  const schema = Supergraph.build(sdl, { supportedFeatures: null }).apiSchema();

  test('at each list element the client was sent, by index, skipping nulls', () => {
    const delivered = { procedures: { nodes: [{ code: 'a' }, null, { code: 'c' }] } };
    const fetched = { procedures: { nodes: [{ code: 'a', name: 'A' }, null, { code: 'c', name: 'C' }] } };
    expect(deferredTargets(schema, delivered, fetched, ['procedures', 'nodes'])).toEqual([
      { path: ['procedures', 'nodes', 0], source: fetched.procedures.nodes[0] },
      { path: ['procedures', 'nodes', 2], source: fetched.procedures.nodes[2] },
    ]);
  });

  test('not below an object the initial payload nulled', () => {
    expect(
      deferredTargets(schema, { dossierStatus: null }, { dossierStatus: { code: 'x' } }, ['dossierStatus']),
    ).toEqual([]);
  });

  test('`... on T` keeps only objects of that type', () => {
    const delivered = { a: [{ id: 1 }, { id: 2 }] };
    const fetched = {
      a: [
        { __typename: 'Agency', id: 1 },
        { __typename: 'Procedure', id: 2 },
      ],
    };
    expect(deferredTargets(schema, delivered, fetched, ['a', '... on Agency']).map((t) => t.path)).toEqual([
      ['a', 0],
    ]);
  });

  test('a delivered fragment merges into what the client holds, for nested fragments to find', () => {
    const delivered: Record<string, unknown> = { topProducts: [{ upc: 'p1' }] };
    mergeDelivered(delivered, ['topProducts', 0], { name: 'A', reviews: [{ body: 'x' }] });
    expect(delivered).toEqual({ topProducts: [{ upc: 'p1', name: 'A', reviews: [{ body: 'x' }] }] });
  });
});
