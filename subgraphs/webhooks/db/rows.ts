/** Row shapes resolvers receive (camelCase, as the select lists in db/ alias them). */

export interface WebhookRow {
  id: string;
  partnerAgency: string;
  scopes: string[];
  url: string;
  eventTypes: string[];
  description: string | null;
  createdAt: Date;
  disabledAt: Date | null;
}

export interface DeliveryRow {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  body: string;
  eventRecordedAt: Date;
  status: 'PENDING' | 'DELIVERED' | 'DEAD';
  attempts: number;
  nextAttemptAt: Date;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  replays: number;
}

export interface DeliveryCountsRow {
  webhookId: string;
  pending: number;
  delivered: number;
  dead: number;
}

export interface SigningKeyRow {
  keyId: string;
  publicKeyPem: string;
  createdAt: Date;
  lastUsedAt: Date;
}

export interface ReplayValue {
  requeued: number;
  webhook: WebhookRow;
}
