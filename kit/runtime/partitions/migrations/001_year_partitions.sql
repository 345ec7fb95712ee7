-- Yearly range partitions (docs/database.md "Partitioning by year"), mounted by the kit into every
-- subgraph's database before the other modules, so their migrations can partition a table by year.
-- A table partitioned here has a default partition `<table>_default` and one partition per year,
-- `<table>_<YYYY>`, covering the year in Vietnam's time: [1 January 00:00 +07, next 1 January) for a
-- timestamptz key, [1 January, next 1 January) for a date key. Every migration and every start of a
-- subgraph with its owner's URL (kit/runtime/partitions/index.ts) calls `year_partitions_ensure()`,
-- which creates this year's and next year's partitions of every registered table ahead of time.

-- The tables partitioned by year (year_partitions_ensure keeps their next partitions).
CREATE TABLE year_partitioned_tables (
  table_name text PRIMARY KEY
);

-- Creates `<parent>_<year>` when missing; returns whether it did. Rows of that year already in the
-- default partition (a year nobody created ahead of time) stay there and the partition is not created:
-- PostgreSQL refuses a partition whose rows the default holds. The rows are still found, only not
-- pruned; a NOTICE says so.
CREATE FUNCTION year_partition_create(parent text, y int) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  part    text := parent || '_' || y;
  keycol  text;
  keytype regtype;
  lo      text;
  hi      text;
  found   boolean;
  trig    text;
BEGIN
  IF to_regclass(part) IS NOT NULL THEN
    RETURN false;
  END IF;
  SELECT a.attname, a.atttypid::regtype INTO keycol, keytype
    FROM pg_partitioned_table p
    JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
   WHERE p.partrelid = parent::regclass;
  IF keycol IS NULL THEN
    RAISE EXCEPTION 'year_partition_create: % is not partitioned by a column', parent;
  END IF;
  IF keytype = 'date'::regtype THEN
    lo := quote_literal(make_date(y, 1, 1)::text);
    hi := quote_literal(make_date(y + 1, 1, 1)::text);
  ELSIF keytype = 'timestamp with time zone'::regtype THEN
    lo := quote_literal(to_char(make_timestamp(y, 1, 1, 0, 0, 0), 'YYYY-MM-DD HH24:MI:SS') || '+07');
    hi := quote_literal(to_char(make_timestamp(y + 1, 1, 1, 0, 0, 0), 'YYYY-MM-DD HH24:MI:SS') || '+07');
  ELSE
    RAISE EXCEPTION 'year_partition_create: % is partitioned by % of type %', parent, keycol, keytype;
  END IF;
  IF to_regclass(parent || '_default') IS NOT NULL THEN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I >= %s AND %I < %s)',
                   parent || '_default', keycol, lo, keycol, hi) INTO found;
    IF found THEN
      RAISE NOTICE '% holds rows of %: partition % not created (docs/database.md)', parent || '_default', y, part;
      RETURN false;
    END IF;
  END IF;
  EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%s) TO (%s)', part, parent, lo, hi);
  -- The parent's statement-level triggers (the audit log's append-only one), for statements that name
  -- the partition itself.
  FOR trig IN
    SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t
     WHERE t.tgrelid = parent::regclass AND NOT t.tgisinternal AND (t.tgtype & 1) = 0
  LOOP
    EXECUTE replace(trig, ' ON public.' || quote_ident(parent) || ' ', ' ON public.' || quote_ident(part) || ' ');
  END LOOP;
  PERFORM year_partitions_name_indexes(parent);
  RETURN true;
END
$$;

-- Each index of the table's partitions named after the table's index and the partition's year (or
-- `default`), e.g. documents_agency_stats_2024, rather than PostgreSQL's names built from the columns:
-- a plan then says which index of which year it reads.
CREATE FUNCTION year_partitions_name_indexes(parent text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT ci.relname AS name, left(cp.relname, 63 - 1 - length(substr(pt.relname, length(parent) + 2)))
             || '_' || substr(pt.relname, length(parent) + 2) AS wanted
      FROM pg_inherits ih
      JOIN pg_class ci ON ci.oid = ih.inhrelid               -- the partition's index
      JOIN pg_class cp ON cp.oid = ih.inhparent              -- the table's index
      JOIN pg_index x ON x.indexrelid = ci.oid
      JOIN pg_class pt ON pt.oid = x.indrelid                -- the partition
      JOIN pg_inherits tp ON tp.inhrelid = pt.oid AND tp.inhparent = parent::regclass
     WHERE ci.relkind = 'i'
  LOOP
    IF r.name <> r.wanted THEN
      EXECUTE format('ALTER INDEX %I RENAME TO %I', r.name, r.wanted);
    END IF;
  END LOOP;
END
$$;

-- Partitions `first`..`last` of a table, its default partition, and its registration.
CREATE FUNCTION year_partitions_create(parent text, first int, last int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  trig text;
BEGIN
  INSERT INTO year_partitioned_tables VALUES (parent) ON CONFLICT DO NOTHING;
  IF to_regclass(parent || '_default') IS NULL THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', parent || '_default', parent);
    FOR trig IN
      SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t
       WHERE t.tgrelid = parent::regclass AND NOT t.tgisinternal AND (t.tgtype & 1) = 0
    LOOP
      EXECUTE replace(trig, ' ON public.' || quote_ident(parent) || ' ',
                      ' ON public.' || quote_ident(parent || '_default') || ' ');
    END LOOP;
  END IF;
  FOR y IN first..last LOOP
    PERFORM year_partition_create(parent, y);
  END LOOP;
  PERFORM year_partitions_name_indexes(parent);
END
$$;

-- This year's and next year's partitions (Vietnam's calendar) of every registered table; the names of
-- those created now. A role that may not create them (the serving role of a subgraph started without
-- its owner's URL, which also runs the migrations at start) skips them: its rows go to the default
-- partition until the owner's next migration run creates the year.
CREATE FUNCTION year_partitions_ensure() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
  t text;
  y int := extract(year FROM now() AT TIME ZONE 'Asia/Ho_Chi_Minh');
BEGIN
  IF NOT has_schema_privilege('public', 'CREATE') THEN
    RETURN;
  END IF;
  FOR t IN
    SELECT p.table_name FROM year_partitioned_tables p JOIN pg_class c ON c.oid = to_regclass(p.table_name)
     WHERE pg_has_role(c.relowner, 'USAGE')
     ORDER BY p.table_name
  LOOP
    IF year_partition_create(t, y) THEN RETURN NEXT t || '_' || y; END IF;
    IF year_partition_create(t, y + 1) THEN RETURN NEXT t || '_' || (y + 1); END IF;
  END LOOP;
END
$$;
