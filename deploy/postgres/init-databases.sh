#!/bin/sh
# First start of the compose stack's PostgreSQL server (run once by the image's entrypoint, from
# /docker-entrypoint-initdb.d): the application role and one database per subgraph. The subgraphs
# migrate their own databases at start-up as the owner (<NAME>_MIGRATION_DATABASE_URL) and serve as
# govgraph_app (<NAME>_DATABASE_URL); docs/database.md. The password comes from a compose secret.
set -eu
app_password=$(cat /run/secrets/postgres_app_password)
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v app_password="$app_password" <<'SQL'
CREATE ROLE govgraph_app LOGIN PASSWORD :'app_password';
CREATE DATABASE govgraph_documents;
CREATE DATABASE govgraph_dossiers;
CREATE DATABASE govgraph_budgets;
CREATE DATABASE govgraph_land;
CREATE DATABASE govgraph_mail;
CREATE DATABASE govgraph_ict;
CREATE DATABASE govgraph_legacy_mc;
CREATE DATABASE govgraph_webhooks;
CREATE DATABASE govgraph_registry;
SQL
