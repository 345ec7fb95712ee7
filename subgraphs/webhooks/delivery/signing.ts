/**
 * Ed25519 signatures of deliveries (docs/webhooks.md "Verifying a delivery"): the signed text is
 * `<timestamp>.<body>`, the timestamp in Unix seconds as sent in `govgraph-timestamp`, the body the
 * exact bytes POSTed; the signature is base64 in `govgraph-signature`, the key's id in `govgraph-key-id`.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export interface SigningKey {
  readonly keyId: string;
  readonly privateKey: KeyObject;
  /** PEM (SPKI), as published in the graph (`webhookSigningKeys`). */
  readonly publicKeyPem: string;
}

/** The first 16 hex digits of the SHA-256 of the public key's DER (SPKI) form. */
export const keyIdOf = (publicKey: KeyObject): string =>
  createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('hex')
    .slice(0, 16);

/** A signing key from a PEM (PKCS#8) Ed25519 private key; throws naming what is wrong. */
export function signingKeyFromPem(pem: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem.replace(/\\n/g, '\n'));
  } catch {
    throw new Error('not a PEM private key');
  }
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new Error(`an Ed25519 key is needed, got ${privateKey.asymmetricKeyType ?? 'another kind'}`);
  const publicKey = createPublicKey(privateKey);
  return {
    keyId: keyIdOf(publicKey),
    privateKey,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/** A fresh key pair (outside production when none is configured; tests). */
export function generateSigningKey(): SigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  return signingKeyFromPem(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
}

export const signDelivery = (key: SigningKey, timestamp: number, body: string): string =>
  sign(null, Buffer.from(`${timestamp}.${body}`), key.privateKey).toString('base64');

/** What a receiver does (the Node sample of docs/webhooks.md), used by the tests. */
export const verifyDelivery = (
  publicKeyPem: string,
  timestamp: string,
  body: string,
  signature: string,
): boolean =>
  verify(
    null,
    Buffer.from(`${timestamp}.${body}`),
    createPublicKey(publicKeyPem),
    Buffer.from(signature, 'base64'),
  );
