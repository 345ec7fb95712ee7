-- Issue 14. One dossier decides one land change: a dossier code cannot justify several.
DROP INDEX land_changes_dossier;
CREATE UNIQUE INDEX land_changes_dossier ON land_changes (dossier_code);

-- The certificates each change cancelled and issued, so that a change cites the victim's certificates
-- as well as the new ones (LandChange.cancelledCertificates / issuedCertificates, and its audit entry).
CREATE TABLE land_change_certificates (
  change_id      bigint NOT NULL REFERENCES land_changes (id),
  certificate_id bigint NOT NULL REFERENCES land_certificates (id),
  role           text   NOT NULL CHECK (role IN ('CANCELLED', 'ISSUED')),
  PRIMARY KEY (change_id, certificate_id, role)
);
CREATE INDEX land_change_certificates_certificate ON land_change_certificates (certificate_id);

-- Changes recorded before this migration: their certificates are those of their parcels cancelled and
-- issued on the change's date (the seed and the data written so far hold at most one change per parcel
-- and day). The seed runs the same statement after it writes its history (seed/index.ts).
INSERT INTO land_change_certificates (change_id, certificate_id, role)
SELECT cp.change_id, k.id, CASE cp.role WHEN 'FROM' THEN 'CANCELLED' ELSE 'ISSUED' END
FROM land_change_parcels cp
JOIN land_changes c ON c.id = cp.change_id
JOIN land_certificates k ON k.parcel_id = cp.parcel_id
  AND CASE cp.role WHEN 'FROM' THEN k.cancelled_on = c.change_date ELSE k.issue_date = c.change_date END
ON CONFLICT DO NOTHING;
