-- Field usage (issue 19, usage-aware checks): which schema coordinates each operation of each client
-- used, per day, as gateways report it. Bounded: one row per (day, client, operation, coordinate),
-- a count added up; the gateway aggregates before it reports. Old days are deleted by age
-- (REGISTRY_USAGE_RETENTION_DAYS) at each report.
CREATE TABLE field_usage (
  env        text NOT NULL,
  day        date NOT NULL,
  client     text NOT NULL,
  operation  text NOT NULL,
  coordinate text NOT NULL,              -- Type.field
  count      bigint NOT NULL CHECK (count > 0),
  PRIMARY KEY (env, day, client, operation, coordinate)
);
CREATE INDEX field_usage_coordinate ON field_usage (env, coordinate, day);
