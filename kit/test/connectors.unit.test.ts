/** The connector declarations (kit/connectors): selections, templates and the checks made at start-up. */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applySelection, parseSelection, readConnectorSpec } from '../connectors';
import { getJson, isMissing } from '../connectors/http';
import { expand } from '../connectors/template';

test('a selection renames, walks paths and selects inside lists', () => {
  const s = parseSelection(
    'code: maHoSo  fee: lePhi payerName: nguoiNop.hoTen steps: buoc { name: ten } kenhNop',
  );
  expect(
    applySelection(s, {
      maHoSo: 'X-1',
      lePhi: 50000,
      nguoiNop: { hoTen: 'Lê Văn An' },
      buoc: [{ ten: 'Tiếp nhận', khac: 1 }, { ten: 'Trả kết quả' }],
      kenhNop: 'TAI_QUAY',
      biMat: 'never selected',
    }),
  ).toEqual({
    code: 'X-1',
    fee: 50000,
    payerName: 'Lê Văn An',
    steps: [{ name: 'Tiếp nhận' }, { name: 'Trả kết quả' }],
    kenhNop: 'TAI_QUAY',
  });
  expect(applySelection(s, { maHoSo: 'X-2' })).toEqual({
    code: 'X-2',
    fee: null,
    payerName: null,
    steps: null,
    kenhNop: null,
  });
});

test('a selection that does not parse names the place', () => {
  expect(() => parseSelection('code: maHoSo fee:')).toThrow('selection: expected a path at 17');
  expect(() => parseSelection('a { b')).toThrow('selection: missing "}"');
  expect(() => parseSelection('a a')).toThrow('selection: "a" is selected twice');
  expect(() => parseSelection('a, b')).toThrow('selection: unexpected "," at 1');
});

test('templates percent-encode arguments and join batch keys', () => {
  expect(expand('/hoso/{$this.code}?q={$args.q}', { this: { code: 'A/B' }, args: { q: 'a&b' } })).toBe(
    '/hoso/A%2FB?q=a%26b',
  );
  expect(expand('/hoso?ds={$batch.code}', { batch: { code: ['a b', 'c'] } })).toBe('/hoso?ds=a%20b,c');
});

const SDL = (field: string, source = 'headers: ["X-Key: {$env.K}"]') => `
  extend schema @source(name: "s", baseURL: "{$env.U}", ${source})
  type Agency @key(fields: "code") { code: ID! ${field} }
`;

test('the SDL is checked at start-up, naming the field', () => {
  expect(
    readConnectorSpec(SDL('x: Int @connect(source: "s", get: "/a/{$this.code}", selection: "x")')),
  ).toMatchObject({
    entities: ['Agency'],
    connects: [{ type: 'Agency', field: 'x', source: 's', batch: null, paging: null }],
  });
  expect(() => readConnectorSpec(SDL('x: Int @connect(source: "t", get: "/a", selection: "x")'))).toThrow(
    'Agency.x: @connect names no declared @source "t"',
  );
  expect(() =>
    readConnectorSpec(SDL('x: Int @connect(source: "s", get: "/a/{$this.id}", selection: "x")')),
  ).toThrow('Agency.x: $this.id is not a key field of Agency');
  expect(() =>
    readConnectorSpec(SDL('x: Int @connect(source: "s", get: "/a/{$args.y}", selection: "x")')),
  ).toThrow('Agency.x: no argument "y"');
  expect(() => readConnectorSpec(SDL('x: Int', 'headers: ["X-Key: secret123"]'))).toThrow(
    'header "X-Key: secret123" must be "Name: {$env.VARIABLE}" (no credentials in the SDL)',
  );
});

describe('one GET to an existing system (real HTTP)', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/big') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ filler: 'x'.repeat(2000) }));
      } else if (req.url === '/gone') {
        res.writeHead(404).end();
      } else if (req.url === '/busy') {
        res.writeHead(503).end();
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ key: req.headers['x-key'] ?? null }));
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  const source = (maxBytes?: number) => ({
    name: 's',
    baseURL: base,
    headers: { 'X-Key': 'k1' },
    timeoutMs: 1000,
    maxBytes,
  });
  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => 'resolved',
      (e: { extensions?: { code?: string }; message: string }) => `${e.extensions?.code}: ${e.message}`,
    );

  test('sends the headers; a 404 is no record; 503 and an oversized answer have their codes', async () => {
    expect(await getJson(source(), '/ok')).toEqual({ key: 'k1' });
    expect(isMissing(await getJson(source(), '/gone'))).toBe(true);
    expect(await codeOf(getJson(source(), '/busy'))).toBe(
      'SERVICE_UNAVAILABLE: The existing system "s" is unavailable (HTTP 503)',
    );
    expect(await codeOf(getJson(source(1000), '/big'))).toBe(
      'BAD_GATEWAY: The existing system "s" gave an unusable answer (the answer is over 1000 bytes)',
    );
  });
});
