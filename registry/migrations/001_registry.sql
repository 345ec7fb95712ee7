-- The schema registry (issue 19): versioned subgraph SDLs per environment, the current version of each
-- subgraph, and every supergraph composed from them, signed. Publishes, check overrides and rollbacks
-- are also written to the hash-chained audit_log (kit/runtime/auditlog, mounted beside this module).

-- Every version ever published; never updated or deleted (a rollback points back at an older row).
CREATE TABLE subgraph_versions (
  env           text NOT NULL,
  subgraph      text NOT NULL,
  version       integer NOT NULL CHECK (version > 0),
  sdl           text NOT NULL,
  url           text NOT NULL,           -- where gateways fetch the subgraph (@join__graph url)
  hash          text NOT NULL,           -- sha256 of sdl, hex
  author        text NOT NULL,           -- the token's sub
  author_role   text NOT NULL,
  author_agency text,
  created_at    timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
  PRIMARY KEY (env, subgraph, version)
);

-- What each environment serves now: one row per subgraph; the agency that first published it owns it
-- (a partner publishes only its own subgraphs).
CREATE TABLE subgraphs (
  env          text NOT NULL,
  subgraph     text NOT NULL,
  version      integer NOT NULL,
  owner_agency text,
  PRIMARY KEY (env, subgraph),
  FOREIGN KEY (env, subgraph, version) REFERENCES subgraph_versions (env, subgraph, version)
);

-- Each supergraph composed, newest last; gateways are served the newest of their environment.
CREATE TABLE supergraphs (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  env        text NOT NULL,
  sdl        text NOT NULL,
  hash       text NOT NULL,              -- sha256 of sdl, hex: the gateway's /ready names it
  signature  text NOT NULL,              -- Ed25519 over sdl, base64
  versions   jsonb NOT NULL,             -- subgraph → version composed
  cause      text NOT NULL,              -- e.g. "publish documents v3", "rollback land to v1"
  created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp())
);
CREATE INDEX supergraphs_env ON supergraphs (env, id DESC);
