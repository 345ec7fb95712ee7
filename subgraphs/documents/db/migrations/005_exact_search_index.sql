-- Search reads exact-accent matches first (`exact_key LIKE '%…%'`), then folded ones; where pg_trgm is
-- available the exact branch gets its own trigram index, so a query typed without accents (no exact
-- match) costs an index probe instead of a scan. Degrades to a notice like 003.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE INDEX IF NOT EXISTS documents_exact_trgm ON documents USING gin (exact_key gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'pg_trgm unavailable (%): exact-accent search will scan', SQLERRM;
END $$;
