-- Documents (văn bản đến/đi), recipients, processing assignments and the yearly number sequences.
CREATE TABLE documents (
  id                 bigserial PRIMARY KEY,
  direction          text NOT NULL CHECK (direction IN ('INCOMING','OUTGOING')),
  agency_code        text NOT NULL REFERENCES agencies (code),  -- register holder: issuer (out) / receiver (in)
  issuer_code        text REFERENCES agencies (code),
  issuer_name        text NOT NULL,
  number             int  NOT NULL CHECK (number > 0),
  number_year        int,
  type_code          text,                                       -- NULL = công văn
  organ_symbol       text NOT NULL,
  unit_symbol        text,
  number_symbol      text NOT NULL,
  year               int  NOT NULL,                              -- year of issue: numbers restart on 1 January
  subject            text NOT NULL,
  issued_date        date NOT NULL,
  issued_place       text,
  signer_official_id text,
  signer_name        text,
  signer_position    text,
  signer_competence  text,
  urgency            text CHECK (urgency IN ('KHAN','THUONG_KHAN','HOA_TOC','HOA_TOC_HEN_GIO')),
  secrecy            text NOT NULL DEFAULT 'THUONG' CHECK (secrecy IN ('THUONG','MAT','TOI_MAT','TUYET_MAT')),
  electronic         boolean NOT NULL,
  digitally_signed   boolean NOT NULL DEFAULT false,
  register_book      text,
  page_count         int CHECK (page_count > 0),
  copies             int CHECK (copies > 0),
  arrival_number     int,
  arrival_year       int,                                        -- register year of the arrival number
  received_at        timestamptz,
  due_date           date,
  status             text NOT NULL CHECK (status IN ('DA_VAO_SO','DA_PHAN_CONG','DANG_XU_LY','HOAN_THANH','DA_PHAT_HANH')),
  completed_at       timestamptz,
  search_key         text NOT NULL,                              -- accent-folded number/symbol + subject
  exact_key          text NOT NULL,                              -- NFC, lower case, canonical tone placement
  created_at         timestamptz NOT NULL DEFAULT now(),
  CHECK (NOT digitally_signed OR electronic),
  CHECK ((direction = 'INCOMING') = (arrival_number IS NOT NULL AND arrival_year IS NOT NULL))
);
-- (agency, year, number/symbol) is unique for what an agency issues; an incoming register holds a
-- given issuer's document once.
CREATE UNIQUE INDEX documents_outgoing_unique ON documents (agency_code, year, number_symbol) WHERE direction = 'OUTGOING';
CREATE UNIQUE INDEX documents_incoming_unique ON documents (agency_code, (coalesce(issuer_code, issuer_name)), year, number_symbol) WHERE direction = 'INCOMING';
CREATE UNIQUE INDEX documents_arrival_unique ON documents (agency_code, arrival_year, arrival_number) WHERE direction = 'INCOMING';
CREATE INDEX documents_agency_issued ON documents (agency_code, issued_date DESC, id DESC);
CREATE INDEX documents_issued ON documents (issued_date DESC, id DESC);
CREATE INDEX documents_issuer_number ON documents (issuer_code, year, number_symbol);

-- Every read goes through this view: secret documents (Mật, Tối mật, Tuyệt mật) never leave the database.
CREATE VIEW public_documents AS SELECT * FROM documents WHERE secrecy = 'THUONG';

CREATE TABLE document_recipients (
  document_id bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  position    int    NOT NULL,
  agency_code text REFERENCES agencies (code),
  name        text   NOT NULL,
  PRIMARY KEY (document_id, position)
);

CREATE TABLE processing_assignments (
  id                   bigserial PRIMARY KEY,
  document_id          bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  assignee_official_id text,
  assignee_name        text NOT NULL,
  role                 text NOT NULL CHECK (role IN ('CHU_TRI','PHOI_HOP','DE_BIET')),
  state                text NOT NULL CHECK (state IN ('DA_PHAN_CONG','DANG_XU_LY','HOAN_THANH','TRA_LAI')),
  assigned_at          timestamptz NOT NULL DEFAULT now(),
  due_date             date,
  completed_at         timestamptz,
  note                 text
);
CREATE INDEX processing_assignments_document ON processing_assignments (document_id, id);

-- Yearly number sequences per agency and register ('ALL' under the shared policy, or a type code;
-- 'DEN' is the incoming register's arrival numbers).
CREATE TABLE number_sequences (
  agency_code text NOT NULL REFERENCES agencies (code),
  year        int  NOT NULL,
  register    text NOT NULL,
  last_number int  NOT NULL,
  PRIMARY KEY (agency_code, year, register)
);
