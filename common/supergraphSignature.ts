/**
 * Signed supergraphs (issue 19): the schema registry signs each supergraph it composes with its
 * Ed25519 private key and serves the signature beside the document, in the `x-govgraph-signature`
 * header (base64, over the document's UTF-8 bytes exactly as served). A gateway given the registry's
 * public key (`GATEWAY_SUPERGRAPH_PUBLIC_KEY`) refuses a supergraph whose signature is missing or does
 * not verify, so whoever can change the document on the way (a cache, an object store, a proxy) cannot
 * change what the gateways serve.
 *
 * Keys travel as text as the caller-token keys do (common/identity.ts): PEM, or the base64 of the DER
 * body (SPKI public, PKCS#8 private). Neutral code: the registry signs, the gateway verifies.
 */
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-govgraph-signature';

function keyObject(text: string, kind: 'public' | 'private'): KeyObject {
  const trimmed = text.trim();
  const key =
    kind === 'public'
      ? trimmed.startsWith('-----')
        ? createPublicKey(trimmed)
        : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' })
      : trimmed.startsWith('-----')
        ? createPrivateKey(trimmed)
        : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`not an Ed25519 ${kind} key`);
  return key;
}

/** Reads an Ed25519 public key (PEM or base64 SPKI DER); throws a short reason otherwise. */
export function importSupergraphPublicKey(text: string): KeyObject {
  try {
    return keyObject(text, 'public');
  } catch (error) {
    throw new Error(`must be an Ed25519 public key (PEM or base64 SPKI DER): ${(error as Error).message}`);
  }
}

/** Reads an Ed25519 private key (PEM or base64 PKCS#8 DER); throws a short reason otherwise. */
export function importSupergraphPrivateKey(text: string): KeyObject {
  try {
    return keyObject(text, 'private');
  } catch (error) {
    throw new Error(`must be an Ed25519 private key (PEM or base64 PKCS#8 DER): ${(error as Error).message}`);
  }
}

/** The public half of a private key, as base64 SPKI DER (what gateways are given). */
export function publicKeyOf(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).toString('base64');
}

/** The base64 Ed25519 signature of `sdl`. */
export function signSupergraph(sdl: string, privateKey: KeyObject): string {
  return sign(null, Buffer.from(sdl, 'utf8'), privateKey).toString('base64');
}

/** Why a supergraph was refused, or null when `signature` verifies `sdl` under `publicKey`. */
export function supergraphSignatureProblem(
  sdl: string,
  signature: string | null | undefined,
  publicKey: KeyObject,
): string | null {
  if (signature === null || signature === undefined || signature.trim() === '')
    return `unsigned: no ${SIGNATURE_HEADER}`;
  const bytes = Buffer.from(signature.trim(), 'base64');
  if (bytes.length !== 64) return 'the signature is not a base64 Ed25519 signature';
  return verify(null, Buffer.from(sdl, 'utf8'), publicKey, bytes)
    ? null
    : 'the signature does not verify (tampered, or signed with another key)';
}
