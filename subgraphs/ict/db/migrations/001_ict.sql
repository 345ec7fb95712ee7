-- The province's ICT inventory (kiểm kê hạ tầng công nghệ thông tin): one row per agency and inventory
-- date. The catalogue module (namespace `catalogue`) is migrated first, so `agencies` exists.
CREATE TABLE ict_inventories (
  agency_code             text NOT NULL REFERENCES agencies (code),
  taken_on                date NOT NULL,
  officials               int  NOT NULL CHECK (officials >= 0),
  officials_with_computer int  NOT NULL CHECK (officials_with_computer BETWEEN 0 AND officials),
  computers               int  NOT NULL CHECK (computers >= 0),
  connected_computers     int  NOT NULL CHECK (connected_computers BETWEEN 0 AND computers),
  lan                     boolean NOT NULL,
  PRIMARY KEY (agency_code, taken_on)
);
