-- The distribution column of the national case (docs/citus.md): budget lines and their journal gain
-- `org_root`, the province (or ministry) of the budget unit, and their keys include it. The same plan
-- as the dossiers family (dossiers migration 007, read its header): filled on insert by BEFORE INSERT
-- triggers `WHEN (NEW.org_root IS NULL)` (from agency_code on a line, from the line on an entry), a CHECK
-- keeping it equal to the agency's, `org_root` at the END of each key so lookups by id and by
-- classification keep their index, the line's backfill in one rewrite, the entries' by an UPDATE.

ALTER TABLE budget_entries DROP CONSTRAINT budget_entries_line_id_fkey;

ALTER TABLE budget_lines
  ADD COLUMN org_root text NOT NULL GENERATED ALWAYS AS (agency_org_root(agency_code)) STORED;
ALTER TABLE budget_lines ALTER COLUMN org_root DROP EXPRESSION;
-- The classification key: as strict as before (org_root follows from agency_code).
ALTER TABLE budget_lines
  ADD CONSTRAINT budget_lines_org_root CHECK (org_root = agency_org_root(agency_code)),
  DROP CONSTRAINT budget_lines_pkey,
  ADD CONSTRAINT budget_lines_pkey PRIMARY KEY (id, org_root),
  DROP CONSTRAINT budget_lines_agency_code_fiscal_year_direction_chapter_type_key,
  ADD CONSTRAINT budget_lines_agency_code_fiscal_year_direction_chapter_type_key
    UNIQUE (agency_code, fiscal_year, direction, chapter, type_code, clause_code, subsection_code, org_root);
CREATE TRIGGER budget_lines_org_root BEFORE INSERT ON budget_lines
  FOR EACH ROW WHEN (NEW.org_root IS NULL) EXECUTE FUNCTION org_root_from_agency();
-- The view names its columns: org_root added at its end.
CREATE OR REPLACE VIEW budget_line_view AS
SELECT id, agency_code, fiscal_year, direction, expenditure_group, chapter, budget_level, type_code,
  clause_code, section_code, subsection_code, description,
  initial_estimate::text AS initial_estimate, adjusted_estimate::text AS adjusted_estimate,
  executed::text AS executed, final_accounts::text AS final_accounts, org_root
FROM budget_lines;

-- The journal: an entry's org_root is its line's; a line that does not exist is refused as the foreign
-- key refused it before (SQLSTATE 23503).
CREATE FUNCTION budget_entry_org_root() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT l.org_root INTO NEW.org_root FROM budget_lines l WHERE l.id = NEW.line_id;
  IF NOT FOUND THEN
    RAISE foreign_key_violation USING
      MESSAGE = 'insert or update on table "budget_entries" violates foreign key constraint "budget_entries_line_id_fkey"',
      DETAIL = format('Key (line_id)=(%s) is not present in table "budget_lines".', NEW.line_id);
  END IF;
  RETURN NEW;
END
$$;
ALTER TABLE budget_entries DROP CONSTRAINT budget_entries_pkey, ADD COLUMN org_root text;
UPDATE budget_entries e SET org_root = l.org_root FROM budget_lines l WHERE l.id = e.line_id;
ALTER TABLE budget_entries
  ALTER COLUMN org_root SET NOT NULL,
  ADD CONSTRAINT budget_entries_pkey PRIMARY KEY (id, org_root),
  ADD CONSTRAINT budget_entries_line_id_fkey FOREIGN KEY (line_id, org_root)
    REFERENCES budget_lines (id, org_root);
CREATE TRIGGER budget_entries_org_root BEFORE INSERT ON budget_entries
  FOR EACH ROW WHEN (NEW.org_root IS NULL) EXECUTE FUNCTION budget_entry_org_root();

ANALYZE budget_lines, budget_entries;
