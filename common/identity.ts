/**
 * Gateway → subgraph identity. The gateway verifies the client's token, then hands each subgraph the
 * caller in a short-lived JWT of its own (header `x-govgraph-caller`), signed with the gateway's
 * Ed25519 private key (EdDSA) and addressed to that one subgraph (`aud` = subgraph name). Subgraphs
 * hold only the public key (`<NAME>_GATEWAY_PUBLIC_KEY`), so a subgraph, or anyone who reads its
 * configuration, can verify callers but never mint them; and a token captured on the way to one
 * subgraph is refused by every other. (A shared HMAC secret would have let any subgraph forge.)
 *
 * Keys travel as text: PEM, or the base64 of the DER body (SPKI for the public key, PKCS#8 for the
 * private key), which is one line and fits an environment variable. `openssl genpkey -algorithm
 * ed25519` makes them; `generateGatewayKeys()` does the same in-process (npm start, tests).
 *
 * Neutral code: the gateway and the kit both import it (the Caller type every subgraph resolver sees
 * is defined here and re-exported by kit/runtime/context.ts).
 */
import { generateKeyPairSync } from 'node:crypto';
import { importPKCS8, importSPKI, jwtVerify, SignJWT } from 'jose';
import type { CryptoKey } from 'jose';

/** Roles, from the public portal (anonymous) to administrators. One per caller. */
export const ROLES = ['anonymous', 'citizen', 'official', 'analyst', 'partner', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as the gateway verified it. */
export interface Caller {
  /** The token's `sub`; null for anonymous callers. */
  readonly subject: string | null;
  readonly role: Role;
  /** Officials: their agency (QCVN 102 code); partners: the partner agency. Null otherwise. */
  readonly agencyCode: string | null;
  /** Citizens: their citizen ID (CCCD, 12 digits). Null otherwise. */
  readonly citizenId: string | null;
  /** Partners: the scopes granted (e.g. `dossiers:read`); empty otherwise. */
  readonly scopes: readonly string[];
  /**
   * Set only on a peer lookup (see "Delegation" below): the subgraph that asks on this caller's
   * behalf, e.g. `land` reading a dossier from `dossiers` while it checks a land change. Absent when
   * the gateway itself asks.
   */
  readonly actor?: string;
}

export const ANONYMOUS: Caller = Object.freeze({
  subject: null,
  role: 'anonymous',
  agencyCode: null,
  citizenId: null,
  scopes: Object.freeze([]) as readonly string[],
});

export const CALLER_HEADER = 'x-govgraph-caller';
export const GATEWAY_ISSUER = 'govgraph-gateway';
const ALG = 'EdDSA';
/** Lifetime of a gateway token: long enough for one request's fetches, short enough to be useless later. */
export const CALLER_TOKEN_TTL_SECONDS = 60;
/** Clock skew tolerated between gateway and subgraph hosts. */
const CLOCK_TOLERANCE_SECONDS = 5;
/**
 * The oldest a caller token may be (from its `iat`) and still be accepted: its lifetime plus the skew.
 * The gateway sends a token for half its lifetime, so a genuine one is never near it.
 */
export const CALLER_TOKEN_MAX_AGE_SECONDS = CALLER_TOKEN_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS;
const MAX_AGE_SECONDS = CALLER_TOKEN_MAX_AGE_SECONDS;

export interface GatewayKeys {
  /** Base64 PKCS#8 DER: the gateway's `GATEWAY_SUBGRAPH_SIGNING_KEY`. */
  readonly privateKey: string;
  /** Base64 SPKI DER: each subgraph's `<NAME>_GATEWAY_PUBLIC_KEY`. */
  readonly publicKey: string;
}

/** A fresh Ed25519 key pair as text (npm start makes one per run; tests one per stack). */
export function generateGatewayKeys(): GatewayKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  };
}

function pem(text: string, label: 'PUBLIC KEY' | 'PRIVATE KEY'): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) return trimmed;
  const body = trimmed.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+=*$/.test(body)) throw new Error(`not a PEM or base64 ${label.toLowerCase()}`);
  return `-----BEGIN ${label}-----\n${body.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----`;
}

/** Reads an Ed25519 public key (PEM or base64 SPKI DER). Throws with a short reason otherwise. */
export function importGatewayPublicKey(text: string): Promise<CryptoKey> {
  return importSPKI(pem(text, 'PUBLIC KEY'), ALG);
}

/** Reads an Ed25519 private key (PEM or base64 PKCS#8 DER). */
export function importGatewayPrivateKey(text: string): Promise<CryptoKey> {
  return importPKCS8(pem(text, 'PRIVATE KEY'), ALG);
}

/**
 * Delegation (peer lookups). A subgraph that must check, before it writes, a record another subgraph
 * holds (land: the dossier that decided a change) asks that peer directly, as the same caller. The
 * gateway, which alone can sign, sends with each fetch to such a subgraph one delegation token per
 * peer it declared (schema/registry.json `peers`, the gateway's `GATEWAY_SUBGRAPH_PEERS`): the
 * caller's claims, `aud` = the peer, `act: { sub: <the subgraph> }` (RFC 8693's actor claim) and
 * `peer_url` = the peer's address as the gateway knows it. The acting subgraph verifies the token
 * (so the address it calls is the gateway's, never a request's), then sends it to the peer as an
 * ordinary caller token; the peer applies its own row-level access to the caller and sees who acted
 * (`Caller.actor`). A delegated caller may only read: the kit refuses mutations from it.
 *
 * Header: `x-govgraph-peers: <peer>=<jwt>,<peer>=<jwt>` (JWTs and subgraph names never hold `=` or `,`).
 */
export const PEERS_HEADER = 'x-govgraph-peers';

/** Signs `caller` for one subgraph (with `actor` and `peerUrl`: a delegation token, see above). */
export function signCallerToken(
  caller: Caller,
  key: CryptoKey,
  options: { audience: string; requestId?: string; ttlSeconds?: number; actor?: string; peerUrl?: string },
): Promise<string> {
  const claims: Record<string, unknown> = { role: caller.role };
  if (options.actor !== undefined) claims.act = { sub: options.actor };
  if (options.peerUrl !== undefined) claims.peer_url = options.peerUrl;
  if (caller.agencyCode !== null) claims.agency = caller.agencyCode;
  if (caller.citizenId !== null) claims.citizen_id = caller.citizenId;
  if (caller.scopes.length > 0) claims.scope = caller.scopes.join(' ');
  if (options.requestId) claims.rid = options.requestId;
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: ALG, typ: 'govgraph-caller+jwt' })
    .setIssuer(GATEWAY_ISSUER)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(`${options.ttlSeconds ?? CALLER_TOKEN_TTL_SECONDS}s`);
  if (caller.subject !== null) jwt.setSubject(caller.subject);
  return jwt.sign(key);
}

/** Why a gateway token was refused (kept in the log; the client only sees 401). */
export class CallerTokenError extends Error {
  override name = 'CallerTokenError';
}

/** Verifies a gateway token addressed to subgraph `audience` and returns the caller it names. */
export async function verifyCallerToken(token: string, key: CryptoKey, audience: string): Promise<Caller> {
  return (await verifyWithExpiry(token, key, audience)).caller;
}

interface Verified {
  caller: Caller;
  expiresAt: number;
  /** A delegation token's `peer_url`. */
  peerUrl: string | null;
}

async function verifyWithExpiry(token: string, key: CryptoKey, audience: string): Promise<Verified> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: [ALG],
      issuer: GATEWAY_ISSUER,
      audience,
      typ: 'govgraph-caller+jwt',
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'iat'],
      // With the tolerance, a token is refused once older than MAX_AGE_SECONDS (however far its `exp`).
      maxTokenAge: CALLER_TOKEN_TTL_SECONDS,
    }));
  } catch (error) {
    throw new CallerTokenError((error as Error).message);
  }
  const role = payload.role;
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role))
    throw new CallerTokenError('unknown role');
  const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  const act = payload.act;
  const actor = typeof act === 'object' && act !== null ? text((act as { sub?: unknown }).sub) : null;
  if (act !== undefined && actor === null) throw new CallerTokenError('act must name the acting subgraph');
  const caller: Caller = Object.freeze({
    subject: text(payload.sub),
    role: role as Role,
    agencyCode: text(payload.agency),
    citizenId: text(payload.citizen_id),
    scopes: Object.freeze(text(payload.scope)?.split(' ').filter(Boolean) ?? []),
    ...(actor !== null ? { actor } : {}),
  });
  // Remembered no longer than a fresh verification would accept it: its `exp`, or its maximum age.
  const expiresAt = Math.min(payload.exp as number, (payload.iat as number) + MAX_AGE_SECONDS) * 1000;
  return { caller, expiresAt, peerUrl: text(payload.peer_url) };
}

const CACHE_LIMIT = 10_000;

/**
 * A subgraph's verifier: `verify(token)` resolves to the caller or throws CallerTokenError. The
 * gateway reuses a caller's token for half its lifetime (see `createCallerSigner`), so a verified
 * token is remembered while a fresh verification would still accept it — until its `exp` or its
 * maximum age (`iat` + CALLER_TOKEN_MAX_AGE_SECONDS), whichever comes first, so a token minted with a
 * far `exp` is not trusted past the age every token is held to: a signature check per caller and
 * half-minute, not per request.
 */
export function createCallerVerifier(
  publicKey: string,
  audience: string,
): { ready: Promise<unknown>; verify(token: string): Promise<Caller> } {
  const key = importGatewayPublicKey(publicKey);
  const known = new Map<string, Verified>();
  return {
    ready: key,
    async verify(token) {
      const hit = known.get(token);
      if (hit && hit.expiresAt > Date.now()) return hit.caller;
      const verified = await verifyWithExpiry(token, await key, audience);
      if (known.size >= CACHE_LIMIT) known.clear();
      known.set(token, verified);
      return verified.caller;
    },
  };
}

/**
 * Reads the `x-govgraph-peers` header (see "Delegation"): peer name → token. Malformed entries are
 * left out (the lookup then fails as "no delegation"), never guessed at.
 */
export function parsePeersHeader(value: string | undefined): Map<string, string> {
  const tokens = new Map<string, string>();
  for (const part of (value ?? '').split(',')) {
    const m = /^\s*([a-z][a-z0-9-]*)=([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\s*$/.exec(part);
    if (m) tokens.set(m[1]!, m[2]!);
  }
  return tokens;
}

/**
 * The acting subgraph's side of delegation: `verify(peer, token)` resolves to the peer's address the
 * gateway signed, or throws CallerTokenError. Verified tokens are remembered until they expire.
 */
export function createDelegationVerifier(
  publicKey: string,
  actor: string,
): { verify(peer: string, token: string): Promise<string> } {
  const key = importGatewayPublicKey(publicKey);
  const known = new Map<string, { peerUrl: string; expiresAt: number }>();
  return {
    async verify(peer, token) {
      const id = `${peer}\n${token}`;
      const hit = known.get(id);
      if (hit && hit.expiresAt > Date.now()) return hit.peerUrl;
      const { caller, expiresAt, peerUrl } = await verifyWithExpiry(token, await key, peer);
      if (caller.actor !== actor)
        throw new CallerTokenError(`the delegation does not name ${actor} as the actor`);
      if (peerUrl === null || !/^https?:\/\//.test(peerUrl)) throw new CallerTokenError('no peer_url');
      if (known.size >= CACHE_LIMIT) known.clear();
      known.set(id, { peerUrl, expiresAt });
      return peerUrl;
    },
  };
}

/**
 * The gateway's signer: `sign(caller, subgraph)` gives the token to send. A caller's token for a
 * subgraph is reused until half its lifetime has passed, so a subgraph sees at most one new token
 * per caller and half-minute (the request id travels in `x-request-id`).
 */
export function createCallerSigner(privateKey: string): {
  ready: Promise<unknown>;
  /** With `delegation`: a delegation token for peer `audience` (see "Delegation"). */
  sign(caller: Caller, audience: string, delegation?: { actor: string; peerUrl: string }): Promise<string>;
} {
  const key = importGatewayPrivateKey(privateKey);
  const issued = new Map<string, { token: Promise<string>; renewAt: number }>();
  return {
    ready: key,
    sign(caller, audience, delegation) {
      const id = `${audience}\n${caller.role}\n${caller.subject}\n${caller.agencyCode}\n${caller.citizenId}\n${caller.scopes.join(' ')}\n${delegation?.actor}\n${delegation?.peerUrl}`;
      const now = Date.now();
      const hit = issued.get(id);
      if (hit && hit.renewAt > now) return hit.token;
      if (issued.size >= CACHE_LIMIT) issued.clear();
      const token = key.then((k) => signCallerToken(caller, k, { audience, ...delegation }));
      issued.set(id, { token, renewAt: now + (CALLER_TOKEN_TTL_SECONDS * 1000) / 2 });
      token.catch(() => issued.delete(id));
      return token;
    },
  };
}
