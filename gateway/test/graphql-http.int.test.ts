/**
 * The GraphQL-over-HTTP server audit of the `graphql-http` package (the spec's reference
 * implementation) against the real gateway over the fixture subgraphs: all 61 audits `ok`.
 *
 * The audit's client is configured as any client of this gateway must be: it sends an analyst's
 * bearer token (several audits introspect with `__type`, which anonymous callers may not —
 * schema-visibility feature) and `apollo-require-preflight: true` (CSRF prevention refuses a GET
 * without it; test/security-requests.int.test.ts row 15). Nothing else is relaxed.
 */
import { generateKeyPairSync } from 'node:crypto';
import { auditServer } from 'graphql-http';
import type { AuditResult } from 'graphql-http';
import { SignJWT } from 'jose';
import pino from 'pino';
import { createGateway } from '../server';
import type { Gateway } from '../server';
import { startProducts, startReviews, writeSupergraph } from './support/fixtures';
import type { RunningServer } from './support/fixtures';
import { defaultConfig, defaultFeatures } from './support/config';

const idp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
let products: RunningServer;
let reviews: RunningServer;
let supergraph: { file: string; cleanup(): void };
let gateway: Gateway;
let url: string;

beforeAll(async () => {
  [products, reviews] = await Promise.all([startProducts(), startReviews()]);
  supergraph = writeSupergraph({ products: products.url, reviews: reviews.url });
  const config = defaultConfig({
    SUPERGRAPH_PATH: supergraph.file,
    GATEWAY_PORT: '0',
    GATEWAY_JWT_PUBLIC_KEY: idp.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  });
  gateway = createGateway(config, { logger: pino({ level: 'silent' }), features: defaultFeatures });
  ({ url } = await gateway.start());
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([products?.close(), reviews?.close()]);
  supergraph?.cleanup();
});

const summary = (r: AuditResult) =>
  `${r.status} ${r.id} ${r.name}${r.status === 'ok' ? '' : `: ${r.reason}`}`;

test('every graphql-http server audit is ok (61 of 61)', async () => {
  const token = await new SignJWT({ role: 'analyst' })
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject('auditor')
    .setIssuer('govgraph-dev')
    .setAudience('govgraph')
    .setExpirationTime('10m')
    .sign(idp.privateKey);
  const fetchFn = (input: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${token}`);
    headers.set('apollo-require-preflight', 'true');
    return fetch(input, { ...init, headers });
  };
  const results = await auditServer({ url, fetchFn });
  expect(results).toHaveLength(61);
  expect(results.filter((r) => r.status !== 'ok').map(summary)).toEqual([]);
});
