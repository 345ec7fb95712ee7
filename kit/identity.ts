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
 * Neutral code: the gateway and the kit both import it; it imports only the kit's context types.
 */
import { generateKeyPairSync } from 'node:crypto';
import { importPKCS8, importSPKI, jwtVerify, SignJWT } from 'jose';
import type { CryptoKey } from 'jose';
import { ROLES } from './context';
import type { Caller, Role } from './context';

export const CALLER_HEADER = 'x-govgraph-caller';
export const GATEWAY_ISSUER = 'govgraph-gateway';
const ALG = 'EdDSA';
/** Lifetime of a gateway token: long enough for one request's fetches, short enough to be useless later. */
export const CALLER_TOKEN_TTL_SECONDS = 60;
/** Clock skew tolerated between gateway and subgraph hosts. */
const CLOCK_TOLERANCE_SECONDS = 5;

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

/** Signs `caller` for one subgraph. */
export function signCallerToken(
  caller: Caller,
  key: CryptoKey,
  options: { audience: string; requestId?: string; ttlSeconds?: number },
): Promise<string> {
  const claims: Record<string, unknown> = { role: caller.role };
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
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: [ALG],
      issuer: GATEWAY_ISSUER,
      audience,
      typ: 'govgraph-caller+jwt',
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'iat'],
      maxTokenAge: CALLER_TOKEN_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS,
    }));
  } catch (error) {
    throw new CallerTokenError((error as Error).message);
  }
  const role = payload.role;
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role))
    throw new CallerTokenError('unknown role');
  const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  return Object.freeze({
    subject: text(payload.sub),
    role: role as Role,
    agencyCode: text(payload.agency),
    citizenId: text(payload.citizen_id),
    scopes: Object.freeze(text(payload.scope)?.split(' ').filter(Boolean) ?? []),
  });
}
