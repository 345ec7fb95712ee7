/**
 * Signed supergraphs end to end, with real processes: the registry (`registry/main.ts`) on a test
 * database, a gateway process (`gateway/main.ts`) polling it through a proxy that can tamper with what
 * it forwards, with GATEWAY_SUPERGRAPH_PUBLIC_KEY set to the registry's key, over the fixture subgraphs:
 * 1. publish → the gateway reloads, with zero failed requests under a client load;
 * 2. a tampered document (signature kept) and an unsigned one are refused: logged, counted in /ready,
 *    the serving version keeps serving;
 * 3. rollback → the earlier supergraph (same hash) serves again;
 * and a gateway refuses to start on an unsigned supergraph.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { generateGatewayKeys } from '../common/identity';
import { SIGNATURE_HEADER } from '../common/supergraphSignature';
import { createTestDatabase } from '../kit/testing';
import type { TestDatabase } from '../kit/testing';
import { ROOT } from '../schema/registry';
import { PRODUCTS_SDL, REVIEWS_SDL, startProducts, startReviews } from '../gateway/test/support/fixtures';
import type { RunningServer } from '../gateway/test/support/fixtures';
import { call, OFFICIAL, tokenFor } from '../registry/test/support';
import type { TestRegistry } from '../registry/test/support';
import { generateKeyPairSync } from 'node:crypto';

jest.setTimeout(180_000);

let products: RunningServer;
let reviews: RunningServer;
let db: TestDatabase;
let registry: { url: string; proc: ChildProcess };
let token: string;
let publicKey: string;
let proxy: Server;
let proxyUrl: string;
/** What the proxy does to the supergraph on its way from the registry to the gateway. */
let mode: 'pass' | 'tamper' | 'unsigned' = 'pass';
const started: ChildProcess[] = [];

function spawn(
  file: string,
  args: string[],
  env: Record<string, string>,
): { proc: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('GATEWAY_') && !k.startsWith('REGISTRY_')),
  );
  const proc = fork(path.join(ROOT, file), args, {
    execArgv: ['--import', 'tsx'],
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  started.push(proc);
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, output: () => out, exited };
}

async function startRegistryProcess(
  env: Record<string, string>,
): Promise<{ url: string; proc: ChildProcess }> {
  const running = spawn('registry/main.ts', [], env);
  for (;;) {
    const line = running
      .output()
      .split('\n')
      .find((l) => l.includes('"registry listening"'));
    if (line) return { url: (JSON.parse(line) as { url: string }).url, proc: running.proc };
    const code = await Promise.race([running.exited, new Promise((r) => setTimeout(() => r('wait'), 100))]);
    if (code !== 'wait') throw new Error(`registry exited with ${code}:\n${running.output()}`);
  }
}

interface Gateway {
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

function startGateway(extra: Record<string, string> = {}): Promise<Gateway> {
  const running = spawn('gateway/main.ts', [], {
    GATEWAY_PORT: '0',
    LOG_LEVEL: 'info',
    GATEWAY_RATE_LIMIT_PER_IP: '0',
    SUPERGRAPH_URL: `${proxyUrl}/v1/environments/production/supergraph`,
    GATEWAY_SUPERGRAPH_POLL_INTERVAL: '200',
    GATEWAY_SUPERGRAPH_PUBLIC_KEY: publicKey,
    ...extra,
  });
  return new Promise((resolve, reject) => {
    running.proc.on('message', (m: { type?: string; url?: string }) => {
      if (m?.type === 'listening' && m.url)
        resolve({ url: m.url, output: running.output, exited: running.exited });
    });
    void running.exited.then((code) =>
      reject(new Error(`gateway exited with ${code}:\n${running.output()}`)),
    );
  });
}

beforeAll(async () => {
  [products, reviews, db] = await Promise.all([startProducts(), startReviews(), createTestDatabase()]);
  const keys = generateGatewayKeys();
  publicKey = keys.publicKey;
  const idp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  registry = await startRegistryProcess({
    REGISTRY_PORT: '0',
    REGISTRY_DATABASE_URL: db.url,
    REGISTRY_SIGNING_KEY: keys.privateKey,
    REGISTRY_JWT_PUBLIC_KEY: idp.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  });
  token = await tokenFor({ idp: { privateKey: idp.privateKey } } as TestRegistry, OFFICIAL);
  // The tampering proxy: forwards to the registry; `tamper` changes the document but keeps its
  // signature, `unsigned` drops the signature. Neither lets a 304 through (it would hide the change).
  proxy = createServer((req, res) => {
    const headers: Record<string, string> = {};
    if (mode === 'pass' && req.headers['if-none-match'])
      headers['if-none-match'] = req.headers['if-none-match'];
    fetch(new URL(req.url!, registry.url), { headers }).then(
      async (upstream) => {
        let body = await upstream.text();
        const out: Record<string, string> = {
          'content-type': upstream.headers.get('content-type') ?? 'text/plain',
        };
        const signature = upstream.headers.get(SIGNATURE_HEADER);
        if (signature && mode !== 'unsigned') out[SIGNATURE_HEADER] = signature;
        if (mode === 'pass' && upstream.headers.get('etag')) out.etag = upstream.headers.get('etag')!;
        if (mode === 'tamper') body = body.replace('price: Int!', 'price: Int!\n  secret: String');
        res.writeHead(upstream.status, out).end(upstream.status === 304 ? undefined : body);
      },
      () => res.writeHead(502).end(),
    );
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const proc of started) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  await new Promise((resolve) => proxy?.close(resolve));
  await Promise.all([products?.close(), reviews?.close()]);
  await db?.close();
});

const publish = (name: string, sdl: string, url: string) =>
  call(registry, 'POST', `/v1/environments/production/subgraphs/${name}/publish`, {
    token,
    body: { sdl, url },
  });

async function ready(gateway: Gateway): Promise<{ hash: string; reloads: number; refusals: number }> {
  const response = await fetch(new URL('/ready', gateway.url));
  return ((await response.json()) as { supergraph: { hash: string; reloads: number; refusals: number } })
    .supergraph;
}

async function until<T>(what: string, probe: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const query = async (gateway: Gateway, document: string) =>
  (await fetch(new URL('/graphql', gateway.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: document }),
  }).then((r) => r.json())) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };

test('publish reloads the gateway; tampered and unsigned supergraphs are refused; rollback restores', async () => {
  const first = await publish('products', PRODUCTS_SDL, products.url);
  expect(first).toMatchObject({ status: 200, body: { version: 1 } });
  const s1 = first.body.supergraphHash as string;

  const gateway = await startGateway();
  expect(await ready(gateway)).toMatchObject({ hash: s1, reloads: 0, refusals: 0 });

  // 1. Publish under a client load: the gateway takes the new supergraph, no request fails.
  let stop = false;
  const failures: unknown[] = [];
  let answered = 0;
  const load = (async () => {
    while (!stop) {
      const answer = await query(gateway, '{ topProducts { upc } }').catch((e: unknown) => ({ errors: [e] }));
      if (answer.errors) failures.push(answer.errors);
      else answered++;
    }
  })();
  const second = await publish('reviews', REVIEWS_SDL, reviews.url);
  expect(second).toMatchObject({ status: 200, body: { version: 1 } });
  const s2 = second.body.supergraphHash as string;
  await until(
    'reload to s2',
    () => ready(gateway),
    (s) => s.hash === s2,
  );
  await new Promise((r) => setTimeout(r, 500));
  stop = true;
  await load;
  expect(failures).toEqual([]);
  expect(answered).toBeGreaterThan(10);
  expect(await query(gateway, '{ reviewCount }')).toEqual({ data: { reviewCount: expect.any(Number) } });

  // 2. Tampered on the way (signature kept), then unsigned: refused, logged, counted; s2 keeps serving.
  mode = 'tamper';
  await until(
    'tampered refused',
    () => ready(gateway),
    (s) => s.refusals === 1,
  );
  mode = 'unsigned';
  await until(
    'unsigned refused',
    () => ready(gateway),
    (s) => s.refusals === 2,
  );
  await new Promise((r) => setTimeout(r, 600)); // a few more polls of the same document: counted once
  expect(await ready(gateway)).toMatchObject({ hash: s2, refusals: 2 });
  expect(await query(gateway, '{ topProducts { secret } }')).toMatchObject({
    errors: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
  });
  const refusals = gateway
    .output()
    .split('\n')
    .filter((l) => l.includes('supergraph refused'))
    .map((l) => JSON.parse(l) as { reason: string; current: string });
  expect(refusals.map((r) => [r.reason, r.current])).toEqual([
    ['the signature does not verify (tampered, or signed with another key)', s2],
    [`unsigned: no ${SIGNATURE_HEADER}`, s2],
  ]);
  mode = 'pass';

  // 3. A new products version, then rollback to version 1: s2 (the same bytes, the same hash) again.
  const third = await publish(
    'products',
    PRODUCTS_SDL.replace('price: Int!', 'price: Int!\n  weight: Int'),
    products.url,
  );
  expect(third).toMatchObject({ status: 200, body: { version: 2 } });
  await until(
    'reload to s3',
    () => ready(gateway),
    (s) => s.hash === third.body.supergraphHash,
  );
  const back = await call(registry, 'POST', '/v1/environments/production/subgraphs/products/rollback', {
    token,
    body: { to: 1 },
  });
  expect(back).toMatchObject({ status: 200, body: { rolledBack: true, supergraphHash: s2 } });
  expect(
    await until(
      'rollback to s2',
      () => ready(gateway),
      (s) => s.hash === s2,
    ),
  ).toMatchObject({
    hash: s2,
    reloads: 3,
    refusals: 2,
  });
});

test('a gateway does not start on an unsigned supergraph', async () => {
  mode = 'unsigned';
  try {
    await expect(startGateway()).rejects.toThrow(
      /GATEWAY_SUPERGRAPH_PUBLIC_KEY: the supergraph at http:\/\/127\.0\.0\.1:\d+\/v1\/environments\/production\/supergraph \([0-9a-f]{64}\) is refused: unsigned/,
    );
  } finally {
    mode = 'pass';
  }
});
