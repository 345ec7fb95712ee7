-- The audit log partitioned by year of `at` (docs/database.md "Partitioning by year"): the verifier and
-- the trail read it by seq, an auditor by time; a year of entries is one partition, and an old year
-- can be archived (detached) whole. Converts an existing log in place: the entries are copied as they
-- are (seq, at, prev_hash, hash untouched, so the chain verifies as before), before the chain trigger
-- exists on the new table; the table is locked for the copy (this migration's transaction).
--
-- Keys: a primary or unique key of a partitioned table must contain the partition column, so the key
-- is (seq, at). seq stays gap-free and unique as before because the chain trigger assigns it under
-- the append lock (max + 1); the verifier (chain.ts) reports a duplicate or a gap like any other break.

ALTER TABLE audit_log RENAME TO audit_log_unpartitioned;
DROP TRIGGER audit_log_chain ON audit_log_unpartitioned;
DROP TRIGGER audit_log_append_only ON audit_log_unpartitioned;
ALTER TABLE audit_log_unpartitioned DROP CONSTRAINT audit_log_pkey;
DROP INDEX audit_log_at, audit_log_subject, audit_log_record_ids;
-- Its argument is the old table's row type; recreated below on the new table's.
DROP FUNCTION audit_entry_hash(audit_log_unpartitioned);

CREATE TABLE audit_log (
  seq         bigint NOT NULL,
  -- The default routes an INSERT that leaves the time out to this year's partition, where the chain
  -- trigger (below) sets it again under the lock: its RETURNING then returns the row.
  at          timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
  request_id  text NOT NULL,
  subject     text,
  role        text NOT NULL,
  agency_code text,
  kind        text NOT NULL CHECK (kind IN ('read', 'mutation')),
  operation   text NOT NULL,
  type        text NOT NULL,
  fields      text[] NOT NULL,
  record_ids  text[] NOT NULL,
  prev_hash   text NOT NULL,
  hash        text NOT NULL,
  written     jsonb,
  PRIMARY KEY (seq, at)
) PARTITION BY RANGE (at);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_subject ON audit_log (subject, seq);
CREATE INDEX audit_log_record_ids ON audit_log USING gin (record_ids);

-- Before the partitions, so each gets it too (statement triggers are not inherited).
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse();

SELECT year_partitions_create('audit_log',
  least((SELECT min(extract(year FROM at AT TIME ZONE 'Asia/Ho_Chi_Minh'))::int FROM audit_log_unpartitioned),
        extract(year FROM now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::int),
  extract(year FROM now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::int + 1);

INSERT INTO audit_log (seq, at, request_id, subject, role, agency_code, kind, operation, type, fields,
                       record_ids, prev_hash, hash, written)
SELECT seq, at, request_id, subject, role, agency_code, kind, operation, type, fields,
       record_ids, prev_hash, hash, written
  FROM audit_log_unpartitioned ORDER BY seq;

DROP TABLE audit_log_unpartitioned;

-- The same encoding as 002's, on the new row type.
CREATE FUNCTION audit_entry_hash(e audit_log) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN encode(sha256(convert_to(
    e.prev_hash
    || audit_text(e.seq::text)
    || audit_text(to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
    || audit_text(e.request_id) || audit_text(e.subject) || audit_text(e.role) || audit_text(e.agency_code)
    || audit_text(e.kind) || audit_text(e.operation) || audit_text(e.type)
    || audit_list(e.fields) || audit_list(e.record_ids)
    || CASE WHEN e.written IS NULL THEN '' ELSE audit_text(e.written::text) END,
    'UTF8')), 'hex');
END
$$;

-- As before (001), with one more step. PostgreSQL routes a row to its partition by the `at` the INSERT
-- gave, before this trigger runs, and a BEFORE trigger cannot move it to another partition. The time
-- is taken here (under the lock), so when it falls in another year than the one given (a backdated
-- INSERT, a NULL, or a transaction that began before New Year's midnight in Vietnam) the entry is
-- inserted again with the time now — routed to the right partition, chained by this trigger there —
-- and the misrouted row is dropped. Partitions are whole years, so the same year is the same partition.
-- (The dropped row is what a RETURNING would have returned: such an INSERT returns no row, though the
-- entry is written. An INSERT that leaves `at` out gets the column's default, this year, and returns it.)
CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_seq  bigint;
  last_hash text;
  t         timestamptz;
  e         audit_log;
BEGIN
  PERFORM pg_advisory_xact_lock(1635083369); -- 'audi'
  t := date_trunc('milliseconds', clock_timestamp());
  IF NEW.at IS NULL OR extract(year FROM NEW.at AT TIME ZONE 'Asia/Ho_Chi_Minh')
                       <> extract(year FROM t AT TIME ZONE 'Asia/Ho_Chi_Minh') THEN
    NEW.at := t;
    INSERT INTO audit_log VALUES (NEW.*);
    RETURN NULL;
  END IF;
  SELECT seq, hash INTO last_seq, last_hash FROM audit_log ORDER BY seq DESC LIMIT 1;
  NEW.seq := coalesce(last_seq, 0) + 1;
  NEW.prev_hash := coalesce(last_hash, repeat('0', 64));
  NEW.at := t;
  e := NEW; -- NEW has the partition's row type; the hash function takes the parent's
  NEW.hash := audit_entry_hash(e);
  RETURN NEW;
END
$$;

CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
