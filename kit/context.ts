/**
 * The request context every subgraph resolver receives. The same shape in every subgraph, so access
 * rules (caller identity from gateway-signed headers) can be added once, in the kit.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from './db';

/** Who is calling. Filled from the gateway's signed identity headers once access control lands. */
export interface Caller {
  readonly subject: string | null;
  readonly roles: readonly string[];
  readonly agencyCode: string | null;
  readonly scopes: readonly string[];
}

export const ANONYMOUS: Caller = Object.freeze({
  subject: null,
  roles: ['anonymous'],
  agencyCode: null,
  scopes: [],
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
