/**
 * The development token key pair: an Ed25519 pair generated on first use under `<data dir>/keys/`
 * (data/ is git-ignored; the private key file is readable by its owner only). `npm run token` signs
 * with the private key; `npm start` gives the gateway the public key as GATEWAY_JWT_PUBLIC_KEY when
 * no real identity provider (GATEWAY_JWT_JWKS_URL) is configured. Never used in production.
 */
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SignJWT } from 'jose';

export const DEV_ISSUER = 'govgraph-dev';
export const DEV_AUDIENCE = 'govgraph';

export interface DevKeys {
  /** PKCS#8 PEM. */
  privateKey: string;
  /** SPKI PEM. */
  publicKey: string;
}

export function devTokenKeys(dataDir: string): DevKeys {
  const dir = path.join(dataDir, 'keys');
  const privateFile = path.join(dir, 'dev-jwt.private.pem');
  const publicFile = path.join(dir, 'dev-jwt.public.pem');
  if (!existsSync(privateFile) || !existsSync(publicFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    writeFileSync(privateFile, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    writeFileSync(publicFile, publicKey.export({ format: 'pem', type: 'spki' }));
  }
  return { privateKey: readFileSync(privateFile, 'utf8'), publicKey: readFileSync(publicFile, 'utf8') };
}

/**
 * A development token for the gateway `npm start` runs with the dev keys of `dataDir`: claims as the
 * docs/security.md (Identity) lists them (`role`, `agency`, `citizen_id`, `scope`).
 */
export function signDevToken(
  dataDir: string,
  claims: { role: string; agency?: string; citizen_id?: string; scope?: string },
  options: { subject?: string; ttlSeconds?: number } = {},
): Promise<string> {
  const keys = devTokenKeys(dataDir);
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
    .setSubject(options.subject ?? `dev-${claims.role}`)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${options.ttlSeconds ?? 3600}s`)
    .sign(createPrivateKey(keys.privateKey));
}
