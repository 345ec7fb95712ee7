/**
 * The request context every subgraph resolver receives. The same shape in every subgraph, so access
 * rules are written once, in the kit: `caller` is the identity the gateway verified and signed for
 * this request (kit/identity.ts); a request without a valid gateway signature never reaches a resolver.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from './db';

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
}

export const ANONYMOUS: Caller = Object.freeze({
  subject: null,
  role: 'anonymous',
  agencyCode: null,
  citizenId: null,
  scopes: Object.freeze([]) as readonly string[],
});

export interface RequestContext<Loaders> {
  readonly requestId: string;
  readonly caller: Caller;
  readonly db: Database;
  /** DataLoaders created for this request only (never shared between requests). */
  readonly loaders: Loaders;
  readonly log: FastifyBaseLogger;
  readonly maxPageSize: number;
}
