-- Kế hoạch dịch vụ công trực tuyến: how many online public services an agency plans to provide in a
-- year (its annual plan), set by an official of that agency (setOnlineServicePlan). The scorecard's
-- onlineServices KPI is the services provided online against it.
CREATE TABLE online_service_plans (
  agency_code      text NOT NULL REFERENCES agencies (code),
  year             int  NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  planned_services int  NOT NULL CHECK (planned_services BETWEEN 1 AND 10000),
  set_by           text,
  set_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (agency_code, year)
);
