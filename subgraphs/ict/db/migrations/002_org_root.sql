-- The distribution column of the national case (docs/citus.md): the inventories gain `org_root`, the
-- province (or ministry) of the agency, and their key includes it at its end. As the other families
-- (dossiers migration 007, read its header): filled on insert by a BEFORE INSERT trigger when the row
-- leaves it out, kept equal to the agency's by a CHECK, backfilled in the one rewrite of ADD COLUMN
-- … GENERATED … STORED, then DROP EXPRESSION.
ALTER TABLE ict_inventories
  ADD COLUMN org_root text NOT NULL GENERATED ALWAYS AS (agency_org_root(agency_code)) STORED;
ALTER TABLE ict_inventories ALTER COLUMN org_root DROP EXPRESSION;
ALTER TABLE ict_inventories
  ADD CONSTRAINT ict_inventories_org_root CHECK (org_root = agency_org_root(agency_code)),
  DROP CONSTRAINT ict_inventories_pkey,
  ADD CONSTRAINT ict_inventories_pkey PRIMARY KEY (agency_code, taken_on, org_root);
CREATE TRIGGER ict_inventories_org_root BEFORE INSERT ON ict_inventories
  FOR EACH ROW WHEN (NEW.org_root IS NULL) EXECUTE FUNCTION org_root_from_agency();
