-- Substring search on the accent-folded key (`search_key LIKE '%…%'`) uses a trigram index where the
-- server has pg_trgm (PostgreSQL with its contrib modules, as in production). Embedded PGlite has no
-- pg_trgm loaded, and a role without the right to create extensions cannot add it: there the search
-- scans, which is fine at embedded sizes. Ask a DBA to run the two statements below on such servers.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE INDEX IF NOT EXISTS documents_search_trgm ON documents USING gin (search_key gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'pg_trgm unavailable (%): document search will scan', SQLERRM;
END $$;
