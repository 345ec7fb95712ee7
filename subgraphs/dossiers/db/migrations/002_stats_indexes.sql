-- The report grid (dossierStats) at a million dossiers: every scan it makes is an index-only range scan.
-- Dossiers of an agency by receipt, with every column the grid reads.
CREATE INDEX dossiers_agency_stats ON dossiers (agency_code, received_at)
  INCLUDE (id, channel, status, due_date, finished_at, ended_at);
-- Open dossiers of an agency (few: the ones in process), with the same columns.
DROP INDEX dossiers_open;
CREATE INDEX dossiers_open ON dossiers (agency_code, received_at)
  INCLUDE (id, channel, status, due_date) WHERE finished_at IS NULL AND ended_at IS NULL;
-- The longest stay of a closed dossier (max of this expression), which bounds how early a dossier
-- still in process at the start of a period can have been received.
CREATE INDEX dossiers_closed_stay ON dossiers ((coalesce(finished_at, ended_at) - received_at))
  WHERE coalesce(finished_at, ended_at) IS NOT NULL;
