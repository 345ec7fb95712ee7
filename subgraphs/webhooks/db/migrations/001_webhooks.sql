-- Webhooks of partner agencies (docs/webhooks.md): what a partner registered, one delivery row per
-- (event, webhook), and the public halves of the keys deliveries are signed with.
CREATE TABLE webhooks (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- The partner agency that owns it (its tokens' `agency` claim); every token of that partner manages it.
  partner_agency text NOT NULL,
  -- The scopes of the token that registered it: an event is delivered only when its type's scope is one.
  scopes         text[] NOT NULL,
  url            text NOT NULL,
  event_types    text[] NOT NULL CHECK (cardinality(event_types) > 0),
  description    text,
  created_by     text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  disabled_at    timestamptz
);
CREATE INDEX webhooks_partner ON webhooks (partner_agency, created_at);
-- The consumer's match: enabled webhooks by event type.
CREATE INDEX webhooks_enabled_types ON webhooks USING gin (event_types) WHERE disabled_at IS NULL;

CREATE TABLE webhook_deliveries (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  webhook_id      uuid NOT NULL REFERENCES webhooks (id),
  event_id        uuid NOT NULL,
  event_type      text NOT NULL,
  -- The envelope exactly as read from the stream: the body POSTed and signed, byte for byte.
  body            text NOT NULL,
  event_recorded_at timestamptz NOT NULL,
  status          text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'DEAD')),
  attempts        int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_attempt_at timestamptz,
  last_status_code int,
  last_error      text,
  delivered_at    timestamptz,
  replays         int NOT NULL DEFAULT 0,
  created_at      timestamptz NOT NULL DEFAULT now(),
  -- Idempotent by event id: a stream entry read again records no second delivery.
  UNIQUE (event_id, webhook_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, created_at DESC);

CREATE TABLE webhook_signing_keys (
  key_id     text PRIMARY KEY,
  public_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz NOT NULL DEFAULT now()
);
