/**
 * Every registered subgraph, loaded by convention from its folder's `subgraph.ts`, and a federated stack
 * of all of them in one process tree: each subgraph on a throw-away embedded database and its own port,
 * the gateway in front, real HTTP between them. Tests loop over the registry instead of naming subgraphs.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import pino from 'pino';
import type { Logger } from 'pino';
import { engineEnv } from '../../gateway/test/support/fixtures';
import { createGateway } from '../../gateway/server';
import type { Gateway } from '../../gateway/server';
import type { SubgraphModule } from '../../kit/runtime/define';
import { generateGatewayKeys } from '../../common/identity';
import type { Caller } from '../../common/identity';
import { startTestSubgraph } from '../../kit/testing';
import type { TestSubgraph } from '../../kit/testing';
import { composeSupergraph } from '../../schema/compose';
import { loadRegistry, peersSetting, ROOT } from '../../schema/registry';
import type { RegistryEntry } from '../../schema/registry';
import { defaultConfig, defaultFeatures } from '../../gateway/test/support/config';
import { startStandIn } from '../../subgraphs/legacy-mc/standin/server';

/**
 * What subgraphs/legacy-mc/main.ts does outside production: with legacy-mc in the stack and no
 * `MOTCUA_URL` set, the stand-in vendor system on a free port, the connector pointed at it until `close`.
 */
async function vendorFor(registry: RegistryEntry[]): Promise<() => Promise<void>> {
  if (!registry.some((e) => e.name === 'legacy-mc') || process.env.MOTCUA_URL) return async () => {};
  const apiKey = 'test-stand-in-key';
  const standIn = await startStandIn({ apiKey });
  process.env.MOTCUA_URL = standIn.url;
  process.env.MOTCUA_API_KEY = apiKey;
  return async () => {
    delete process.env.MOTCUA_URL;
    delete process.env.MOTCUA_API_KEY;
    await standIn.close();
  };
}

/** The module a registered subgraph's `subgraph.ts` exports (the export whose name matches). */
export function loadSubgraphModule(entry: RegistryEntry): SubgraphModule<unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exports = require(path.join(ROOT, entry.dir, 'subgraph.ts')) as Record<string, unknown>;
  const mod = Object.values(exports).find(
    (v): v is SubgraphModule<unknown> => (v as SubgraphModule<unknown> | null)?.name === entry.name,
  );
  if (!mod) throw new Error(`${entry.dir}/subgraph.ts exports no subgraph named "${entry.name}"`);
  return mod;
}

/**
 * Claims of a test caller's token (`role` and the claims that role needs, docs/security.md "Identity"), e.g.
 * `official('000.00.21.H26')`, `{ role: 'partner', agency: '…', scope: 'dossiers:read' }`.
 */
export type TestClaims = { role: string; sub?: string } & Record<string, unknown>;

/** An official of `agency` (mutations need one: `@policy(policies: [["official"]])`). */
export const official = (agency: string): TestClaims => ({
  role: 'official',
  agency,
  sub: `official@${agency}`,
});
export const ANALYST: TestClaims = { role: 'analyst', sub: 'analyst-1' };
export const ADMIN: TestClaims = { role: 'admin', sub: 'admin-1' };

/** The identity provider of a test stack: the gateway trusts its key (unless `gatewayEnv` names another). */
export const TEST_IDP = { issuer: 'https://idp.test', audience: 'govgraph' };
const testIdpKeys = generateKeyPairSync('ed25519');

const isCaller = (as: TestClaims | Caller): as is Caller => 'scopes' in as && Array.isArray(as.scopes);

/** Token claims for a kit test caller (`callers.*`): the claims docs/security.md "Identity" lists. */
function claimsOf(caller: Caller): TestClaims {
  const claims: TestClaims = { role: caller.role, sub: caller.subject ?? `test-${caller.role}` };
  if (caller.agencyCode) claims.agency = caller.agencyCode;
  if (caller.citizenId) claims.citizen_id = caller.citizenId;
  if (caller.scopes.length) claims.scope = caller.scopes.join(' ');
  return claims;
}

/** A bearer token for `as` (claims or a kit test caller), signed by the test identity provider (valid 10 minutes). */
export function testToken(as: TestClaims | Caller): Promise<string> {
  const claims = isCaller(as) ? claimsOf(as) : as;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA' })
    .setSubject(claims.sub ?? `test-${claims.role}`)
    .setIssuer(TEST_IDP.issuer)
    .setAudience(TEST_IDP.audience)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(testIdpKeys.privateKey);
}

export interface FederatedStack {
  readonly url: string;
  /** The gateway's operators' listener (`GATEWAY_METRICS_PORT`), when the gateway has one. */
  readonly operatorUrl?: string;
  /**
   * POSTs one operation to the gateway and returns the JSON body: as an anonymous client, or with a
   * token for `as`: test claims (`official`, `ANALYST`, `ADMIN`) or a kit test caller (`callers.*`).
   */
  gql(query: string, variables?: Record<string, unknown>, as?: TestClaims | Caller): Promise<any>;
  /** A token of the stack's identity provider for `as`. */
  token(as: TestClaims | Caller): Promise<string>;
  readonly gateway: Gateway;
  /** The settings the gateway was started with (SUPERGRAPH_PATH, keys…): another gateway process can start from them. */
  readonly gatewayEnv: Readonly<Record<string, string>>;
  readonly subgraphs: ReadonlyMap<string, TestSubgraph>;
  close(): Promise<void>;
}

export async function startFederatedStack(
  opts: {
    scale?: number;
    registry?: RegistryEntry[];
    gatewayEnv?: Record<string, string>;
    /** Where the gateway and every subgraph log (default: nowhere), e.g. to read what they wrote. */
    logger?: Logger;
    /** Every subgraph counts Prometheus metrics (TestSubgraph.listenMetrics). */
    subgraphMetrics?: boolean;
  } = {},
): Promise<FederatedStack> {
  const registry = opts.registry ?? loadRegistry();
  // One key pair for the stack: the gateway signs callers, every subgraph verifies them.
  const gatewayKeys = generateGatewayKeys();
  const closeVendor = await vendorFor(registry);
  const subgraphs = new Map<string, TestSubgraph>();
  const parts = [];
  for (const entry of registry) {
    const mod = loadSubgraphModule(entry);
    const logger = opts.logger?.child({ subgraph: entry.name });
    const sub = await startTestSubgraph(mod, {
      scale: opts.scale,
      gatewayKeys,
      logger,
      metrics: opts.subgraphMetrics,
    });
    subgraphs.set(entry.name, sub);
    parts.push({ name: entry.name, url: await sub.listen(), typeDefs: mod.typeDefs });
  }
  const supergraph = path.join(mkdtempSync(path.join(tmpdir(), 'govgraph-')), 'supergraph.graphql');
  writeFileSync(supergraph, composeSupergraph(parts));
  const silent = opts.logger ?? pino({ level: 'silent' });
  const gatewayEnv: Record<string, string> = {
    SUPERGRAPH_PATH: supergraph,
    GATEWAY_PORT: '0',
    LOG_LEVEL: 'silent',
    GATEWAY_SUBGRAPH_SIGNING_KEY: gatewayKeys.privateKey,
    GATEWAY_SUBGRAPH_PEERS: peersSetting(registry),
    ...engineEnv(),
    ...(opts.gatewayEnv?.GATEWAY_JWT_JWKS_URL
      ? {}
      : {
          GATEWAY_JWT_PUBLIC_KEY: testIdpKeys.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
          GATEWAY_JWT_ISSUER: TEST_IDP.issuer,
        }),
    ...opts.gatewayEnv,
  };
  const gateway = createGateway(defaultConfig(gatewayEnv), { logger: silent, features: defaultFeatures });
  const { url, operatorUrl } = await gateway.start();
  const gql = async (
    query: string,
    variables: Record<string, unknown> = {},
    as?: TestClaims | Caller,
  ): Promise<any> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (as && as.role !== 'anonymous') headers.authorization = `Bearer ${await testToken(as)}`;
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
    });
    return res.json();
  };
  return {
    url,
    ...(operatorUrl !== undefined && { operatorUrl }),
    gql,
    token: testToken,
    gateway,
    gatewayEnv,
    subgraphs,
    async close() {
      await gateway.stop();
      for (const sub of subgraphs.values()) await sub.close().catch(() => undefined);
      await closeVendor();
    },
  };
}
