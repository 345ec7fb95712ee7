-- Dossiers partitioned by year of receipt (received_at, Vietnam's year; docs/database.md "Partitioning
-- by year"): the scorecard and the lists read a period of receipt, so a year's query reads that year's
-- partition and ten years of history cost it nothing. Converts an existing table in place (this
-- migration's transaction; the table is locked while its rows are copied): the rows keep their ids,
-- the id sequence is kept (handed to the new table), every index is rebuilt once after the copy.
--
-- Keys. A primary or unique key of a partitioned table must contain the partition column, so the
-- table's own key is (id, received_at). What used to be unique on its own (id, code), and what other
-- tables reference (id), moves to `dossier_keys`, an ordinary table with one narrow row per dossier:
--   - id PRIMARY KEY and code UNIQUE there stay exactly as strict as before;
--   - dossier_steps, dossier_supplements, dossier_apologies and portal_sync_outbox keep a declarative
--     foreign key, now REFERENCES dossier_keys (id): no child table had to gain received_at;
--   - dossier_keys (id, received_at) REFERENCES dossiers ON UPDATE/DELETE CASCADE, so no key exists
--     without its dossier, and a trigger on dossiers writes the key row of every dossier inserted (and
--     follows a changed code), so no dossier exists without its key.
-- Nothing in the application changes: it inserts and reads `dossiers` as before.

DROP VIEW dossier_view;
ALTER TABLE dossiers RENAME TO dossiers_unpartitioned;
ALTER TABLE dossier_steps DROP CONSTRAINT dossier_steps_dossier_id_fkey;
ALTER TABLE dossier_supplements DROP CONSTRAINT dossier_supplements_dossier_id_fkey;
ALTER TABLE dossier_apologies DROP CONSTRAINT dossier_apologies_dossier_id_fkey;
ALTER TABLE portal_sync_outbox DROP CONSTRAINT portal_sync_outbox_dossier_id_fkey;
-- The old table's indexes, whose names the new table's take.
ALTER TABLE dossiers_unpartitioned DROP CONSTRAINT dossiers_pkey, DROP CONSTRAINT dossiers_code_key;
DROP INDEX dossiers_agency_received, dossiers_received, dossiers_procedure, dossiers_parcel,
  dossiers_agency_finished, dossiers_open, dossiers_applicant_received, dossiers_agency_stats,
  dossiers_closed_stay;

-- The same columns in the same order, defaults (the id sequence), generated days and CHECKs.
CREATE TABLE dossiers (
  LIKE dossiers_unpartitioned INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING CONSTRAINTS,
  PRIMARY KEY (id, received_at),
  FOREIGN KEY (agency_code) REFERENCES agencies (code),
  FOREIGN KEY (procedure_code) REFERENCES procedures (code)
) PARTITION BY RANGE (received_at);
ALTER SEQUENCE dossiers_id_seq OWNED BY dossiers.id;

-- Every year of the rows, this year and the next (later years: year_partitions_ensure at each start).
SELECT year_partitions_create('dossiers',
  least((SELECT min(extract(year FROM received_at AT TIME ZONE 'Asia/Ho_Chi_Minh'))::int FROM dossiers_unpartitioned),
        extract(year FROM now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::int),
  greatest((SELECT max(extract(year FROM received_at AT TIME ZONE 'Asia/Ho_Chi_Minh'))::int FROM dossiers_unpartitioned),
           extract(year FROM now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::int + 1));

INSERT INTO dossiers (id, code, agency_code, procedure_code, summary, applicant_kind, applicant_name,
                      applicant_id_number, applicant_phone, applicant_address, channel, status, received_at,
                      due_date, finished_at, returned_at, ended_at, parcel_id, result_document_id)
SELECT id, code, agency_code, procedure_code, summary, applicant_kind, applicant_name,
       applicant_id_number, applicant_phone, applicant_address, channel, status, received_at,
       due_date, finished_at, returned_at, ended_at, parcel_id, result_document_id
  FROM dossiers_unpartitioned;

CREATE TABLE dossier_keys (
  id          bigint      PRIMARY KEY,
  code        text        NOT NULL UNIQUE,
  received_at timestamptz NOT NULL
);
INSERT INTO dossier_keys (id, code, received_at) SELECT id, code, received_at FROM dossiers_unpartitioned;
ALTER TABLE dossier_keys ADD CONSTRAINT dossier_keys_dossier_fkey FOREIGN KEY (id, received_at)
  REFERENCES dossiers (id, received_at) ON UPDATE CASCADE ON DELETE CASCADE;

-- Upsert: an UPDATE that moves a dossier to another year's partition runs as a DELETE and an INSERT,
-- whose AFTER INSERT trigger meets the key row the cascade kept.
CREATE FUNCTION dossier_keys_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO dossier_keys (id, code, received_at) VALUES (NEW.id, NEW.code, NEW.received_at)
  ON CONFLICT (id) DO UPDATE SET code = EXCLUDED.code, received_at = EXCLUDED.received_at;
  RETURN NULL;
END
$$;
CREATE TRIGGER dossiers_keys AFTER INSERT OR UPDATE OF code ON dossiers
  FOR EACH ROW EXECUTE FUNCTION dossier_keys_write();

ALTER TABLE dossier_steps ADD CONSTRAINT dossier_steps_dossier_id_fkey
  FOREIGN KEY (dossier_id) REFERENCES dossier_keys (id);
ALTER TABLE dossier_supplements ADD CONSTRAINT dossier_supplements_dossier_id_fkey
  FOREIGN KEY (dossier_id) REFERENCES dossier_keys (id);
ALTER TABLE dossier_apologies ADD CONSTRAINT dossier_apologies_dossier_id_fkey
  FOREIGN KEY (dossier_id) REFERENCES dossier_keys (id);
ALTER TABLE portal_sync_outbox ADD CONSTRAINT portal_sync_outbox_dossier_id_fkey
  FOREIGN KEY (dossier_id) REFERENCES dossier_keys (id);

DROP TABLE dossiers_unpartitioned;

-- The indexes of 001–003, built once on the copied rows (each on every partition). The code's unique
-- index is dossier_keys'; this one finds the row by code.
SET LOCAL maintenance_work_mem = '256MB';
CREATE INDEX dossiers_code ON dossiers (code);
CREATE INDEX dossiers_agency_received ON dossiers (agency_code, received_at DESC, id DESC);
CREATE INDEX dossiers_received ON dossiers (received_at DESC, id DESC);
CREATE INDEX dossiers_procedure ON dossiers (procedure_code);
CREATE INDEX dossiers_parcel ON dossiers (parcel_id, received_at DESC, id DESC) WHERE parcel_id IS NOT NULL;
CREATE INDEX dossiers_agency_finished ON dossiers (agency_code, finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX dossiers_applicant_received ON dossiers (applicant_id_number, received_at DESC, id DESC);
-- The grid's two (003) also include received_at: db/stats.ts bounds it too, for pruning, and the scans
-- stay index-only.
CREATE INDEX dossiers_agency_stats ON dossiers (agency_code, received_on)
  INCLUDE (id, channel, status, due_date, finished_on, ended_on, received_at);
CREATE INDEX dossiers_open ON dossiers (agency_code, received_on)
  INCLUDE (id, channel, status, due_date, received_at) WHERE finished_on IS NULL AND ended_on IS NULL;
CREATE INDEX dossiers_closed_stay ON dossiers ((coalesce(finished_on, ended_on) - received_on))
  WHERE coalesce(finished_on, ended_on) IS NOT NULL;

CREATE VIEW dossier_view AS
SELECT d.*,
  CASE
    WHEN d.finished_at IS NOT NULL THEN
      CASE WHEN d.finished_at::date < d.due_date THEN 'TRUOC_HAN'
           WHEN d.finished_at::date = d.due_date THEN 'DUNG_HAN'
           ELSE 'QUA_HAN' END
    WHEN d.ended_at IS NOT NULL THEN NULL
    WHEN d.due_date < CURRENT_DATE THEN 'QUA_HAN'
    ELSE 'TRONG_HAN'
  END AS timeliness
FROM dossiers d;

SELECT year_partitions_name_indexes('dossiers');

-- Autovacuum never analyzes a partitioned parent: the planner's estimates for the whole table.
ANALYZE dossiers, dossier_keys;
