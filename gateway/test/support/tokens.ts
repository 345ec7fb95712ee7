/**
 * Client tokens for the gateway's identity tests: an ES256 key pair for a test identity provider, and
 * a JWT it signs with the gateway's default issuer and audience (ten minutes).
 */
import { generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';

export const pair = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });

export function token(kid: string, key: KeyObject, claims: Record<string, unknown> = { role: 'analyst' }) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid })
    .setSubject(String(claims.sub ?? 'u-1'))
    .setIssuer('govgraph-dev')
    .setAudience('govgraph')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(key);
}
