-- The distribution column of the national case (docs/citus.md): every table of the documents family
-- gains `org_root`, the province (or ministry) of the register holder (documents.agency_code: the
-- issuer of an outgoing document, the receiver of an incoming one), and its keys and foreign keys
-- include it. The same plan as the dossiers family (dossiers migration 007, read its header):
--   - filled on insert by BEFORE INSERT triggers `WHEN (NEW.org_root IS NULL)`: from agency_code on
--     documents, document_keys, number_sequences and agency_numbering; from the document's key row on
--     its children (a recipient's own agency_code is the recipient's, not the register holder's);
--   - a CHECK keeps it equal to the agency's; a document never moves to another province;
--   - `org_root` at the END of every key and unique index, so today's lookups (by id, by document_id,
--     by number) lead with their column and use the same index. The number indexes are as strict as
--     before: each already starts with agency_code, which org_root follows from;
--   - backfilled in one rewrite (ADD COLUMN … GENERATED … STORED, then DROP EXPRESSION) where the row
--     has agency_code, by an UPDATE from document_keys with the key dropped first for the children.

ALTER TABLE document_recipients DROP CONSTRAINT document_recipients_document_id_fkey;
ALTER TABLE processing_assignments DROP CONSTRAINT processing_assignments_document_id_fkey;
ALTER TABLE document_attachments DROP CONSTRAINT document_attachments_document_id_fkey;
ALTER TABLE document_traces DROP CONSTRAINT document_traces_document_id_fkey;
ALTER TABLE document_keys DROP CONSTRAINT document_keys_document_fkey;

-- 1. documents (partitioned by year of issue).
SET LOCAL maintenance_work_mem = '256MB';
ALTER TABLE documents
  ADD COLUMN org_root text NOT NULL GENERATED ALWAYS AS (agency_org_root(agency_code)) STORED;
ALTER TABLE documents ALTER COLUMN org_root DROP EXPRESSION;
ALTER TABLE documents
  ADD CONSTRAINT documents_org_root CHECK (org_root = agency_org_root(agency_code)),
  DROP CONSTRAINT documents_pkey,
  ADD CONSTRAINT documents_pkey PRIMARY KEY (id, issued_date, org_root);
CREATE TRIGGER documents_org_root BEFORE INSERT ON documents
  FOR EACH ROW WHEN (NEW.org_root IS NULL) EXECUTE FUNCTION org_root_from_agency();
SELECT year_partitions_name_indexes('documents');
-- SELECT * was expanded when the view was made: made again, it carries the column (at the end, where
-- the table has it).
CREATE OR REPLACE VIEW public_documents AS SELECT * FROM documents WHERE secrecy = 'THUONG';

-- 2. document_keys: the four number indexes under their names, each with org_root at the end.
ALTER TABLE document_keys
  ADD COLUMN org_root text NOT NULL GENERATED ALWAYS AS (agency_org_root(agency_code)) STORED;
ALTER TABLE document_keys ALTER COLUMN org_root DROP EXPRESSION;
DROP INDEX documents_outgoing_unique, documents_incoming_unique, documents_arrival_unique,
  documents_exchange_received;
ALTER TABLE document_keys
  ADD CONSTRAINT document_keys_org_root CHECK (org_root = agency_org_root(agency_code)),
  DROP CONSTRAINT document_keys_pkey,
  ADD CONSTRAINT document_keys_pkey PRIMARY KEY (id, org_root),
  ADD CONSTRAINT document_keys_document_fkey FOREIGN KEY (id, issued_date, org_root)
    REFERENCES documents (id, issued_date, org_root) ON UPDATE CASCADE ON DELETE CASCADE;
CREATE UNIQUE INDEX documents_outgoing_unique ON document_keys (agency_code, year, number_symbol, org_root)
  WHERE direction = 'OUTGOING';
CREATE UNIQUE INDEX documents_incoming_unique ON document_keys (agency_code, issuer_key, year, number_symbol, org_root)
  WHERE direction = 'INCOMING';
CREATE UNIQUE INDEX documents_arrival_unique ON document_keys (agency_code, arrival_year, arrival_number, org_root)
  WHERE direction = 'INCOMING';
CREATE UNIQUE INDEX documents_exchange_received ON document_keys (agency_code, exchange_document_id, org_root)
  WHERE direction = 'INCOMING' AND exchange_document_id IS NOT NULL;

-- The key row of every document inserted (007), now with its org_root; the upsert's arbiter is the key.
CREATE OR REPLACE FUNCTION document_keys_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO document_keys (id, issued_date, direction, agency_code, issuer_key, year, number_symbol,
                             arrival_year, arrival_number, exchange_document_id, org_root)
  VALUES (NEW.id, NEW.issued_date, NEW.direction, NEW.agency_code, coalesce(NEW.issuer_code, NEW.issuer_name),
          NEW.year, NEW.number_symbol, NEW.arrival_year, NEW.arrival_number, NEW.exchange_document_id,
          NEW.org_root)
  ON CONFLICT (id, org_root) DO UPDATE SET issued_date = EXCLUDED.issued_date, direction = EXCLUDED.direction,
    agency_code = EXCLUDED.agency_code, issuer_key = EXCLUDED.issuer_key, year = EXCLUDED.year,
    number_symbol = EXCLUDED.number_symbol, arrival_year = EXCLUDED.arrival_year,
    arrival_number = EXCLUDED.arrival_number, exchange_document_id = EXCLUDED.exchange_document_id;
  RETURN NULL;
END
$$;

-- 3. The document's children: org_root from its key row; a document that does not exist is refused as
-- the foreign key refused it before (SQLSTATE 23503).
CREATE FUNCTION document_child_org_root() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT k.org_root INTO NEW.org_root FROM document_keys k WHERE k.id = NEW.document_id;
  IF NOT FOUND THEN
    RAISE foreign_key_violation USING
      MESSAGE = format('insert or update on table "%s" violates foreign key constraint "%s_document_id_fkey"',
                       TG_TABLE_NAME, TG_TABLE_NAME),
      DETAIL = format('Key (document_id)=(%s) is not present in table "document_keys".', NEW.document_id);
  END IF;
  RETURN NEW;
END
$$;

ALTER TABLE document_recipients DROP CONSTRAINT document_recipients_pkey, ADD COLUMN org_root text;
UPDATE document_recipients c SET org_root = k.org_root FROM document_keys k WHERE k.id = c.document_id;
ALTER TABLE document_recipients
  ALTER COLUMN org_root SET NOT NULL,
  ADD CONSTRAINT document_recipients_pkey PRIMARY KEY (document_id, position, org_root),
  ADD CONSTRAINT document_recipients_document_id_fkey FOREIGN KEY (document_id, org_root)
    REFERENCES document_keys (id, org_root) ON DELETE CASCADE;
CREATE TRIGGER document_recipients_org_root BEFORE INSERT ON document_recipients
  FOR EACH ROW WHEN (NEW.org_root IS NULL) EXECUTE FUNCTION document_child_org_root();

-- processing_assignments: its id (a sequence) is the key, with org_root; its index by document stays.
ALTER TABLE processing_assignments DROP CONSTRAINT processing_assignments_pkey, ADD COLUMN org_root text;
UPDATE processing_assignments c SET org_root = k.org_root FROM document_keys k WHERE k.id = c.document_id;
ALTER TABLE processing_assignments
  ALTER COLUMN org_root SET NOT NULL,
  ADD CONSTRAINT processing_assignments_pkey PRIMARY KEY (id, org_root),
  ADD CONSTRAINT processing_assignments_document_id_fkey FOREIGN KEY (document_id, org_root)
    REFERENCES document_keys (id, org_root) ON DELETE CASCADE;
CREATE TRIGGER processing_assignments_org_root BEFORE INSERT ON processing_assignments
  FOR EACH ROW WHEN (NEW.org_root IS NULL) EXECUTE FUNCTION document_child_org_root();

ALTER TABLE document_attachments DROP CONSTRAINT document_attachments_pkey, ADD COLUMN org_root text;
UPDATE document_attachments c SET org_root = k.org_root FROM document_keys k WHERE k.id = c.document_id;
ALTER TABLE document_attachments
  ALTER COLUMN org_root SET NOT NULL,
  ADD CONSTRAINT document_attachments_pkey PRIMARY KEY (document_id, position, org_root),
  ADD CONSTRAINT document_attachments_document_id_fkey FOREIGN KEY (document_id, org_root)
    REFERENCES document_keys (id, org_root) ON DELETE CASCADE;
CREATE TRIGGER document_attachments_org_root BEFORE INSERT ON document_attachments
  FOR EACH ROW WHEN (NEW.org_root IS NULL) EXECUTE FUNCTION document_child_org_root();

ALTER TABLE document_traces DROP CONSTRAINT document_traces_pkey, ADD COLUMN org_root text;
UPDATE document_traces c SET org_root = k.org_root FROM document_keys k WHERE k.id = c.document_id;
ALTER TABLE document_traces
  ALTER COLUMN org_root SET NOT NULL,
  ADD CONSTRAINT document_traces_pkey PRIMARY KEY (document_id, position, org_root),
  ADD CONSTRAINT document_traces_document_id_fkey FOREIGN KEY (document_id, org_root)
    REFERENCES document_keys (id, org_root) ON DELETE CASCADE;
CREATE TRIGGER document_traces_org_root BEFORE INSERT ON document_traces
  FOR EACH ROW WHEN (NEW.org_root IS NULL) EXECUTE FUNCTION document_child_org_root();

-- 4. Per-agency tables: the yearly number sequences and how an agency numbers.
ALTER TABLE number_sequences
  ADD COLUMN org_root text NOT NULL GENERATED ALWAYS AS (agency_org_root(agency_code)) STORED;
ALTER TABLE number_sequences ALTER COLUMN org_root DROP EXPRESSION;
ALTER TABLE number_sequences
  ADD CONSTRAINT number_sequences_org_root CHECK (org_root = agency_org_root(agency_code)),
  DROP CONSTRAINT number_sequences_pkey,
  ADD CONSTRAINT number_sequences_pkey PRIMARY KEY (agency_code, year, register, org_root);
CREATE TRIGGER number_sequences_org_root BEFORE INSERT ON number_sequences
  FOR EACH ROW WHEN (NEW.org_root IS NULL) EXECUTE FUNCTION org_root_from_agency();

ALTER TABLE agency_numbering
  ADD COLUMN org_root text NOT NULL GENERATED ALWAYS AS (agency_org_root(agency_code)) STORED;
ALTER TABLE agency_numbering ALTER COLUMN org_root DROP EXPRESSION;
ALTER TABLE agency_numbering
  ADD CONSTRAINT agency_numbering_org_root CHECK (org_root = agency_org_root(agency_code)),
  DROP CONSTRAINT agency_numbering_pkey,
  ADD CONSTRAINT agency_numbering_pkey PRIMARY KEY (agency_code, org_root);
CREATE TRIGGER agency_numbering_org_root BEFORE INSERT ON agency_numbering
  FOR EACH ROW WHEN (NEW.org_root IS NULL) EXECUTE FUNCTION org_root_from_agency();

ANALYZE documents, document_keys, document_recipients, processing_assignments, document_attachments,
  document_traces;
