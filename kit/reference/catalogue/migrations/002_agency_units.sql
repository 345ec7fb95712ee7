-- Which administrative unit an agency governed over which interval, so records keep the unit as it
-- was at the event date. Derived, not stored: an agency governs its own unit over the overlap of the
-- two validity intervals; a committee that continues through a merger (e.g. UBND tỉnh Bắc Ninh,
-- governing new Bắc Ninh 24 from 1 July 2025) governed, before it, the predecessor unit of the same
-- name (old Bắc Ninh 27).
CREATE VIEW agency_units AS
WITH spans AS (
  SELECT a.code AS agency_code, u.id AS unit_id, a.valid_from AS a_from, a.valid_to AS a_to, u.valid_from AS u_from,
         u.valid_to AS u_to
  FROM agencies a JOIN admin_units u ON u.id = a.unit_id
  UNION ALL
  SELECT a.code, p.id, a.valid_from, a.valid_to, p.valid_from, p.valid_to
  FROM agencies a
  JOIN admin_units u ON u.id = a.unit_id
  JOIN admin_unit_successions s ON s.to_id = u.id
  JOIN admin_units p ON p.id = s.from_id AND p.name = u.name
  WHERE a.valid_from < u.valid_from
)
SELECT agency_code, unit_id, greatest(a_from, u_from) AS valid_from,
       nullif(least(coalesce(a_to, 'infinity'::date), coalesce(u_to, 'infinity'::date)), 'infinity'::date) AS valid_to
FROM spans
WHERE greatest(a_from, u_from) <= least(coalesce(a_to, 'infinity'::date), coalesce(u_to, 'infinity'::date));
