-- The distribution column of the national case (docs/citus.md): every distributed row carries
-- `org_root`, the level-1 unit of the agency it belongs to, which a QCVN 102:2016 code says in its
-- right-most group (`000.00.21.H26` → `H26`, `000.00.00.G12` → `G12`). One definition, used by every
-- subgraph's migrations: the backfill, the BEFORE INSERT triggers that fill the column when a write
-- leaves it out, and the CHECK constraints that keep it equal to the agency's. IMMUTABLE (a code's
-- right-most group never changes), so a stored value can be checked against it and it may appear in
-- an index or a generated expression.
CREATE FUNCTION agency_org_root(agency_code text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT split_part(agency_code, '.', 4) $$;

-- A BEFORE INSERT trigger for a table with an `agency_code` column: fills `org_root` from it. Declared
-- `WHEN (NEW.org_root IS NULL)`, so a write that names the column (as writes on Citus must: its
-- coordinator routes a row by the value in the statement, before any trigger runs) skips it, and the
-- table's CHECK (org_root = agency_org_root(agency_code)) refuses a wrong one.
CREATE FUNCTION org_root_from_agency() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.org_root := agency_org_root(NEW.agency_code);
  RETURN NEW;
END
$$;
