-- The distribution column of the national case (docs/citus.md): every table of the dossiers family
-- gains `org_root`, the province (or ministry) of the dossier's agency, and its keys and foreign keys
-- include it. Ordinary PostgreSQL, correct without Citus; on Citus these are the keys it can enforce.
--
-- Filled on insert: nothing in the application names the column. A BEFORE INSERT trigger fills it
-- when the row leaves it out (`WHEN (NEW.org_root IS NULL)`): from the agency code on `dossiers`,
-- `dossier_code_counters` and `online_service_plans`, from the dossier's key row on its children. A
-- CHECK keeps it equal to the agency's (a dossier never moves to another province: an UPDATE of
-- agency_code across provinces is refused, as Citus refuses an UPDATE of the distribution column).
--
-- Keys. `org_root` is added at the END of each key: the existing lookups (by id, by dossier_id, by
-- code) still lead with their column and use the same index; a key is as strict as before wherever
-- `org_root` follows from the other columns (children: from dossier_id; codes: from the code), and
-- for the ids drawn from sequences (dossier_keys.id, portal_sync_outbox.id) uniqueness rests on the
-- sequence, as it will on Citus (docs/citus.md "Keys and constraints that must change").
--
-- Backfill: a column added as GENERATED ... STORED is computed in the one rewrite that ALTER TABLE
-- makes of the table (its indexes rebuilt once, no dead rows), then DROP EXPRESSION leaves a plain
-- column with those values (Citus routes by a stored column the INSERT names: it cannot distribute by
-- a generated one). The children have no agency code: they are filled from dossier_keys, by an UPDATE
-- with their primary key dropped first (so no index is maintained row by row), or, for dossier_steps,
-- by a copy.

-- 1. dossiers (partitioned by year): the column, its CHECK and trigger, the key (id, received_at, org_root).
ALTER TABLE dossier_steps DROP CONSTRAINT dossier_steps_dossier_id_fkey;
ALTER TABLE dossier_supplements DROP CONSTRAINT dossier_supplements_dossier_id_fkey;
ALTER TABLE dossier_apologies DROP CONSTRAINT dossier_apologies_dossier_id_fkey;
ALTER TABLE portal_sync_outbox DROP CONSTRAINT portal_sync_outbox_dossier_id_fkey;
ALTER TABLE dossier_keys DROP CONSTRAINT dossier_keys_dossier_fkey;

SET LOCAL maintenance_work_mem = '256MB';
ALTER TABLE dossiers
  ADD COLUMN org_root text NOT NULL GENERATED ALWAYS AS (agency_org_root(agency_code)) STORED;
ALTER TABLE dossiers ALTER COLUMN org_root DROP EXPRESSION;
ALTER TABLE dossiers
  ADD CONSTRAINT dossiers_org_root CHECK (org_root = agency_org_root(agency_code)),
  DROP CONSTRAINT dossiers_pkey,
  ADD CONSTRAINT dossiers_pkey PRIMARY KEY (id, received_at, org_root);
CREATE TRIGGER dossiers_org_root BEFORE INSERT ON dossiers
  FOR EACH ROW WHEN (NEW.org_root IS NULL) EXECUTE FUNCTION org_root_from_agency();
SELECT year_partitions_name_indexes('dossiers');
-- The view lists the table's columns as they were when it was made: made again, it carries org_root.
DROP VIEW dossier_view;
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

-- 2. dossier_keys: filled from the code (which starts with the agency code); code stays unique, as
-- strict as before (org_root follows from it).
ALTER TABLE dossier_keys
  ADD COLUMN org_root text NOT NULL GENERATED ALWAYS AS (agency_org_root(split_part(code, '-', 1))) STORED;
ALTER TABLE dossier_keys ALTER COLUMN org_root DROP EXPRESSION;
ALTER TABLE dossier_keys
  ADD CONSTRAINT dossier_keys_org_root CHECK (org_root = agency_org_root(split_part(code, '-', 1))),
  DROP CONSTRAINT dossier_keys_pkey,
  ADD CONSTRAINT dossier_keys_pkey PRIMARY KEY (id, org_root),
  DROP CONSTRAINT dossier_keys_code_key,
  ADD CONSTRAINT dossier_keys_code_key UNIQUE (code, org_root),
  ADD CONSTRAINT dossier_keys_dossier_fkey FOREIGN KEY (id, received_at, org_root)
    REFERENCES dossiers (id, received_at, org_root) ON UPDATE CASCADE ON DELETE CASCADE;

-- The key row of every dossier inserted (006), now with its org_root; the upsert's arbiter is the key.
CREATE OR REPLACE FUNCTION dossier_keys_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO dossier_keys (id, code, received_at, org_root)
  VALUES (NEW.id, NEW.code, NEW.received_at, NEW.org_root)
  ON CONFLICT (id, org_root) DO UPDATE SET code = EXCLUDED.code, received_at = EXCLUDED.received_at;
  RETURN NULL;
END
$$;

-- 3. The dossier's children: org_root from the dossier's key row, keys (…, org_root), foreign keys
-- (dossier_id, org_root) REFERENCES dossier_keys (id, org_root). The trigger fills the column from
-- the key row; a dossier that does not exist is refused as the foreign key refused it before
-- (SQLSTATE 23503), not as a NULL org_root.
CREATE FUNCTION dossier_child_org_root() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT k.org_root INTO NEW.org_root FROM dossier_keys k WHERE k.id = NEW.dossier_id;
  IF NOT FOUND THEN
    RAISE foreign_key_violation USING
      MESSAGE = format('insert or update on table "%s" violates foreign key constraint "%s_dossier_id_fkey"',
                       TG_TABLE_NAME, TG_TABLE_NAME),
      DETAIL = format('Key (dossier_id)=(%s) is not present in table "dossier_keys".', NEW.dossier_id);
  END IF;
  RETURN NEW;
END
$$;

-- dossier_steps, the largest table (four steps a dossier), is copied rather than updated: an UPDATE of
-- every row leaves a dead version of each and doubles the table on disk (874 MB → 1.8 GB at 1M
-- dossiers, which VACUUM does not give back). It has no index but its key, no sequence, view or
-- trigger; the grants are made again after every migration run (kit/runtime/roles.ts). A step whose
-- dossier has no key row cannot exist (foreign key), and would fail NOT NULL here rather than be lost.
CREATE TABLE dossier_steps_org_root (LIKE dossier_steps INCLUDING DEFAULTS INCLUDING CONSTRAINTS, org_root text NOT NULL);
INSERT INTO dossier_steps_org_root
SELECT s.*, k.org_root FROM dossier_steps s LEFT JOIN dossier_keys k ON k.id = s.dossier_id;
DROP TABLE dossier_steps;
ALTER TABLE dossier_steps_org_root RENAME TO dossier_steps;
ALTER TABLE dossier_steps
  ADD CONSTRAINT dossier_steps_pkey PRIMARY KEY (dossier_id, seq, org_root),
  ADD CONSTRAINT dossier_steps_dossier_id_fkey FOREIGN KEY (dossier_id, org_root)
    REFERENCES dossier_keys (id, org_root);
CREATE TRIGGER dossier_steps_org_root BEFORE INSERT ON dossier_steps
  FOR EACH ROW WHEN (NEW.org_root IS NULL) EXECUTE FUNCTION dossier_child_org_root();

ALTER TABLE dossier_supplements DROP CONSTRAINT dossier_supplements_pkey, ADD COLUMN org_root text;
UPDATE dossier_supplements c SET org_root = k.org_root FROM dossier_keys k WHERE k.id = c.dossier_id;
ALTER TABLE dossier_supplements
  ALTER COLUMN org_root SET NOT NULL,
  ADD CONSTRAINT dossier_supplements_pkey PRIMARY KEY (dossier_id, seq, org_root),
  ADD CONSTRAINT dossier_supplements_dossier_id_fkey FOREIGN KEY (dossier_id, org_root)
    REFERENCES dossier_keys (id, org_root);
CREATE TRIGGER dossier_supplements_org_root BEFORE INSERT ON dossier_supplements
  FOR EACH ROW WHEN (NEW.org_root IS NULL) EXECUTE FUNCTION dossier_child_org_root();

ALTER TABLE dossier_apologies DROP CONSTRAINT dossier_apologies_pkey, ADD COLUMN org_root text;
UPDATE dossier_apologies c SET org_root = k.org_root FROM dossier_keys k WHERE k.id = c.dossier_id;
ALTER TABLE dossier_apologies
  ALTER COLUMN org_root SET NOT NULL,
  ADD CONSTRAINT dossier_apologies_pkey PRIMARY KEY (dossier_id, seq, org_root),
  ADD CONSTRAINT dossier_apologies_dossier_id_fkey FOREIGN KEY (dossier_id, org_root)
    REFERENCES dossier_keys (id, org_root);
CREATE TRIGGER dossier_apologies_org_root BEFORE INSERT ON dossier_apologies
  FOR EACH ROW WHEN (NEW.org_root IS NULL) EXECUTE FUNCTION dossier_child_org_root();

-- The portal outbox: its id (a sequence) and its one row per (dossier, step, kind), both with org_root.
ALTER TABLE portal_sync_outbox
  DROP CONSTRAINT portal_sync_outbox_pkey,
  DROP CONSTRAINT portal_sync_outbox_dossier_id_step_seq_kind_key,
  ADD COLUMN org_root text;
UPDATE portal_sync_outbox c SET org_root = k.org_root FROM dossier_keys k WHERE k.id = c.dossier_id;
ALTER TABLE portal_sync_outbox
  ALTER COLUMN org_root SET NOT NULL,
  ADD CONSTRAINT portal_sync_outbox_pkey PRIMARY KEY (id, org_root),
  ADD CONSTRAINT portal_sync_outbox_dossier_id_step_seq_kind_key UNIQUE (dossier_id, step_seq, kind, org_root),
  ADD CONSTRAINT portal_sync_outbox_dossier_id_fkey FOREIGN KEY (dossier_id, org_root)
    REFERENCES dossier_keys (id, org_root);
CREATE TRIGGER portal_sync_outbox_org_root BEFORE INSERT ON portal_sync_outbox
  FOR EACH ROW WHEN (NEW.org_root IS NULL) EXECUTE FUNCTION dossier_child_org_root();

-- 4. Per-agency tables: the numbering counters and the online-service plans (keys: agency, day/year).
ALTER TABLE dossier_code_counters
  ADD COLUMN org_root text NOT NULL GENERATED ALWAYS AS (agency_org_root(agency_code)) STORED;
ALTER TABLE dossier_code_counters ALTER COLUMN org_root DROP EXPRESSION;
ALTER TABLE dossier_code_counters
  ADD CONSTRAINT dossier_code_counters_org_root CHECK (org_root = agency_org_root(agency_code)),
  DROP CONSTRAINT dossier_code_counters_pkey,
  ADD CONSTRAINT dossier_code_counters_pkey PRIMARY KEY (agency_code, day, org_root);
CREATE TRIGGER dossier_code_counters_org_root BEFORE INSERT ON dossier_code_counters
  FOR EACH ROW WHEN (NEW.org_root IS NULL) EXECUTE FUNCTION org_root_from_agency();

ALTER TABLE online_service_plans
  ADD COLUMN org_root text NOT NULL GENERATED ALWAYS AS (agency_org_root(agency_code)) STORED;
ALTER TABLE online_service_plans ALTER COLUMN org_root DROP EXPRESSION;
ALTER TABLE online_service_plans
  ADD CONSTRAINT online_service_plans_org_root CHECK (org_root = agency_org_root(agency_code)),
  DROP CONSTRAINT online_service_plans_pkey,
  ADD CONSTRAINT online_service_plans_pkey PRIMARY KEY (agency_code, year, org_root);
CREATE TRIGGER online_service_plans_org_root BEFORE INSERT ON online_service_plans
  FOR EACH ROW WHEN (NEW.org_root IS NULL) EXECUTE FUNCTION org_root_from_agency();

ANALYZE dossiers, dossier_keys, dossier_steps, dossier_supplements, dossier_apologies, portal_sync_outbox;
