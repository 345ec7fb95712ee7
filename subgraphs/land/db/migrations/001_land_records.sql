-- Cadastral records (hồ sơ địa chính): parcels, certificates with their holders, planning overlays and
-- the history of changes. A parcel is identified by the commune it was registered in before the 2025
-- mergers, its map sheet number and its parcel number (sheet numbering restarts at 1 in each old
-- commune), so the identity stays unique after communes merge.
CREATE TABLE land_parcels (
  original_commune_code text NOT NULL CHECK (original_commune_code ~ '^\d{5}$'),
  sheet                 int  NOT NULL CHECK (sheet > 0),
  parcel                int  NOT NULL CHECK (parcel > 0),
  id                    text GENERATED ALWAYS AS (original_commune_code || '/' || sheet::text || '/' || parcel::text) STORED UNIQUE,
  -- The commune as it was when the parcel was registered (catalogue unit id `<code>@<validFrom>`).
  original_unit_id      text NOT NULL REFERENCES admin_units (id),
  -- Only for an old commune divided between several new ones in 2025: the new unit the parcel fell in.
  -- NULL when the succession crosswalk alone decides.
  divided_into_unit_id  text REFERENCES admin_units (id),
  area_m2               numeric(14, 1) NOT NULL CHECK (area_m2 > 0),
  land_use_code         text NOT NULL CHECK (land_use_code ~ '^[A-Z]{3}$'),
  land_use_code_version text NOT NULL CHECK (land_use_code_version IN ('TT25_2014', 'TT27_2018', 'TT08_2024')),
  address               text NOT NULL,
  -- GeoJSON Polygon in WGS84 longitude/latitude (EPSG:4326).
  geometry              jsonb NOT NULL CHECK (geometry ->> 'type' = 'Polygon'),
  min_x                 double precision NOT NULL,
  min_y                 double precision NOT NULL,
  max_x                 double precision NOT NULL,
  max_y                 double precision NOT NULL,
  bbox                  box GENERATED ALWAYS AS (box(point(min_x, min_y), point(max_x, max_y))) STORED,
  registered_on         date NOT NULL,
  -- Retired by a split or merge (tách/hợp thửa); the row stays for the history.
  retired_on            date,
  -- When the paper record was entered into the land database (NULL = not yet digitised).
  digitised_on          date,
  PRIMARY KEY (original_commune_code, sheet, parcel),
  CHECK (min_x <= max_x AND min_y <= max_y),
  CHECK (retired_on IS NULL OR retired_on >= registered_on)
);
-- Parcels of a commune, in identity order (the list's keyset).
CREATE INDEX land_parcels_unit ON land_parcels (original_unit_id, original_commune_code, sheet, parcel);
-- Bounding-box queries (`bbox && box(...)`) use this GiST index.
CREATE INDEX land_parcels_bbox ON land_parcels USING gist (bbox);

-- Quy hoạch: one parcel can lie in several planning zones, each covering part of it.
CREATE TABLE land_planning_overlays (
  parcel_id           text NOT NULL REFERENCES land_parcels (id),
  ord                 int  NOT NULL,
  plan_name           text NOT NULL,
  planned_use_code    text NOT NULL,
  area_m2             numeric(14, 1) NOT NULL CHECK (area_m2 > 0),
  share               numeric(5, 4) NOT NULL CHECK (share > 0 AND share <= 1),
  PRIMARY KEY (parcel_id, ord)
);

-- Giấy chứng nhận quyền sử dụng đất (GCN).
CREATE TABLE land_certificates (
  id                  bigserial PRIMARY KEY,
  parcel_id           text NOT NULL REFERENCES land_parcels (id),
  issue_serial        text NOT NULL UNIQUE,           -- số phát hành, e.g. `CS 123456`
  registration_number text NOT NULL,                  -- số vào sổ cấp GCN, e.g. `CS01234`
  issue_date          date NOT NULL,
  issuing_agency_code text REFERENCES agencies (code),
  form_of_use         text NOT NULL CHECK (form_of_use IN ('PRIVATE', 'SHARED')),
  term_until          date,                            -- NULL = long-term stable (ổn định lâu dài)
  origin              text NOT NULL,
  cancelled_on        date                             -- superseded by a later change
);
CREATE INDEX land_certificates_parcel ON land_certificates (parcel_id);

-- Chủ sử dụng: personal data, masked in every response.
CREATE TABLE land_certificate_holders (
  certificate_id bigint NOT NULL REFERENCES land_certificates (id),
  ord            int    NOT NULL,
  holder_type    text   NOT NULL CHECK (holder_type IN ('CNV', 'CDS', 'TKT', 'TCN', 'TSN')),
  full_name      text   NOT NULL,
  birth_year     int,
  id_number      text,
  address        text   NOT NULL,
  PRIMARY KEY (certificate_id, ord)
);

-- Biến động: splits, merges, transfers and changes of use, each linked to the dossier that caused it.
CREATE TABLE land_changes (
  id          bigserial PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('SPLIT', 'MERGE', 'TRANSFER', 'CHANGE_OF_USE')),
  change_date date NOT NULL,
  dossier_code text,
  note        text
);
CREATE INDEX land_changes_dossier ON land_changes (dossier_code);

CREATE TABLE land_change_parcels (
  change_id bigint NOT NULL REFERENCES land_changes (id),
  parcel_id text   NOT NULL REFERENCES land_parcels (id),
  role      text   NOT NULL CHECK (role IN ('FROM', 'TO')),
  PRIMARY KEY (change_id, parcel_id, role)
);
CREATE INDEX land_change_parcels_parcel ON land_change_parcels (parcel_id);

-- Serial numbers of certificates issued through registerLandChange (the seed's stay below it).
CREATE SEQUENCE land_issue_serials START 900001;
