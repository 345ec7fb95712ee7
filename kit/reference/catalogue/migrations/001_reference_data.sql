-- Shared reference catalogue: administrative units (with validity intervals and the 2025 succession
-- crosswalk) and agencies identified by QCVN 102 codes. Mounted into every subgraph's database.
CREATE TABLE admin_units (
  id          text PRIMARY KEY,                 -- '<code>@<valid_from>': codes are reused after 2025
  code        text NOT NULL,
  name        text NOT NULL,
  type        text NOT NULL CHECK (type IN ('TINH','THANH_PHO_TW','QUAN','HUYEN','THI_XA','THANH_PHO_THUOC_TINH','XA','PHUONG','THI_TRAN','DAC_KHU')),
  level       int  NOT NULL CHECK (level BETWEEN 1 AND 3),
  parent_id   text REFERENCES admin_units (id),
  valid_from  date NOT NULL,
  valid_to    date,
  legal_basis text,
  UNIQUE (code, valid_from),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX admin_units_parent ON admin_units (parent_id);
CREATE INDEX admin_units_code ON admin_units (code);

CREATE TABLE admin_unit_successions (
  from_id        text NOT NULL REFERENCES admin_units (id),
  to_id          text NOT NULL REFERENCES admin_units (id),
  effective_date date NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('MERGE','SPLIT','PARTIAL','RENAME')),
  PRIMARY KEY (from_id, to_id)
);
CREATE INDEX admin_unit_successions_to ON admin_unit_successions (to_id);

-- Only what every system needs; a subgraph keeps its own per-agency columns in its own table keyed by
-- code (e.g. documents' agency_numbering).
CREATE TABLE agencies (
  code        text PRIMARY KEY,                 -- QCVN 102:2016, e.g. 000.00.00.H41
  name        text NOT NULL,
  level       text NOT NULL CHECK (level IN ('CENTRAL','PROVINCE','DISTRICT','COMMUNE','DEPARTMENT')),
  parent_code text REFERENCES agencies (code),
  unit_id     text REFERENCES admin_units (id),
  valid_from  date NOT NULL,
  valid_to    date,
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX agencies_parent ON agencies (parent_code);
CREATE INDEX agencies_unit ON agencies (unit_id);
