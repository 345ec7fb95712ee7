-- How each agency numbers what it issues (documents-only columns of the shared catalogue's agencies):
-- the organ part of its symbols (e.g. UBND in 45/UBND-KT) and whether one yearly sequence covers every
-- type (SHARED) or each type has its own (PER_TYPE). The catalogue module (namespace `catalogue`) is
-- migrated first, so `agencies` exists.
CREATE TABLE agency_numbering (
  agency_code      text PRIMARY KEY REFERENCES agencies (code),
  organ_symbol     text NOT NULL,
  numbering_policy text NOT NULL DEFAULT 'SHARED' CHECK (numbering_policy IN ('SHARED','PER_TYPE'))
);
