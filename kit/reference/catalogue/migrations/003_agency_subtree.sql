-- "This agency and its descendants on a date": the one definition of an agency's scope, used by
-- roll-up statistics (a district and all its wards) and by access rules (rows of an agency and its
-- children). The root itself always belongs to its subtree; descendants count when valid on `on_date`
-- (NULL = every descendant, past and present). Usage:
--   SELECT … FROM catalogue_agency_subtree('000.00.21.H26', DATE '2020-06-30') AS s(code) JOIN …
--   … CROSS JOIN LATERAL catalogue_agency_subtree(r.code, NULL) AS s(code)   -- many roots at once
CREATE FUNCTION catalogue_agency_subtree(root text, on_date date DEFAULT NULL)
RETURNS SETOF text
LANGUAGE sql STABLE
AS $$
  WITH RECURSIVE subtree(code) AS (
    SELECT a.code FROM agencies a WHERE a.code = root
    UNION
    SELECT c.code FROM subtree s JOIN agencies c ON c.parent_code = s.code
    WHERE on_date IS NULL OR (c.valid_from <= on_date AND (c.valid_to IS NULL OR c.valid_to >= on_date))
  )
  SELECT code FROM subtree
$$;
