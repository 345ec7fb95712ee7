/**
 * The request context every subgraph resolver receives. The same shape in every subgraph, so access
 * rules are written once, in the kit: `caller` is the identity the gateway verified and signed for
 * this request (common/identity.ts); a request without a valid gateway signature never reaches a resolver.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { EventEnvelope } from '../../common/events';
import type { Caller } from '../../common/identity';
import type { Access } from './access';
import type { AuditTrail } from './auditlog/trail';
import type { Database } from './db';
import type { Peers } from './peers';

export { ANONYMOUS, ROLES } from '../../common/identity';
export type { Caller, Role } from '../../common/identity';

export interface RequestContext<Loaders> {
  readonly requestId: string;
  readonly caller: Caller;
  readonly db: Database;
  /** DataLoaders created for this request only (never shared between requests). */
  readonly loaders: Loaders;
  readonly log: FastifyBaseLogger;
  readonly maxPageSize: number;
  /** What this request disclosed of personal data (kit/runtime/auditlog/trail.ts). */
  readonly audit: AuditTrail;
  /** What this caller may read and write in this subgraph (kit/runtime/access.ts). */
  readonly access: Access;
  /** Lookups in other subgraphs, as this caller, for checks before a write (kit/runtime/peers.ts). */
  readonly peers: Peers;
  /**
   * A subscription's delivery only (kit/runtime/subscriptions.ts): the event the gateway runs the
   * subscription's selection for; it is also the Subscription fields' root value.
   */
  readonly event?: EventEnvelope;
}
