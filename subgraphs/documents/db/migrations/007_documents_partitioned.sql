-- Documents partitioned by year of issue (issued_date; docs/database.md "Partitioning by year"): the
-- scorecard's documentStats and the registers read a period of issue dates, so a year's query reads
-- that year's partition. Converts an existing table in place (this migration's transaction; the
-- table is locked while its rows are copied): ids and the id sequence are kept, every index is rebuilt
-- once after the copy.
--
-- Keys. A primary or unique key of a partitioned table must contain the partition column, so the
-- table's own key is (id, issued_date). What used to be unique on its own moves to `document_keys`, an
-- ordinary table with one narrow row per document, under the same index names and predicates:
--   - id PRIMARY KEY; documents_outgoing_unique, documents_incoming_unique, documents_arrival_unique and
--     documents_exchange_received as strict as before (the arrival number's register year, and an
--     edXML package's id, are not the issue year: per-partition indexes could not have kept them);
--   - document_recipients, processing_assignments, document_attachments and document_traces keep a
--     declarative foreign key, now REFERENCES document_keys (id) ON DELETE CASCADE;
--   - document_keys (id, issued_date) REFERENCES documents ON UPDATE/DELETE CASCADE, and a trigger on
--     documents writes the key row of every document inserted (and follows changed key columns).
-- Nothing in the application changes; a duplicate is still SQLSTATE 23505 (db/writes.ts, exchange.ts).

DROP VIEW public_documents;
ALTER TABLE documents RENAME TO documents_unpartitioned;
ALTER TABLE document_recipients DROP CONSTRAINT document_recipients_document_id_fkey;
ALTER TABLE processing_assignments DROP CONSTRAINT processing_assignments_document_id_fkey;
ALTER TABLE document_attachments DROP CONSTRAINT document_attachments_document_id_fkey;
ALTER TABLE document_traces DROP CONSTRAINT document_traces_document_id_fkey;
ALTER TABLE documents_unpartitioned DROP CONSTRAINT documents_pkey;
DROP INDEX documents_outgoing_unique, documents_incoming_unique, documents_arrival_unique,
  documents_exchange_received, documents_agency_issued, documents_issued, documents_issuer_number,
  documents_search_syllables, documents_exact_syllables, documents_signer, documents_agency_stats;

CREATE TABLE documents (
  LIKE documents_unpartitioned INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING CONSTRAINTS,
  PRIMARY KEY (id, issued_date),
  FOREIGN KEY (agency_code) REFERENCES agencies (code),
  FOREIGN KEY (issuer_code) REFERENCES agencies (code)
) PARTITION BY RANGE (issued_date);
ALTER SEQUENCE documents_id_seq OWNED BY documents.id;

SELECT year_partitions_create('documents',
  least((SELECT min(extract(year FROM issued_date))::int FROM documents_unpartitioned),
        extract(year FROM now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::int),
  greatest((SELECT max(extract(year FROM issued_date))::int FROM documents_unpartitioned),
           extract(year FROM now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::int + 1));

INSERT INTO documents (id, direction, agency_code, issuer_code, issuer_name, number, number_year, type_code,
                       organ_symbol, unit_symbol, number_symbol, year, subject, issued_date, issued_place,
                       signer_official_id, signer_name, signer_position, signer_competence, urgency, secrecy,
                       electronic, digitally_signed, register_book, page_count, copies, arrival_number,
                       arrival_year, received_at, due_date, status, completed_at, search_key, exact_key,
                       created_at, exchange_document_id)
SELECT id, direction, agency_code, issuer_code, issuer_name, number, number_year, type_code,
       organ_symbol, unit_symbol, number_symbol, year, subject, issued_date, issued_place,
       signer_official_id, signer_name, signer_position, signer_competence, urgency, secrecy,
       electronic, digitally_signed, register_book, page_count, copies, arrival_number,
       arrival_year, received_at, due_date, status, completed_at, search_key, exact_key,
       created_at, exchange_document_id
  FROM documents_unpartitioned;

CREATE TABLE document_keys (
  id                   bigint PRIMARY KEY,
  issued_date          date   NOT NULL,
  direction            text   NOT NULL,
  agency_code          text   NOT NULL,
  issuer_key           text   NOT NULL,   -- coalesce(issuer_code, issuer_name), as the index had it
  year                 int    NOT NULL,
  number_symbol        text   NOT NULL,
  arrival_year         int,
  arrival_number       int,
  exchange_document_id text
);
INSERT INTO document_keys
SELECT id, issued_date, direction, agency_code, coalesce(issuer_code, issuer_name), year, number_symbol,
       arrival_year, arrival_number, exchange_document_id
  FROM documents_unpartitioned;
ALTER TABLE document_keys ADD CONSTRAINT document_keys_document_fkey FOREIGN KEY (id, issued_date)
  REFERENCES documents (id, issued_date) ON UPDATE CASCADE ON DELETE CASCADE;
CREATE UNIQUE INDEX documents_outgoing_unique ON document_keys (agency_code, year, number_symbol)
  WHERE direction = 'OUTGOING';
CREATE UNIQUE INDEX documents_incoming_unique ON document_keys (agency_code, issuer_key, year, number_symbol)
  WHERE direction = 'INCOMING';
CREATE UNIQUE INDEX documents_arrival_unique ON document_keys (agency_code, arrival_year, arrival_number)
  WHERE direction = 'INCOMING';
CREATE UNIQUE INDEX documents_exchange_received ON document_keys (agency_code, exchange_document_id)
  WHERE direction = 'INCOMING' AND exchange_document_id IS NOT NULL;

CREATE FUNCTION document_keys_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO document_keys
  VALUES (NEW.id, NEW.issued_date, NEW.direction, NEW.agency_code, coalesce(NEW.issuer_code, NEW.issuer_name),
          NEW.year, NEW.number_symbol, NEW.arrival_year, NEW.arrival_number, NEW.exchange_document_id)
  ON CONFLICT (id) DO UPDATE SET issued_date = EXCLUDED.issued_date, direction = EXCLUDED.direction,
    agency_code = EXCLUDED.agency_code, issuer_key = EXCLUDED.issuer_key, year = EXCLUDED.year,
    number_symbol = EXCLUDED.number_symbol, arrival_year = EXCLUDED.arrival_year,
    arrival_number = EXCLUDED.arrival_number, exchange_document_id = EXCLUDED.exchange_document_id;
  RETURN NULL;
END
$$;
CREATE TRIGGER documents_keys
  AFTER INSERT OR UPDATE OF direction, agency_code, issuer_code, issuer_name, year, number_symbol,
    arrival_year, arrival_number, exchange_document_id ON documents
  FOR EACH ROW EXECUTE FUNCTION document_keys_write();

ALTER TABLE document_recipients ADD CONSTRAINT document_recipients_document_id_fkey
  FOREIGN KEY (document_id) REFERENCES document_keys (id) ON DELETE CASCADE;
ALTER TABLE processing_assignments ADD CONSTRAINT processing_assignments_document_id_fkey
  FOREIGN KEY (document_id) REFERENCES document_keys (id) ON DELETE CASCADE;
ALTER TABLE document_attachments ADD CONSTRAINT document_attachments_document_id_fkey
  FOREIGN KEY (document_id) REFERENCES document_keys (id) ON DELETE CASCADE;
ALTER TABLE document_traces ADD CONSTRAINT document_traces_document_id_fkey
  FOREIGN KEY (document_id) REFERENCES document_keys (id) ON DELETE CASCADE;

DROP TABLE documents_unpartitioned;

-- The indexes of 002–005, built once on the copied rows (each on every partition).
SET LOCAL maintenance_work_mem = '256MB';
CREATE INDEX documents_agency_issued ON documents (agency_code, issued_date DESC, id DESC);
CREATE INDEX documents_issued ON documents (issued_date DESC, id DESC);
CREATE INDEX documents_issuer_number ON documents (issuer_code, year, number_symbol);
CREATE INDEX documents_search_syllables ON documents USING gin (search_tsv);
CREATE INDEX documents_exact_syllables ON documents USING gin (exact_tsv);
CREATE INDEX documents_signer ON documents (signer_official_id, issued_date DESC, id DESC)
  WHERE signer_official_id IS NOT NULL;
CREATE INDEX documents_agency_stats ON documents (agency_code, issued_date)
  INCLUDE (direction, electronic, digitally_signed, status, due_date, completed_at)
  WHERE secrecy = 'THUONG';

CREATE VIEW public_documents AS SELECT * FROM documents WHERE secrecy = 'THUONG';

SELECT year_partitions_name_indexes('documents');

-- Autovacuum never analyzes a partitioned parent: the planner's estimates for the whole table.
ANALYZE documents, document_keys;
