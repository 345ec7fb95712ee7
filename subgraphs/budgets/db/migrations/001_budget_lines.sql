-- State budget lines (dự toán ngân sách) on the State Budget Index of Circular 324/2016/TT-BTC, and the
-- journal of adjustments and execution entries. The catalogue module (namespace `catalogue`) is migrated
-- first, so `agencies` exists. Amounts are integer VND in bigint (never floating point).

CREATE TABLE budget_lines (
  id                bigserial PRIMARY KEY,
  agency_code       text NOT NULL REFERENCES agencies (code),
  fiscal_year       int  NOT NULL CHECK (fiscal_year BETWEEN 2000 AND 2100),
  direction         text NOT NULL CHECK (direction IN ('THU','CHI')),
  expenditure_group text CHECK (expenditure_group IN ('DAU_TU_PHAT_TRIEN','THUONG_XUYEN','TRA_NO','DU_PHONG')),
  -- Chương: 001–399 central, 400–599 province, 600–799 district, 800–989 commune.
  chapter           text NOT NULL CHECK (chapter ~ '^\d{3}$' AND chapter BETWEEN '001' AND '989'),
  budget_level      text NOT NULL GENERATED ALWAYS AS (CASE
                      WHEN chapter < '400' THEN 'TRUNG_UONG' WHEN chapter < '600' THEN 'TINH'
                      WHEN chapter < '800' THEN 'HUYEN' ELSE 'XA' END) STORED,
  type_code         text NOT NULL CHECK (type_code ~ '^\d{3}$'),
  clause_code       text NOT NULL CHECK (clause_code ~ '^\d{3}$'),
  -- Mục groups its tiểu mục by fifties: 6000 holds 6001–6049, 6100 holds 6101–6149.
  section_code      text NOT NULL CHECK (section_code ~ '^\d{4}$'),
  subsection_code   text NOT NULL CHECK (subsection_code ~ '^\d{4}$'),
  description       text NOT NULL,
  initial_estimate  bigint NOT NULL CHECK (initial_estimate >= 0),
  adjusted_estimate bigint CHECK (adjusted_estimate >= 0),
  executed          bigint NOT NULL DEFAULT 0 CHECK (executed >= 0),
  final_accounts    bigint CHECK (final_accounts >= 0),
  CHECK (section_code = lpad((subsection_code::int / 50 * 50)::text, 4, '0')),
  -- Revenue on sections 1xxx–4xxx, expenditure on 6xxx–9xxx; only expenditure has a group.
  CHECK ((direction = 'THU' AND section_code < '5000' AND expenditure_group IS NULL)
      OR (direction = 'CHI' AND section_code >= '6000' AND expenditure_group IS NOT NULL)),
  UNIQUE (agency_code, fiscal_year, direction, chapter, type_code, clause_code, subsection_code)
);
CREATE INDEX budget_lines_agency_year ON budget_lines (agency_code, fiscal_year);
CREATE INDEX budget_lines_year ON budget_lines (fiscal_year, id);

-- Every adjustment (DIEU_CHINH) and execution entry (THUC_HIEN), written with the line's new amount.
CREATE TABLE budget_entries (
  id          bigserial PRIMARY KEY,
  line_id     bigint NOT NULL REFERENCES budget_lines (id),
  kind        text NOT NULL CHECK (kind IN ('DIEU_CHINH','THUC_HIEN')),
  amount      bigint NOT NULL CHECK (amount <> 0),
  entry_date  date NOT NULL,
  note        text,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX budget_entries_line ON budget_entries (line_id, id);

-- Lines as read: amounts as decimal text, so no reader ever turns them into floating point.
CREATE VIEW budget_line_view AS
SELECT id, agency_code, fiscal_year, direction, expenditure_group, chapter, budget_level, type_code,
  clause_code, section_code, subsection_code, description,
  initial_estimate::text AS initial_estimate, adjusted_estimate::text AS adjusted_estimate,
  executed::text AS executed, final_accounts::text AS final_accounts
FROM budget_lines;
