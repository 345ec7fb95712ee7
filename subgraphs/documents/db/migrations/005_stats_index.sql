-- documentStats at a million documents: the public documents of an agency by issue date with every
-- column the KPIs read, so the counts come from an index-only range scan.
CREATE INDEX documents_agency_stats ON documents (agency_code, issued_date)
  INCLUDE (direction, electronic, digitally_signed, status, due_date, completed_at)
  WHERE secrecy = 'THUONG';
