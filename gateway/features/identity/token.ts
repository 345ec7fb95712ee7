/**
 * The identity feature's token checks: which algorithms may sign a client's JWT, how the static
 * development key is read, and which claims make a caller (docs/security.md "Identity").
 */
import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { JWTPayload } from 'jose';
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

export function staticKey(text: string): KeyObject {
  try {
    const trimmed = text.trim();
    if (trimmed.startsWith('{')) return createPublicKey({ key: JSON.parse(trimmed), format: 'jwk' });
    if (trimmed.startsWith('-----')) return createPublicKey(trimmed);
    return createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
  } catch {
    throw new ConfigError('GATEWAY_JWT_PUBLIC_KEY', 'must be a public key (PEM, base64 SPKI DER or JWK)');
  }
}
