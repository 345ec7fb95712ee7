-- Official.documentsSigned: a signer's documents, newest first.
CREATE INDEX documents_signer ON documents (signer_official_id, issued_date DESC, id DESC)
  WHERE signer_official_id IS NOT NULL;
