-- Search matches whole syllables. Vietnamese is written in syllables separated by spaces; substring
-- matching would find "Hòa" inside "Kế hoạch" (folded `hoa` inside `hoach`). The application writes both
-- keys as syllables joined by single spaces (kit/text.ts: letters and digits; punctuation such as
-- `/ - , ( ) "` separates, so `125/QĐ-UBND` is `125 qđ ubnd`), and a query matches when its syllables
-- occur as consecutive syllables of the key: `search_tsv @@ phraseto_tsquery('simple', q)`, where
-- `search_tsv = to_tsvector('simple', search_key)` (and `exact_tsv` likewise). The 'simple'
-- configuration only splits at the spaces and lower-cases (no stemming, no stop words); the tsvector
-- keeps positions, so the phrase operator `<->` demands adjacency. GIN on tsvector is core PostgreSQL,
-- so these indexes exist on every engine (no extension needed, unlike pg_trgm).
-- The tsvectors are stored (generated) columns rather than expression indexes: search reads each branch
-- in date order and checks rows one by one when its matches are frequent, and re-parsing the key for
-- every such row cost 20× more than reading a stored tsvector (measured at 367k documents).
--
-- The searchable text is the document's number/symbol, its subject and its issuer's name
-- (`documents.issuer_name`: the name as written on the document, which the row already holds for both
-- directions), so searching `Điện Biên` finds what Ủy ban nhân dân tỉnh Điện Biên issued and `QĐ-UBND`
-- finds decisions of people's committees. The application appends the issuer name when it writes a row
-- (db/writes.ts `searchKeys`, also used by the seed).

ALTER TABLE documents
  ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_key)) STORED,
  ADD COLUMN exact_tsv  tsvector GENERATED ALWAYS AS (to_tsvector('simple', exact_key)) STORED;
CREATE INDEX documents_search_syllables ON documents USING gin (search_tsv);
CREATE INDEX documents_exact_syllables ON documents USING gin (exact_tsv);

-- The view was expanded when it was created; re-expanding it appends the two new columns.
CREATE OR REPLACE VIEW public_documents AS SELECT * FROM documents WHERE secrecy = 'THUONG';

-- Statistics on the new columns let the planner choose between the date-order walk and the index.
ANALYZE documents;
