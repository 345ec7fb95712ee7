-- Sync with the national public-service portal (docs/interop.md "National portal sync"): every step of
-- a dossier (its receipt, each status change) writes one outbox row in the step's own transaction, so a
-- crash between the commit and the send loses nothing. The row names the step; the payload is built
-- from the dossier and the step when it is sent (no copy of the applicant's personal data here).
CREATE TABLE portal_sync_outbox (
  id              bigserial PRIMARY KEY,
  dossier_id      bigint NOT NULL REFERENCES dossiers (id),
  step_seq        int    NOT NULL,
  kind            text   NOT NULL CHECK (kind IN ('DongBoHoSoMC','CapNhatTienDoHoSoMC')),
  state           text   NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING','SENT','DEAD')),
  attempts        int    NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz,
  UNIQUE (dossier_id, step_seq, kind)
);
-- The sender takes the oldest unsent row of each dossier (order per dossier), due rows first.
CREATE INDEX portal_sync_outbox_unsent ON portal_sync_outbox (dossier_id, id) WHERE state <> 'SENT';
