-- The domain-event outbox (kit/events, docs/events.md): a subgraph's mutation inserts its events here
-- in its own transaction, so an event exists exactly when its change was committed; the relay in the
-- subgraph's process delivers them to a Redis Stream, oldest first, and marks them delivered.
CREATE TABLE event_outbox (
  -- Order of insertion within this subgraph's database; the relay delivers in this order.
  seq             bigserial PRIMARY KEY,
  -- The event's stable id: the same on every delivery of it, for receivers to de-duplicate by.
  id              uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
  type            text NOT NULL CHECK (type ~ '^[A-Z][A-Za-z]+$'),
  -- The entity the event is about: its GraphQL typename and key fields.
  entity_typename text NOT NULL,
  entity_key      jsonb NOT NULL,
  -- Who may see it (the row rules a receiver applies): the record's agency and every agency above it
  -- (an official of any of them has it in its subtree), and the citizens it is about.
  agency_code     text,
  agency_path     text[] NOT NULL DEFAULT '{}',
  citizen_ids     text[] NOT NULL DEFAULT '{}',
  data            jsonb NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  -- Delivery: attempts so far, the next one not before, the last failure, and once delivered, when
  -- and under which stream entry id.
  attempts        int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  delivered_at    timestamptz,
  stream_id       text
);

-- The relay's question, "what is due", reads only the undelivered rows.
CREATE INDEX event_outbox_due ON event_outbox (seq) WHERE delivered_at IS NULL;
