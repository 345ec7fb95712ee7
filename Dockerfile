# syntax=docker/dockerfile:1
# govgraph: one image, a command per service (docs/deployment.md "Images").
#   gateway:   docker run govgraph node dist/gateway/main.js --supergraph /etc/govgraph/supergraph.graphql
#   subgraph:  docker run govgraph node dist/subgraphs/documents/main.js   (dossiers, budgets, land, mail, ict, legacy-mc, webhooks)
#   registry:  docker run govgraph node dist/registry/main.js   (the schema registry, docs/registry.md)
# Every process is the same dist/ over the same node_modules, so one image is built, scanned and
# promoted once, and a gateway and its subgraphs can never run different builds of the kit.
# Secrets (database URLs, the signing key) come from the environment or mounted files at run time;
# none is in the image.

ARG NODE_IMAGE=node:20.19-bookworm-slim

# 1. Build: all dependencies (esbuild), then `npm run build` writes the plain JavaScript to dist/.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# 2. Production dependencies only (patch-package is a dependency: the postinstall applies patches/).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. Runtime: dist/, package.json and production node_modules; no sources, no compiler, no tests.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /src/package.json ./package.json
COPY --from=build --chown=root:root /src/dist ./dist
# The code is owned by root and read-only to the service user; the processes write nothing to disk.
USER node
# Each service listens on its own port (gateway 4000, subgraphs 4101-4107); HEALTHCHECK_PORT says which.
ENV HEALTHCHECK_PORT=4000
EXPOSE 4000 4101 4102 4103 4104 4105 4106 4107 4108 4400
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.HEALTHCHECK_PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/gateway/main.js", "--supergraph", "dist/schema/supergraph.graphql"]
