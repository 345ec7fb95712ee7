-- Schema contracts per environment (issue 19 item 3, docs/contracts.md): a contract's @tag filter and
-- the partners it is served to (agency codes, or `scope:<scope>`). One row per contract, rewritten by
-- each set; every set and delete is also an entry of the hash-chained audit_log (setContract,
-- deleteContract) holding the whole definition, which is the contract's history. The gateways read
-- all of an environment's contracts as one signed document (GET /v1/environments/<env>/contracts).
CREATE TABLE contracts (
  env           text NOT NULL,
  name          text NOT NULL,
  include_tags  text[] NOT NULL DEFAULT '{}',
  exclude_tags  text[] NOT NULL DEFAULT '{}',
  partners      text[] NOT NULL DEFAULT '{}',
  revision      integer NOT NULL CHECK (revision > 0),   -- 1 at creation, +1 per change
  author        text NOT NULL,                           -- the token's sub
  author_role   text NOT NULL,
  author_agency text,
  updated_at    timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
  PRIMARY KEY (env, name),
  CHECK (cardinality(include_tags) + cardinality(exclude_tags) > 0)
);
