/**
 * Who may call the registry: a client token verified exactly as the gateway verifies one (docs/
 * security.md "Identity"), by the gateway's own verifier (`createTokenVerifier` of its identity
 * feature, reused, not copied): the same asymmetric algorithms, issuer, audience and clock skew, a
 * JWKS URL or one static public key, the same claims → caller rules. Partners, officials and
 * administrators may call; the store decides which subgraphs each may change.
 */
import type { Caller } from '../common/identity';
import { createTokenVerifier, TokenRefused } from '../gateway/features/identity/token';
import type { RegistryConfig } from './config';
import { RegistryError } from './errors';

export type VerifyToken = (authorization: string | undefined) => Promise<Caller>;

const MAY_CALL = new Set<Caller['role']>(['partner', 'official', 'admin']);

export function registryTokenVerifier(config: RegistryConfig): VerifyToken {
  const tokens = createTokenVerifier('REGISTRY_', config.tokens);
  return async (authorization) => {
    if (authorization === undefined || authorization.trim() === '')
      throw new RegistryError('UNAUTHENTICATED', 'a token is required: Authorization: Bearer <JWT>');
    let caller: Caller;
    try {
      caller = await tokens.verify(authorization);
    } catch (error) {
      if (error instanceof TokenRefused) throw new RegistryError('UNAUTHENTICATED', error.message);
      throw error;
    }
    if (!MAY_CALL.has(caller.role))
      throw new RegistryError('FORBIDDEN', `a ${caller.role} token may not use the registry`);
    return caller;
  };
}
