/**
 * Who may call the registry: a client token verified exactly as the gateway verifies one (docs/
 * security.md "Identity"): the same asymmetric algorithms, issuer, audience and clock skew, a JWKS URL
 * or one static public key, and the same claims → caller rules (`callerFromClaims` of the gateway's
 * identity feature, reused, not copied). Partners, officials and administrators may call; the store
 * decides which subgraphs each may change.
 */
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import type { Caller } from '../common/identity';
import { BEARER, callerFromClaims, staticKey } from '../gateway/features/identity/token';
import type { RegistryConfig } from './config';
import { RegistryError } from './errors';

export type VerifyToken = (authorization: string | undefined) => Promise<Caller>;

const MAY_CALL = new Set<Caller['role']>(['partner', 'official', 'admin']);

export function createTokenVerifier(config: RegistryConfig): VerifyToken {
  const key = config.jwksUrl
    ? createRemoteJWKSet(new URL(config.jwksUrl))
    : config.jwtPublicKey
      ? staticKey(config.jwtPublicKey)
      : undefined;
  const options = {
    algorithms: config.jwtAlgorithms,
    issuer: config.jwtIssuer,
    audience: config.jwtAudience,
    clockTolerance: config.jwtClockSkew,
    requiredClaims: ['exp', 'sub'],
  };
  return async (authorization) => {
    if (authorization === undefined || authorization.trim() === '')
      throw new RegistryError('UNAUTHENTICATED', 'a token is required: Authorization: Bearer <JWT>');
    const match = BEARER.exec(authorization.trim());
    if (!match) throw new RegistryError('UNAUTHENTICATED', 'Authorization must be "Bearer <JWT>"');
    if (!key) throw new RegistryError('UNAUTHENTICATED', 'Invalid or expired token');
    let payload: JWTPayload;
    try {
      payload = (
        typeof key === 'function'
          ? await jwtVerify(match[1]!, key, options)
          : await jwtVerify(match[1]!, key, options)
      ).payload;
    } catch {
      throw new RegistryError('UNAUTHENTICATED', 'Invalid or expired token');
    }
    let caller: Caller;
    try {
      caller = callerFromClaims(payload);
    } catch (error) {
      throw new RegistryError('UNAUTHENTICATED', (error as Error).message);
    }
    if (!MAY_CALL.has(caller.role))
      throw new RegistryError('FORBIDDEN', `a ${caller.role} token may not use the registry`);
    return caller;
  };
}
