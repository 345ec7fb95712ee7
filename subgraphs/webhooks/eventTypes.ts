/**
 * The domain event types a webhook may receive (docs/events.md) and the scope a partner needs for
 * each: the read scope of the system that emits it, as for reading that system's records
 * (kit/runtime/access.ts: a partner with `<system>:read` reads its agency's subtree).
 */
export const EVENT_SCOPES = {
  DossierStatusChanged: 'dossiers:read',
  DocumentReceived: 'documents:read',
  DocumentPublished: 'documents:read',
  BudgetExecutionPosted: 'budgets:read',
  LandChangeRegistered: 'land:read',
} as const satisfies Record<string, string>;

export type WebhookEventTypeName = keyof typeof EVENT_SCOPES;

export const isKnownEventType = (type: string): type is WebhookEventTypeName =>
  Object.prototype.hasOwnProperty.call(EVENT_SCOPES, type);

/** The scope an event type needs; null for a type no webhook may receive. */
export const scopeOf = (type: string): string | null => (isKnownEventType(type) ? EVENT_SCOPES[type] : null);
