-- The report grid (dossierStats) at a million dossiers. The grid counts by day (in Vietnam's time, as
-- the rest of the API does): turning a timestamptz into a day in a time zone, row by row, cost the grid
-- ten times what reading the rows did, so each dossier's days are stored with it, kept by PostgreSQL.
ALTER TABLE dossiers
  ADD COLUMN received_on date GENERATED ALWAYS AS ((received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) STORED,
  ADD COLUMN finished_on date GENERATED ALWAYS AS ((finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) STORED,
  ADD COLUMN ended_on    date GENERATED ALWAYS AS ((ended_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) STORED;

-- Every scan the grid makes is an index-only range scan of one of these.
-- Dossiers of an agency by day of receipt, with every column the grid reads.
CREATE INDEX dossiers_agency_stats ON dossiers (agency_code, received_on)
  INCLUDE (id, channel, status, due_date, finished_on, ended_on);
-- Open dossiers of an agency (few: the ones in process), with the same columns.
DROP INDEX dossiers_open;
CREATE INDEX dossiers_open ON dossiers (agency_code, received_on)
  INCLUDE (id, channel, status, due_date) WHERE finished_on IS NULL AND ended_on IS NULL;
-- The longest stay, in days, of a closed dossier (max of this expression): it bounds how early a
-- dossier still in process when a period begins can have been received.
CREATE INDEX dossiers_closed_stay ON dossiers ((coalesce(finished_on, ended_on) - received_on))
  WHERE coalesce(finished_on, ended_on) IS NOT NULL;
