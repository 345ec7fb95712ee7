-- One-stop-shop dossiers (một cửa điện tử) and the procedure catalogue. The catalogue module (namespace
-- `catalogue`) is migrated first, so `agencies` exists.

-- A national procedure (CSDLQG về TTHC) as carried out by one agency: its local form is the national
-- code followed by the agency code, e.g. 1.000656.000.00.46.H62.
CREATE TABLE procedures (
  code            text PRIMARY KEY,
  national_code   text NOT NULL CHECK (national_code ~ '^[12]\.\d{6}$'),
  agency_code     text NOT NULL REFERENCES agencies (code),
  name            text NOT NULL,
  field_code      text NOT NULL,
  field_name      text NOT NULL,
  processing_days int  NOT NULL CHECK (processing_days >= 0),
  fee             int  NOT NULL DEFAULT 0 CHECK (fee >= 0),
  land_related    boolean NOT NULL DEFAULT false,
  UNIQUE (agency_code, national_code),
  CHECK (code = national_code || '.' || agency_code)
);
CREATE INDEX procedures_national ON procedures (national_code);

-- The online service a procedure offers, from a date: the legacy level (Decree 43/2011, 1–4) and/or the
-- scope of Decree 42/2022. The level (or scope) on a date is the one of the latest row before it that sets one.
CREATE TABLE procedure_online_service (
  procedure_code text NOT NULL REFERENCES procedures (code),
  valid_from     date NOT NULL,
  online_level   int  CHECK (online_level BETWEEN 1 AND 4),
  online_scope   text CHECK (online_scope IN ('TOAN_TRINH','MOT_PHAN','KHONG')),
  PRIMARY KEY (procedure_code, valid_from),
  CHECK (online_level IS NOT NULL OR online_scope IS NOT NULL)
);

CREATE TABLE dossiers (
  id                  bigserial PRIMARY KEY,
  -- <agency code>-YYMMDD-XXXX (Circular 01/2018/TT-VPCP art. 19)
  code                text NOT NULL UNIQUE CHECK (code ~ '^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2}-\d{6}-\d{4}$'),
  agency_code         text NOT NULL REFERENCES agencies (code),
  procedure_code      text NOT NULL REFERENCES procedures (code),
  summary             text NOT NULL,
  -- Personal data: masked in every response, never logged.
  applicant_kind      text NOT NULL CHECK (applicant_kind IN ('CONG_DAN','TO_CHUC')),
  applicant_name      text NOT NULL,
  applicant_id_number text NOT NULL,
  applicant_phone     text,
  applicant_address   text,
  channel             text NOT NULL CHECK (channel IN ('TRUC_TIEP','TRUC_TUYEN','BUU_CHINH')),
  status              text NOT NULL CHECK (status IN ('MOI_DANG_KY','DUOC_TIEP_NHAN','KHONG_DUOC_TIEP_NHAN','DANG_XU_LY',
                        'YEU_CAU_BO_SUNG_GIAY_TO','YEU_CAU_THUC_HIEN_NGHIA_VU_TAI_CHINH','CONG_DAN_RUT_HO_SO','DUNG_XU_LY',
                        'DA_XU_LY_XONG','DA_TRA_KET_QUA')),
  received_at         timestamptz NOT NULL,
  due_date            date NOT NULL,
  finished_at         timestamptz,
  returned_at         timestamptz,
  -- When the dossier left processing without a result (rejected, withdrawn, stopped).
  ended_at            timestamptz,
  parcel_id           text,
  result_document_id  text,
  CHECK (finished_at IS NULL OR finished_at >= received_at),
  CHECK (returned_at IS NULL OR (finished_at IS NOT NULL AND returned_at >= finished_at)),
  CHECK ((status IN ('DA_XU_LY_XONG','DA_TRA_KET_QUA')) = (finished_at IS NOT NULL)),
  CHECK ((status = 'DA_TRA_KET_QUA') = (returned_at IS NOT NULL)),
  CHECK ((status IN ('KHONG_DUOC_TIEP_NHAN','CONG_DAN_RUT_HO_SO','DUNG_XU_LY')) = (ended_at IS NOT NULL))
);
CREATE INDEX dossiers_agency_received ON dossiers (agency_code, received_at DESC, id DESC);
CREATE INDEX dossiers_received ON dossiers (received_at DESC, id DESC);
CREATE INDEX dossiers_procedure ON dossiers (procedure_code);
CREATE INDEX dossiers_parcel ON dossiers (parcel_id, received_at DESC, id DESC) WHERE parcel_id IS NOT NULL;
CREATE INDEX dossiers_agency_finished ON dossiers (agency_code, finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX dossiers_open ON dossiers (agency_code) WHERE finished_at IS NULL AND ended_at IS NULL;

-- The last sequence number allocated per agency and receipt day (row-locked upsert: gap-free under
-- concurrency, and a rolled-back receipt gives its number back).
CREATE TABLE dossier_code_counters (
  agency_code text NOT NULL REFERENCES agencies (code),
  day         date NOT NULL,
  last_seq    int  NOT NULL CHECK (last_seq BETWEEN 1 AND 9999),
  PRIMARY KEY (agency_code, day)
);

CREATE TABLE dossier_steps (
  dossier_id    bigint NOT NULL REFERENCES dossiers (id),
  seq           int NOT NULL,
  at            timestamptz NOT NULL,
  official_id   text,
  official_name text NOT NULL,
  unit_name     text NOT NULL,
  action        text NOT NULL,
  status        text NOT NULL,
  PRIMARY KEY (dossier_id, seq)
);

CREATE TABLE dossier_supplements (
  dossier_id        bigint NOT NULL REFERENCES dossiers (id),
  seq               int NOT NULL,
  requested_at      timestamptz NOT NULL,
  reason            text NOT NULL,
  previous_due_date date NOT NULL,
  new_due_date      date NOT NULL,
  supplied_at       timestamptz,
  PRIMARY KEY (dossier_id, seq)
);

CREATE TABLE dossier_apologies (
  dossier_id           bigint NOT NULL REFERENCES dossiers (id),
  seq                  int NOT NULL,
  issued_at            timestamptz NOT NULL,
  reason               text NOT NULL,
  new_appointment_date date NOT NULL,
  PRIMARY KEY (dossier_id, seq)
);

-- Timeliness is derived, never stored: resolved dossiers by their finish day against the due date,
-- open ones by today (session time zone: Asia/Ho_Chi_Minh) against it; none for dossiers that left
-- processing without a result.
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
