/**
 * The identity feature's token checks: which algorithms may sign a client's JWT, how the static
 * development key is read, which claims make a caller (docs/security.md "Identity"), and the token
 * settings and verifier every service that takes client tokens shares — the gateway's `GATEWAY_JWT_*`
 * and the registry's `REGISTRY_JWT_*` are one set of settings under two prefixes, checked one way.
 */
import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { JWTPayload, RemoteJWKSetOptions } from 'jose';
import { ConfigError, env } from '../../../common/env';
import type { Caller } from '../../../common/identity';
import { ErrorCode } from '../../../schema/error-codes';

/** Asymmetric algorithms only: an HMAC algorithm would let the public key act as a secret. */
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const TOKEN_ROLES = ['citizen', 'official', 'analyst', 'partner', 'admin'] as const;
const AGENCY_CODE = /^[0-9A-Z]{2,3}(?:\.[0-9A-Z]{2,3}){3}$/;
const CITIZEN_ID = /^\d{12}$/;
export const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/i;

export function algorithms() {
  return env.text().transform((raw, ctx) => {
    const list = raw.split(',').map((a) => a.trim());
    const bad = list.find((a) => !ASYMMETRIC.includes(a));
    if (bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `must list only ${ASYMMETRIC.join(', ')}, got "${bad}"` });
    }
    return list;
  });
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: ErrorCode.UNAUTHENTICATED,
      http: { status: 401, headers: new HeaderMap([['www-authenticate', 'Bearer error="invalid_token"']]) },
    },
  });
}

/** The caller a verified token names; 401 when its claims do not make a caller. */
export function callerFromClaims(payload: JWTPayload): Caller {
  const str = (name: string): string | null => {
    const v = payload[name];
    return typeof v === 'string' && v !== '' ? v : null;
  };
  const role = str('role');
  if (typeof payload.sub !== 'string' || payload.sub === '') throw unauthenticated('Token has no subject');
  if (role === null || !(TOKEN_ROLES as readonly string[]).includes(role))
    throw unauthenticated(`Token role must be one of ${TOKEN_ROLES.join(', ')}`);
  const agency = str('agency');
  const citizenId = str('citizen_id');
  if (role === 'citizen' && (citizenId === null || !CITIZEN_ID.test(citizenId)))
    throw unauthenticated('A citizen token needs citizen_id (12 digits)');
  if ((role === 'official' || role === 'partner') && (agency === null || !AGENCY_CODE.test(agency)))
    throw unauthenticated(`An ${role} token needs agency (an agency code)`);
  return Object.freeze({
    subject: payload.sub,
    role: role as Caller['role'],
    agencyCode: role === 'citizen' ? null : agency,
    citizenId: role === 'citizen' ? citizenId : null,
    scopes: Object.freeze(role === 'partner' ? (str('scope')?.split(' ').filter(Boolean) ?? []) : []),
  });
}

export function staticKey(text: string, setting = 'GATEWAY_JWT_PUBLIC_KEY'): KeyObject {
  try {
    const trimmed = text.trim();
    if (trimmed.startsWith('{')) return createPublicKey({ key: JSON.parse(trimmed), format: 'jwk' });
    if (trimmed.startsWith('-----')) return createPublicKey(trimmed);
    return createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
  } catch {
    throw new ConfigError(setting, 'must be a public key (PEM, base64 SPKI DER or JWK)');
  }
}

const JWT_SETTINGS = {
  /** The identity provider's JWKS (production). */
  JWT_JWKS_URL: env.httpUrl().optional(),
  /** One static public key (development; `npm start` sets the dev key of `npm run token`). */
  JWT_PUBLIC_KEY: env.text().optional(),
  /** Required `iss`. */
  JWT_ISSUER: env.text().default('govgraph-dev'),
  /** Required `aud`. */
  JWT_AUDIENCE: env.text().default('govgraph'),
  /** Accepted algorithms, comma-separated; asymmetric only. */
  JWT_ALGORITHMS: algorithms().default(['RS256', 'PS256', 'ES256', 'EdDSA']),
  /** Clock skew tolerated on `exp`/`nbf`/`iat`, seconds. */
  JWT_CLOCK_SKEW: env.integer(0, 300).default(30),
};
type Prefixed<P extends string, S> = { [K in keyof S & string as `${P}${K}`]: S[K] };

/** The client-token settings under a service's prefix: `jwtSettings('GATEWAY_')` → GATEWAY_JWT_ISSUER, …. */
export function jwtSettings<P extends string>(prefix: P): Prefixed<P, typeof JWT_SETTINGS> {
  return Object.fromEntries(Object.entries(JWT_SETTINGS).map(([k, v]) => [`${prefix}${k}`, v])) as Prefixed<
    P,
    typeof JWT_SETTINGS
  >;
}

/** The values of `jwtSettings(prefix)`, read. */
export interface TokenSettings {
  jwksUrl?: string | undefined;
  publicKey?: string | undefined;
  issuer: string;
  audience: string;
  algorithms: string[];
  clockSkew: number;
}

/** A token refused; `message` is what the client may be told, `reason` what only the log says. */
export class TokenRefused extends Error {
  constructor(
    message: string,
    readonly reason?: string,
  ) {
    super(message);
  }
}

export interface TokenVerifier {
  /** False when neither a JWKS URL nor a key is set: every token is refused. */
  readonly hasKey: boolean;
  /** The caller an `Authorization: Bearer <JWT>` value names; throws TokenRefused. */
  verify(authorization: string): Promise<Caller>;
}

/**
 * Verifies client tokens as settings `prefix`JWT_* say: pinned asymmetric algorithms, issuer,
 * audience, clock skew, `exp` and `sub` required, a JWKS (`jwks`: its cache and timeouts) or a
 * static key. A misconfiguration is a ConfigError naming the service's own setting.
 */
export function createTokenVerifier(
  prefix: string,
  settings: TokenSettings,
  jwks?: RemoteJWKSetOptions,
): TokenVerifier {
  if (settings.jwksUrl && settings.publicKey)
    throw new ConfigError(`${prefix}JWT_PUBLIC_KEY`, `set either it or ${prefix}JWT_JWKS_URL, not both`);
  const key = settings.jwksUrl
    ? createRemoteJWKSet(new URL(settings.jwksUrl), jwks)
    : settings.publicKey
      ? staticKey(settings.publicKey, `${prefix}JWT_PUBLIC_KEY`)
      : undefined;
  const options = {
    algorithms: settings.algorithms,
    issuer: settings.issuer,
    audience: settings.audience,
    clockTolerance: settings.clockSkew,
    requiredClaims: ['exp', 'sub'],
  };
  return {
    hasKey: key !== undefined,
    async verify(authorization) {
      const match = BEARER.exec(authorization.trim());
      if (!match) throw new TokenRefused('Authorization must be "Bearer <JWT>"');
      if (!key) throw new TokenRefused('Invalid or expired token');
      let payload: JWTPayload;
      try {
        // The overloads differ only in the key's type; both verify the same way.
        payload = (
          typeof key === 'function'
            ? await jwtVerify(match[1]!, key, options)
            : await jwtVerify(match[1]!, key, options)
        ).payload;
      } catch (err) {
        throw new TokenRefused('Invalid or expired token', (err as { code?: string }).code ?? String(err));
      }
      try {
        return callerFromClaims(payload);
      } catch (err) {
        throw new TokenRefused((err as Error).message);
      }
    },
  };
}
