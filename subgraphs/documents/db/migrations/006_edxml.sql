-- Document exchange in edXML (QCVN 102:2016, docs/interop.md): a received package keeps its edXML
-- DocumentId (one document per id and receiving agency, so the same package twice is one document),
-- its attachments as sent and its trace header; an outgoing document's recipients carry the last
-- status each one reported back (status messages 02–06).
ALTER TABLE documents ADD COLUMN exchange_document_id text;
CREATE UNIQUE INDEX documents_exchange_received ON documents (agency_code, exchange_document_id)
  WHERE direction = 'INCOMING' AND exchange_document_id IS NOT NULL;
-- The view was created as SELECT *, which PostgreSQL expands once: recreate it to carry the column.
CREATE OR REPLACE VIEW public_documents AS SELECT * FROM documents WHERE secrecy = 'THUONG';

CREATE TABLE document_attachments (
  document_id    bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  position       int    NOT NULL,
  name           text   NOT NULL,
  content_type   text   NOT NULL,
  description    text,
  content_base64 text   NOT NULL,              -- the bytes as the package carried them (base64)
  byte_size      int    NOT NULL CHECK (byte_size >= 0),
  PRIMARY KEY (document_id, position)
);

CREATE TABLE document_traces (
  document_id bigint      NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  position    int         NOT NULL,
  organ_id    text        NOT NULL,
  at          timestamptz NOT NULL,
  PRIMARY KEY (document_id, position)
);

ALTER TABLE document_recipients
  ADD COLUMN exchange_status    text CHECK (exchange_status IN ('DA_DEN','TU_CHOI','DA_TIEP_NHAN','DA_PHAN_CONG','DANG_XU_LY','HOAN_THANH')),
  ADD COLUMN exchange_status_at timestamptz;
