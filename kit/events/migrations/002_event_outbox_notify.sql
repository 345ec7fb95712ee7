-- Wakes the relay when events are committed (kit/events/listen.ts): one notification per statement
-- that wrote events, delivered by PostgreSQL at COMMIT only (never for a rolled-back transaction), and
-- folded into one when a transaction sends several. The relay still polls, so a notification missed
-- (its listening connection lost) only delays an event until the next poll.
CREATE FUNCTION event_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('govgraph_event_outbox', '');
  RETURN NULL;
END $$;

CREATE TRIGGER event_outbox_notify AFTER INSERT ON event_outbox
  FOR EACH STATEMENT EXECUTE FUNCTION event_outbox_notify();
