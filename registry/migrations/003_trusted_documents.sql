-- Trusted documents (issue 19: "trusted documents always count as usage"): per environment, the
-- trusted-document manifest each client registered (`npm run schema -- documents <client> --manifest
-- <file>`), one row per operation, with the schema coordinates it selects as computed against the
-- served API schema when it was registered. A check matches its breaking changes against them, as it
-- does recorded usage, whatever the usage window. A push replaces the client's set; each push is in
-- the hash-chained audit_log.

-- One row per client that registered documents; a partner's agency owns the client it registered first.
CREATE TABLE trusted_clients (
  env           text NOT NULL,
  client        text NOT NULL,
  owner_agency  text,                    -- NULL: registered by an official or administrator
  manifest_hash text NOT NULL,           -- sha256 over the sorted document hashes, hex
  pushed_by     text NOT NULL,           -- the token's sub of the last push
  pushed_role   text NOT NULL,
  pushed_at     timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
  PRIMARY KEY (env, client)
);

-- The client's current documents: one row per operation of each document.
CREATE TABLE trusted_documents (
  env         text NOT NULL,
  client      text NOT NULL,
  hash        text NOT NULL,             -- the manifest's key: sha256 or sha1 of document, hex
  operation   text NOT NULL,             -- the operation's name, '(anonymous)' for none
  document    text NOT NULL,
  coordinates text[] NOT NULL,           -- Type.field, as schema/coordinates.ts computes them
  PRIMARY KEY (env, client, hash, operation),
  FOREIGN KEY (env, client) REFERENCES trusted_clients (env, client) ON DELETE CASCADE
);
