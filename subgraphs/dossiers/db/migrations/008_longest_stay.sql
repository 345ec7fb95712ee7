-- The longest stay of any closed dossier, in days (db/stats.ts reads it before and after the report
-- grid). As a PL/pgSQL function its plan is cached per connection: planning `max(...)` over the
-- year partitions (every partition's indexes considered) cost ≈ 4.8 ms a call at 16 partitions,
-- ten times the execution; the cached plan answers in ≈ 0.2 ms. Adding or detaching a partition
-- invalidates the cached plan, which is then made again once.
CREATE OR REPLACE FUNCTION dossier_longest_stay() RETURNS int LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT coalesce(max(coalesce(finished_on, ended_on) - received_on), 0)::int
            FROM dossiers WHERE coalesce(finished_on, ended_on) IS NOT NULL);
END
$$;
