-- What a mutation wrote (issue 14): the values of its arguments, personal data masked as the SDL's
-- @personalData marks them, and what its resolver noted it changed besides (e.g. the certificates a
-- land change cancelled). A backdated or forged write then shows in the log, not only its field names.
-- NULL for reads and for every entry appended before this migration.
ALTER TABLE audit_log ADD COLUMN written jsonb;

-- The canonical encoding gains the written values at its end, only when there are some: an entry
-- without them encodes exactly as before, so every hash chained before this migration still verifies.
-- The value is encoded as its jsonb text (PostgreSQL's normalised form: the same bytes every time it is
-- read), which kit/auditlog/chain.ts reads back and hashes itself.
CREATE OR REPLACE FUNCTION audit_entry_hash(e audit_log) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
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
