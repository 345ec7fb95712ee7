/**
 * A registry for tests: a throw-away database on the embedded PostgreSQL, a fresh signing key, a test
 * identity provider (ES256) whose tokens the registry accepts, and small subgraph SDLs.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { generateGatewayKeys } from '../../common/identity';
import { createLogger } from '../../kit/runtime/logger';
import { createTestDatabase } from '../../kit/testing';
import type { TestDatabase } from '../../kit/testing';
import { loadRegistryConfig, startRegistry } from '../index';
import type { RunningRegistry } from '../index';

export interface TestRegistry extends RunningRegistry {
  testDb: TestDatabase;
  /** The Ed25519 key pair supergraphs are signed with (base64 DER). */
  keys: { privateKey: string; publicKey: string };
  /** The identity provider's key, to mint tokens. */
  idp: { privateKey: KeyObject; publicKeyPem: string };
  /** The settings the registry runs with (for a registry process started on the same database). */
  env: Record<string, string>;
}

export async function startTestRegistry(extra: Record<string, string> = {}): Promise<TestRegistry> {
  const testDb = await createTestDatabase();
  const keys = generateGatewayKeys();
  const idp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicKeyPem = idp.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const env = {
    REGISTRY_PORT: '0',
    REGISTRY_DATABASE_URL: testDb.url,
    REGISTRY_SIGNING_KEY: keys.privateKey,
    REGISTRY_JWT_PUBLIC_KEY: publicKeyPem,
    ...extra,
  };
  const registry = await startRegistry(loadRegistryConfig(env), createLogger('registry', 'silent'));
  return {
    ...registry,
    testDb,
    keys,
    idp: { privateKey: idp.privateKey, publicKeyPem },
    env,
    async close() {
      await registry.close();
      await testDb.close();
    },
  };
}

/** A token of the test identity provider (the gateway's default issuer and audience). */
export function tokenFor(
  registry: TestRegistry,
  claims: { sub: string; role: string; agency?: string; scope?: string },
): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject(claims.sub)
    .setIssuer('govgraph-dev')
    .setAudience('govgraph')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(registry.idp.privateKey);
}

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';

/** The agencies subgraph (official-owned): Agency's key and name. */
export const AGENCIES = `${LINK}
type Agency @key(fields: "code") { code: ID! name: String! }
type Query { agency(code: ID!): Agency }
`;

/** The permits subgraph (a partner's), with or without Permit.holder. */
export const permits = (opts: { holder?: boolean; extra?: string } = {}) => `${LINK}
type Agency @key(fields: "code") { code: ID! permits: [Permit!]! }
type Permit {
  number: ID!
  issuedOn: String!
  ${opts.holder === false ? '' : 'holder: String'}
  ${opts.extra ?? ''}
}
type Query { permit(number: ID!): Permit }
`;

export const PARTNER = { sub: 'partner-permits-ci', role: 'partner', agency: '000.00.31.H26' };
export const OTHER_PARTNER = { sub: 'partner-other', role: 'partner', agency: '000.00.32.H26' };
export const OFFICIAL = { sub: 'official-platform', role: 'official', agency: '000.00.21.H26' };

/** A JSON call to the registry: status and body. */
export async function call(
  registry: { url: string },
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(new URL(path, registry.url), {
    method,
    headers: {
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
      ...(options.token && { authorization: `Bearer ${options.token}` }),
    },
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // text (the supergraph)
  }
  return { status: response.status, body, headers: response.headers };
}
