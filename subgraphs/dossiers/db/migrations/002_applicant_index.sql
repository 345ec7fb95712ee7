-- A citizen reads only the dossiers they applied for (kit/access.ts): their list is found by ID
-- number, newest receipt first, without scanning every dossier.
CREATE INDEX dossiers_applicant_received ON dossiers (applicant_id_number, received_at DESC, id DESC);
