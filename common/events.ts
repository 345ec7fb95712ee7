/**
 * The envelope of a domain event (docs/events.md "The envelope"), written once for everyone who
 * handles it: the kit's relay publishes it (kit/events/publisher.ts), the gateway reads it from the
 * stream (gateway/features/subscriptions/stream.ts) and sends it with a subscription's delivery, and a
 * subgraph's Subscription resolvers receive it as their root (kit/runtime/subscriptions.ts).
 *
 * Neutral code: the gateway and the kit both import it.
 */

export interface EventEnvelope {
  /** The event's stable id (a UUID): the same on every delivery of it. */
  readonly id: string;
  /** PascalCase, past tense: `DossierStatusChanged`. */
  readonly type: string;
  /** The subgraph that wrote it. */
  readonly source: string;
  /** Its order of writing in that subgraph's outbox (ascending, with gaps). */
  readonly sequence: number;
  /** When its transaction began (ISO 8601). */
  readonly recordedAt: string;
  readonly entity: { readonly typename: string; readonly key: Readonly<Record<string, string>> };
  readonly agencyCode: string | null;
  /** The agency, then its parent, up to the root. */
  readonly agencyPath: readonly string[];
  /** The citizens (CCCD) whose own record it is. */
  readonly citizenIds: readonly string[];
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * `value` as an envelope when it has the fields a receiver relies on (its id and type, an entity, the
 * agency path and citizen ids the access checks read), else undefined. Not a full validation: the
 * envelope comes from the event bus, which only the subgraphs' relays write to.
 */
export function asEventEnvelope(value: unknown): EventEnvelope | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const e = value as Partial<EventEnvelope>;
  const ok =
    typeof e.id === 'string' &&
    typeof e.type === 'string' &&
    typeof e.entity === 'object' &&
    e.entity !== null &&
    Array.isArray(e.agencyPath) &&
    Array.isArray(e.citizenIds);
  return ok ? (value as EventEnvelope) : undefined;
}
